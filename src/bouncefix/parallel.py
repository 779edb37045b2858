"""Analysing many messages on several cores, results in input order.

Bounce analysis is CPU-bound pure Python, so a scan of thousands of messages is spread
over worker processes (forkpool.py). The pool's spawner loads the parsers and rules
(``preload``) and the workers it forks inherit them, so the calling process never needs
them (workers.py starts the spawner while the command line is still being read). At most
``window`` batches per worker are in flight at any time, so memory stays bounded however
large the mbox, and results come back in the order the messages were read.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from .model import MessageReport
from .workers import default_jobs, take_prepared

__all__ = ["MIN_FILES_FOR_WORKERS", "analyze_many", "default_jobs", "preload", "warm_up"]

T = TypeVar("T")

#: below this many files, starting workers costs more than it saves
MIN_FILES_FOR_WORKERS = 48


def warm_up() -> None:
    """Load the rules and build their index once in the parent, so forked workers
    inherit them. Rule patterns are compiled lazily where they are used, but those the
    cross-run regex cache does not know yet are compiled here: workers end without
    writing the cache, the main process writes it."""
    from . import recache
    from .rules.engine import rule_index
    from .rules.loader import load_reasons, load_ruleset
    from .rules.prefilter import FLAGS

    ruleset = load_ruleset()
    load_reasons()
    rule_index()
    patterns = [p for rule in ruleset.rules for p in (rule.text, rule.not_text, rule.remote)]
    patterns += [p for provider in ruleset.providers.values()
                 for p in (provider.hosts, provider.markers)]
    patterns += [phrase for p in patterns if p is not None for phrase in p.phrase_patterns()]
    for pattern in patterns:
        if pattern is not None and not recache.is_cached(pattern.pattern, FLAGS):
            pattern.compiled  # noqa: B018 - compiles; the cache learns it at exit


def preload() -> None:
    """What a pool's spawner does before it forks the workers: import the analysis,
    load the rules (warm_up), save what the regex cache learnt (the spawner ends without
    exit handlers), and freeze the objects so far (the workers' collections skip them
    and leave their memory pages shared)."""
    from . import analyze, recache  # noqa: F401 - the parsers and the engine

    warm_up()
    recache.save()
    gc.freeze()
    gc.enable()  # paused while the command line started (cli/startup.py)


def analyze_one(item: tuple[str, int, bytes]) -> MessageReport:
    """Analyse one message read from `source` at position `index`."""
    from .analyze import analyze_message

    source, index, raw = item
    return replace(analyze_message(raw), source=source, index=index)


def analyze_batch(
    batch: list[tuple[str, int, bytes]], finish: Callable[[MessageReport], Any]
) -> list[Any]:
    """Analyse a batch of messages (one task for a worker: fewer round trips), each
    report passed through `finish` there (rendering in the worker spares the main
    process the unpickling and the rendering)."""
    return [finish(analyze_one(item)) for item in batch]


def analyze_many(
    items: Iterable[tuple[str, int, bytes]],
    jobs: int,
    finish: Callable[[MessageReport], T],
    batch_size: int = 24,
    window: int = 4,
) -> Iterator[T]:
    """``finish(report)`` for each of `items` (source, index, normalised bytes), in
    order. With several jobs, messages go to workers in batches, at most `window`
    batches per worker in flight; `finish` then runs in the workers and must pickle."""
    pool = take_prepared(jobs)
    if jobs <= 1:
        for item in items:
            yield finish(analyze_one(item))
        return
    if pool is None:
        from .forkpool import ForkPool

        pool = ForkPool(jobs, preload=preload)
    done = False
    try:
        pool.start(partial(analyze_batch, finish=finish))
        for batch in pool.map(_batches(items, batch_size), window):
            yield from batch
        done = True
    finally:  # Ctrl-C, or the reader stopped: drop the queued work
        pool.close(kill=not done)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
