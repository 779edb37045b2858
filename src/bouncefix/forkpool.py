"""A small pool of forked worker processes that return results in submission order.

``concurrent.futures`` and ``multiprocessing`` would do, but importing them costs more
than a whole short scan's analysis. Here one forked child, the spawner, first runs an
optional `preload` (imports, rule loading: work the calling process need not do, and
can overlap with work of its own, such as starting its command line), then waits for the
work function and forks the workers. The workers share one task pipe, each with a
result pipe of its own; every message is a length-prefixed pickle. A worker takes the
next task when it is free (a one-byte token passed around in a third pipe lets one
worker at a time read a task), so a worker that drew cheap tasks never waits while
another has a queue. Results carry their task's number; the parent reads whichever
worker has one ready and hands them out in task order (a failed task raises in its
turn). At most ``window`` tasks per worker are in flight (sent and not yet handed out),
so memory stays bounded. A worker says goodbye when the tasks end; one that closes its
pipe without it died.

Deadlock-free by construction: a feeder thread does all the writing (it may block on the
full task pipe), the caller's thread does all the reading and reads every result as soon
as it is ready, so no worker stays blocked on a full result pipe. The spawner and the
workers ignore SIGINT (a terminal sends it to the whole process group): the parent
reports what was done and stops them.
"""

from __future__ import annotations

import os

# Nothing else at import time: a pool is started (the fork) before the command line has
# loaded anything, and the spawner should start as early as possible. What the other
# steps need is imported by them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

_HEADER = 8  #: bytes of the length prefix


def _quietly(call: Callable[..., object], *args: int) -> None:
    """``call(*args)``, an OSError ignored (contextlib.suppress would cost an import
    before the fork)."""
    try:  # noqa: SIM105
        call(*args)
    except OSError:
        pass


def _close_quietly(fd: int) -> None:
    if fd >= 0:
        _quietly(os.close, fd)


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
    import pickle

    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _write_all(fd, len(data).to_bytes(_HEADER, "little") + data)


def _receive(fd: int) -> Any:
    """The next value, or raise EOFError when the other end closed. Unbuffered, so that
    nothing past this message is taken from a pipe others read too."""
    import pickle

    head = _read_exactly(fd, _HEADER)
    if head is None:
        raise EOFError
    data = _read_exactly(fd, int.from_bytes(head, "little"))
    if data is None:
        raise EOFError
    return pickle.loads(data)


_GOODBYE = -1  #: the task number of a worker's last message: it saw the end of the tasks


def _serve(tasks: int, token: tuple[int, int], results: int,
           work: Callable[[Any], Any]) -> None:
    """A worker's loop: take a task (holding the token while reading it), answer it
    with its number, until the task pipe ends; then say goodbye."""
    take, give = token
    try:
        while True:
            if not os.read(take, 1):
                return  # the pool is closing
            try:
                number, task = _receive(tasks)
            except EOFError:
                os.write(give, b"t")  # let the others see the end too
                _send(results, (_GOODBYE, True, None))
                return
            os.write(give, b"t")
            try:
                answer: tuple[int, bool, Any] = (number, True, work(task))
            except Exception as error:  # handed to the parent to report
                answer = (number, False, f"{type(error).__name__}: {error}")
            _send(results, answer)
    except OSError:  # the parent went away
        return


