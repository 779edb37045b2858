"""The scan's worker pool, started before the command line is read.

A scan over many files spends its first tenth of a second importing click and its
first half of that importing the parsers and rules. The two can overlap: for
``bouncefix scan``, ``prepare`` forks the pool's spawner first thing (forkpool.py), which
loads the analysis (parallel.preload) while this process goes on reading the command
line; the scan then takes the prepared pool (``take_prepared``) and hands it the work.
A scan that ends up without workers (few files, ``--jobs 1``, ``--dns``) dismisses it,
having lost nothing but time on an otherwise idle core.

Only ``os`` is imported here: the fork should come as early as it can.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .forkpool import ForkPool

_prepared: list[ForkPool] = []  #: the pool prepare() started, until taken or dismissed


def default_jobs() -> int:
    """Worker processes to use: the cores this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def prepare() -> None:
    """Start the spawner of a default_jobs() pool now. Nothing on a single core."""
    jobs = default_jobs()
    if jobs > 1 and not _prepared:
        from .forkpool import ForkPool

        _prepared.append(ForkPool(jobs, preload=_preload))


def _preload() -> None:
    from .parallel import preload

    preload()


def take_prepared(jobs: int) -> ForkPool | None:
    """The prepared pool if it has `jobs` workers (it is then the caller's), else None;
    a prepared pool that does not fit is dismissed."""
    pool = _prepared.pop() if _prepared else None
    if pool is not None and pool.jobs != jobs:
        pool.dismiss()
        pool = None
    return pool
