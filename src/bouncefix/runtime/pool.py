"""Analysing many messages on several cores, results in input order.

Bounce analysis is CPU-bound pure Python, so a large scan spreads batches of messages over
worker processes (``concurrent.futures.ProcessPoolExecutor``, forked where the platform
can, so the workers inherit the parsers and rules this process loaded). What is in flight
is bounded by bytes as well as by batches, so memory stays flat however large the input;
results come back in the order the messages were read.

A worker that dies (killed, out of memory, a crash) breaks the pool: the batches it may
have held are run again, one at a time in a fresh pool, a batch that dies again is split
into its messages, and a message that kills a worker on its own is reported through
``on_failure`` and skipped. A worker that stops answering (stopped, or stuck far past the
per-message time bound) is killed and handled the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NamedTuple, TypeVar

from ..ingest.errors import Failure
from ..model import MessageReport, Record

T = TypeVar("T")
#: (source, index, message bytes), or (source, index, Record) for an ESP event or a log
#: record (ingest/records.py)
Item = tuple[str, int, "bytes | Record"]

#: below this many files, starting workers costs more than it saves
MIN_FILES_FOR_WORKERS = 48
BATCH_MESSAGES = 24
BATCH_BYTES = 2 * 1024 * 1024
#: in flight at most this many bytes per worker (and two batches per worker)
IN_FLIGHT_BYTES = 16 * 1024 * 1024
#: a batch that takes longer than this per message, plus BASE_SECONDS, has hung its
#: worker (one message takes milliseconds; a 25 MB one well under a second)
MESSAGE_SECONDS = 5.0
BASE_SECONDS = 15.0


def default_jobs() -> int:
    """Worker processes to use: the cores this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def warm_up() -> None:
    """Import the analysis and load the rules and their index in this process (forked
    workers then inherit them instead of each loading them)."""
    from ..analysis import analyze_message  # noqa: F401 - the parsers, the engine
    from ..parse.registry import import_families
    from ..rules.codemodel import load_model
    from ..rules.engine import rule_index
    from ..rules.loader import load_reasons

    import_families()
    load_reasons()
    load_model()
    rule_index()


def analyze_one(item: Item) -> MessageReport:
    """Analyse one message (or ESP event, or log record) read from `source` at position
    `index`."""
    source, index, raw = item
    if isinstance(raw, Record):
        from ..analysis import analyze_record

        return analyze_record(raw)._replace(source=source, index=index)
    from ..analysis import analyze_message

    return analyze_message(raw)._replace(source=source, index=index)


def item_size(item: Item) -> int:
    """Bytes of input an item stands for."""
    raw = item[2]
    return raw.size if isinstance(raw, Record) else len(raw)


def analyze_many(
    items: Iterable[Item],
    jobs: int,
    finish: Callable[[MessageReport], T],
    on_failure: Callable[[Failure], None] | None = None,
) -> Iterator[T]:
    """``finish(report)`` for each of `items`, in order. With several jobs, batches go
    to worker processes, where `finish` runs too (it must pickle)."""
    report = on_failure or (lambda failure: None)
    if jobs <= 1:
        for item in items:
            yield from _told(_run_batch(finish, [item]), report)
        return
    warm_up()
    runner = _Runner(jobs, finish, report)
    completed = False
    try:
        yield from _told(runner.run(_batches(items)), report)
        completed = True
    finally:  # interrupted, or the reader stopped early: the workers are stopped
        runner.close(kill=not completed)


def _run_batch(finish: Callable[[MessageReport], T], batch: list[Item]) -> list[T | Failure]:
    """The results of a batch; a message whose analysis raised (a bug) is a Failure, so
    that one bad message never costs the rest of the scan."""
    out: list[T | Failure] = []
    for item in batch:
        try:
            out.append(finish(analyze_one(item)))
        except Exception as error:  # reported as a Failure, never swallowed
            out.append(Failure(item[0], item[1], f"internal error ({type(error).__name__}); "
                                                 "please report it"))
    return out


def _told(results: Iterable[Any], report: Callable[[Failure], None]) -> Iterator[Any]:
    """`results` with the Failures among them told to `report` instead of yielded."""
    for result in results:
        if isinstance(result, Failure):
            report(result)
        else:
            yield result


