"""A small pool of forked worker processes that return results in submission order.

``concurrent.futures`` and ``multiprocessing`` would do, but importing them costs more
than a whole short scan's analysis. Here the workers are forked children sharing one
task pipe, each with a result pipe of its own; every message is a length-prefixed
pickle. A worker takes the next task when it is free (a one-byte token passed around in
a third pipe lets one worker at a time read a task), so a worker that drew cheap tasks
never waits while another has a queue. Results carry their task's number; the parent
reads whichever worker has one ready and hands them out in task order. At most
``window`` tasks per worker are in flight (sent and not yet handed out), so memory stays
bounded.

Deadlock-free by construction: a feeder thread does all the writing (it may block on the
full task pipe), the caller's thread does all the reading and reads every result as soon
as it is ready, so no worker stays blocked on a full result pipe. Workers ignore SIGINT
(a terminal sends it to the whole process group): the parent reports what was done and
stops them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_HEADER = 8  #: bytes of the length prefix


class WorkerError(RuntimeError):
    """A worker's task raised (the message names the exception), or a worker died."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from `fd`, or None when it reaches its end first."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _send(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _write_all(fd, len(data).to_bytes(_HEADER, "little") + data)


def _receive(fd: int) -> Any:
    """The next value, or raise EOFError when the other end closed. Unbuffered, so that
    nothing past this message is taken from a pipe others read too."""
    head = _read_exactly(fd, _HEADER)
    if head is None:
        raise EOFError
    data = _read_exactly(fd, int.from_bytes(head, "little"))
    if data is None:
        raise EOFError
    return pickle.loads(data)


class _Worker:
    __slots__ = ("pid", "results")

    def __init__(self, pid: int, results: int) -> None:
        self.pid, self.results = pid, results


def _serve(tasks: int, token: tuple[int, int], results: int,
           work: Callable[[Any], Any]) -> None:
    """The child's loop: take a task (holding the token while reading it), answer it
    with its number, until the task pipe ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    take, give = token
    try:
        while True:
            if not os.read(take, 1):
                return  # the pool is closing
            try:
                number, task = _receive(tasks)
            except EOFError:
                os.write(give, b"t")  # let the others see the end too
                return
            os.write(give, b"t")
            try:
                answer: tuple[int, bool, Any] = (number, True, work(task))
            except Exception as error:  # handed to the parent to report
                answer = (number, False, f"{type(error).__name__}: {error}")
            _send(results, answer)
    except OSError:  # the parent went away
        return


class ForkPool:
    """``jobs`` forked workers applying `work` to tasks; see the module text."""

    def __init__(self, jobs: int, work: Callable[[Any], Any]) -> None:
        self.workers: list[_Worker] = []
        self._closing = threading.Lock()
        task_read, self._tasks = os.pipe()
        token = os.pipe()
        os.write(token[1], b"t")
        for _ in range(jobs):
            result_read, result_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: keep only the ends it uses
                try:
                    os.close(self._tasks)
                    os.close(result_read)
                    for worker in self.workers:
                        os.close(worker.results)
                    _serve(task_read, token, result_write, work)
                finally:
                    os._exit(0)  # no atexit handlers, no flushing of the parent's buffers
            os.close(result_write)
            self.workers.append(_Worker(pid, result_read))
        os.close(task_read)
        for end in token:
            os.close(end)

    def map(self, tasks: Iterable[Any], window: int = 4) -> Iterator[Any]:
        """`work(task)` for each task, in order."""
        slots = threading.Semaphore(window * len(self.workers))
        stop = threading.Event()
        sent = [0]  # tasks sent so far (written by the feeder only)
        all_sent = threading.Event()
        failure: list[BaseException] = []
        progress = threading.Semaphore(0)

        def feed() -> None:
            count = 0
            try:
                for task in tasks:
                    while not slots.acquire(timeout=0.2):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    _send(self._tasks, (count, task))
                    count += 1
                    sent[0] = count
                    progress.release()
            except BaseException as error:  # re-raised in the caller's thread
                failure.append(error)
            finally:
                all_sent.set()
                self._close_tasks()  # the workers see the end
                progress.release()

        feeder = threading.Thread(target=feed, name="bouncefix-feeder", daemon=True)
        feeder.start()
        done: dict[int, tuple[bool, Any]] = {}  # results read ahead of their turn
        by_fd = {worker.results: worker for worker in self.workers}
        poller = select.poll()
        for fd in by_fd:
            poller.register(fd, select.POLLIN)
        following = 0
        try:
            while True:
                while following in done:
                    ok, value = done.pop(following)
                    if not ok:  # in its turn: every earlier result has been handed out
                        raise WorkerError(value)
                    following += 1
                    slots.release()
                    yield value
                finished = all_sent.is_set()  # first: then `sent` is final if it is
                if following >= sent[0]:
                    if finished:
                        break
                    progress.acquire()  # nothing in flight: wait for the feeder
                    continue
                if not by_fd:
                    raise WorkerError("a worker process ended unexpectedly")
                for fd, _ in poller.poll():
                    try:
                        number, ok, value = _receive(fd)
                    except EOFError:
                        self._ended(by_fd.pop(fd), finished=all_sent.is_set())
                        poller.unregister(fd)
                        continue
                    done[number] = (ok, value)
            if failure:
                raise failure[0]
        finally:
            stop.set()

    def _ended(self, worker: _Worker, *, finished: bool) -> None:
        """A worker closed its result pipe: fine once all tasks are sent and it exited
        normally (it saw the end of the task pipe); else it died."""
        with contextlib.suppress(ChildProcessError):
            _, status = os.waitpid(worker.pid, 0)
            if finished and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                return
        raise WorkerError("a worker process ended unexpectedly")

    def _close_tasks(self) -> None:
        """Close the task pipe (once: the feeder and close() may both ask)."""
        with self._closing:
            fd, self._tasks = self._tasks, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)

    def close(self, *, kill: bool = False) -> None:
        """Let the workers finish (they end when the task pipe closes), or with `kill`
        stop them at once; then reap them."""
        if kill:  # first, so that a feeder blocked on a full pipe gets EPIPE and ends
            for worker in self.workers:
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGKILL)
        self._close_tasks()
        for worker in self.workers:
            with contextlib.suppress(OSError):
                os.close(worker.results)
        for worker in self.workers:
            with contextlib.suppress(OSError):
                os.waitpid(worker.pid, 0)
