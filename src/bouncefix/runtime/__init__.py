"""Running the analysis over many messages: the worker pool (pool.py)."""