def _initialise() -> None:
    """In each worker: Ctrl-C and hang-ups are the main process's to handle (it stops
    the workers itself); load the analysis if the worker did not inherit it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if _HELD:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # forked while they were held
    warm_up()


#: signals held while a worker is forked: one arriving mid-fork would interrupt the
#: fork's own bookkeeping (Python reports it as "Exception ignored" with a traceback);
#: held, it arrives a moment later at a clean point
_HELD = ({getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
          if hasattr(signal, name)} if hasattr(signal, "pthread_sigmask") else set())


def _submit(executor: ProcessPoolExecutor, *args: Any) -> Future[Any]:
    """``executor.submit(*args)`` (which may fork workers) with the stop signals held."""
    if not _HELD:
        return executor.submit(*args)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        return executor.submit(*args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Batch(NamedTuple):
    items: list[Item]
    size: int  #: bytes


def _batches(items: Iterable[Item]) -> Iterator[_Batch]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += item_size(item)
        if len(batch) >= BATCH_MESSAGES or size >= BATCH_BYTES:
            yield _Batch(batch, size)
            batch, size = [], 0
    if batch:
        yield _Batch(batch, size)


class _Runner:
    """Batches to workers, results in order, a fresh pool when one breaks."""

    def __init__(self, jobs: int, finish: Callable[[MessageReport], Any],
                 on_failure: Callable[[Failure], None]) -> None:
        self.jobs, self.finish, self.on_failure = jobs, finish, on_failure
        self.pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self.pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=context,
                                            initializer=_initialise)
        return self.pool

    def run(self, batches: Iterator[_Batch]) -> Iterator[Any]:
        pending: deque[tuple[_Batch, Future[list[Any]] | None]] = deque()
        in_flight = 0
        exhausted = False
        while True:
            while not exhausted and len(pending) < 2 * self.jobs and (
                    in_flight < IN_FLIGHT_BYTES * self.jobs or not pending):
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                try:
                    future: Future[list[Any]] | None = _submit(
                        self._executor(), _run_batch, self.finish, batch.items)
                except BrokenProcessPool:  # a worker died since the last result
                    future = None
                pending.append((batch, future))
                in_flight += batch.size
                if future is None:
                    break
            if not pending:
                return
            batch, future = pending[0]
            try:
                if future is None:
                    raise BrokenProcessPool("a worker died")
                results = future.result(timeout=_time_bound(batch))
            except (BrokenProcessPool, FutureTimeout):
                # every batch in flight: kept if it finished, else run again, alone
                held = list(pending)
                pending.clear()
                in_flight = 0
                self._break()
                for held_batch, held_future in held:
                    finished = _finished(held_future)
                    yield from (finished if finished is not None
                                else self._alone(held_batch.items))
                continue
            pending.popleft()
            in_flight -= batch.size
            yield from results

    def _alone(self, items: list[Item]) -> Iterator[Any]:
        """Run one batch on its own in a fresh pool; if it breaks that too, each of its
        messages on its own; a message that breaks it alone is a failure."""
        try:
            yield from _submit(self._executor(), _run_batch, self.finish, items).result(
                timeout=_time_bound(_Batch(items, 0)))
            return
        except (BrokenProcessPool, FutureTimeout):
            self._break()
        if len(items) > 1:
            for item in items:
                yield from self._alone([item])
            return
        source, position, _ = items[0]
        self.on_failure(Failure(source, position, "a worker process died or hung analysing it"))

    def _break(self) -> None:
        """Stop the current pool's workers (hung or not) and forget the pool."""
        _kill_workers()
        if self.pool is not None:
            _shut_after_kill(self.pool)
            self.pool = None

    def close(self, kill: bool) -> None:
        """Shut the pool down (killing the workers first when they may still be busy)
        and wait for every one of them: no zombies are left."""
        if self.pool is not None:
            if kill:
                _kill_workers()
                _shut_after_kill(self.pool)
            else:
                self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for child in multiprocessing.active_children():
            child.join(5)


def _finished(future: Future[list[Any]] | None) -> list[Any] | None:
    """The results of a batch that completed before its pool broke, else None."""
    if future is None or not future.done() or future.cancelled():
        return None
    return future.result() if future.exception() is None else None


def _time_bound(batch: _Batch) -> float:
    return BASE_SECONDS + MESSAGE_SECONDS * len(batch.items)


def _shut_after_kill(pool: ProcessPoolExecutor) -> None:
    """Shut down a pool whose workers were just killed.

    A worker killed while writing its results leaves part of a message in the result
    pipe, and the executor's manager thread waits for the rest of it for ever (so would
    ``shutdown(wait=True)``). The killed workers held the other copies of the pipe's
    write end; closing this process's copy turns that wait into end-of-file, which the
    executor handles as a broken pool. (``_result_queue`` is the executor's own
    attribute, present in every supported Python; without it, the pool is not waited
    for rather than risk the hang.)"""
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is None:
        pool.shutdown(wait=False, cancel_futures=True)
        return
    writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers() -> None:
    """Kill this process's worker processes (a stopped one too: SIGKILL needs no
    cooperation), and reap them."""
    children = multiprocessing.active_children()
    for child in children:
        child.kill()
    for child in children:
        child.join(5)