def _spawn(control: int, report: int, tasks: int, token: tuple[int, int],
           results: list[int], preload: Callable[[], None] | None) -> None:
    """The spawner: preload, take the work function, fork one worker per result pipe,
    report their process ids, and reap them."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Hold none of the caller's standard streams: whoever reads its output until the end
    # must not wait for a spawner still preloading (all results come through the pipes).
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.close(quiet)
    if preload is not None:
        preload()
    try:
        work = _receive(control)
    except EOFError:
        return  # the pool was dismissed
    pids = []
    for index, result in enumerate(results):
        pid = os.fork()
        if pid == 0:
            try:
                for other in results[:index] + results[index + 1 :]:
                    os.close(other)
                _serve(tasks, token, result, work)
            finally:
                os._exit(0)  # no atexit handlers, no flushing of inherited buffers
        pids.append(pid)
    for fd in (*results, tasks, *token):
        os.close(fd)
    try:
        _send(report, pids)
        while True:
            os.wait()
    except OSError:  # the parent went away, or ChildProcessError: all reaped
        return


class ForkPool:
    """``jobs`` forked workers applying a work function to tasks; see the module text.
    The work is given at once or later (``start``); `preload` runs in the spawner."""

    def __init__(self, jobs: int, work: Callable[[Any], Any] | None = None, *,
                 preload: Callable[[], None] | None = None) -> None:
        self.jobs = jobs
        self._pids: list[int] | None = None
        task_read, self._tasks = os.pipe()
        token = os.pipe()
        os.write(token[1], b"t")
        control_read, self._control = os.pipe()
        self._report, report_write = os.pipe()
        pipes = [os.pipe() for _ in range(jobs)]
        self._results = [read for read, _ in pipes]
        child_ends = [task_read, *token, control_read, report_write, *(w for _, w in pipes)]
        self._spawner = os.fork()
        if self._spawner == 0:
            try:
                for fd in (self._tasks, self._control, self._report, *self._results):
                    os.close(fd)
                _spawn(control_read, report_write, task_read, token,
                       [write for _, write in pipes], preload)
            finally:
                os._exit(0)
        for fd in child_ends:
            os.close(fd)
        import threading

        self._closing = threading.Lock()
        if work is not None:
            self.start(work)

    def start(self, work: Callable[[Any], Any]) -> None:
        """Hand the work function to the spawner, which then forks the workers."""
        control, self._control = self._control, -1
        try:
            _send(control, work)
        except OSError:  # the spawner is gone (its preload failed)
            raise WorkerError("the worker processes could not be started") from None
        finally:
            os.close(control)

    def dismiss(self) -> None:
        """Give the pool up unused: the spawner ends without forking anything when it
        is done preloading (not waited for: that would hold the caller up)."""
        self._close_pipes()

    def _close_pipes(self) -> None:
        self._close_tasks()
        for fd in (self._control, self._report, *self._results):
            _close_quietly(fd)
        self._control = self._report = -1
        self._results = []

    def worker_pids(self) -> list[int]:
        """The workers' process ids ([] before ``start``, or if the spawner died): the
        spawner reports them as soon as it has forked them."""
        if self._pids is None:
            if self._control != -1 or self._report == -1:
                return []  # not started: no workers; or closed before they were known
            try:
                self._pids = list(_receive(self._report))
            except (EOFError, OSError):
                self._pids = []
        return self._pids

    def map(self, tasks: Iterable[Any], window: int = 4) -> Iterator[Any]:
        """`work(task)` for each task, in order."""
        import select
        import threading

        slots = threading.Semaphore(window * self.jobs)
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
        open_fds = set(self._results)
        poller = select.poll()
        for fd in open_fds:
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
                if not open_fds:
                    raise WorkerError("a worker process ended unexpectedly")
                for fd, _ in poller.poll():
                    try:
                        number, ok, value = _receive(fd)
                    except EOFError:  # a worker's pipe closed without a goodbye
                        raise WorkerError("a worker process ended unexpectedly") from None
                    if number == _GOODBYE:
                        open_fds.discard(fd)
                        poller.unregister(fd)
                    else:
                        done[number] = (ok, value)
            if failure:
                raise failure[0]
        finally:
            stop.set()

    def _close_tasks(self) -> None:
        """Close the task pipe (once: the feeder and close() may both ask)."""
        with self._closing:
            fd, self._tasks = self._tasks, -1
        _close_quietly(fd)

    def close(self, *, kill: bool = False) -> None:
        """Let the workers finish (they end when the task pipe closes), or with `kill`
        stop them at once; then wait for the spawner, which reaps them."""
        if kill:  # first, so that a feeder blocked on a full pipe gets EPIPE and ends
            import signal

            for pid in self.worker_pids() or [self._spawner]:  # none yet: the spawner
                _quietly(os.kill, pid, signal.SIGKILL)
        self._close_pipes()
        _quietly(os.waitpid, self._spawner, 0)
