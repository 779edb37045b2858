"""Renderers: reports -> rich (people), JSON / JSON Lines (scripts), Markdown (tickets).
Each takes an explicit Console or stream; none builds one at import."""
