"""The collector paused while the program starts.

Starting a command imports click, the parsers and the rules: a few hundred thousand new
objects, none of them garbage, which the cyclic garbage collector would walk through
several times over (about a twentieth of a short run). A real run pauses collection
first thing (``pause``); a command resumes it (``resume``) before it analyses messages,
whose parsing does leave cycles behind. The objects made until then are frozen: later
collections skip them (and forked workers leave their memory pages shared).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until ``resume``; a no-op if it is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo ``pause`` (only what it did: a caller's own gc.disable() stays)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
