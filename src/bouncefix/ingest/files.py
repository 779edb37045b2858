"""Reading input files safely: regular files only (never a FIFO or a device waited on),
at most a size limit, and the files of folders (recursively; Maildir cur/new) in a
stable order."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from .errors import DEFAULT_MAX_SIZE, InputError, Skip

if TYPE_CHECKING:
    from ..model import Record

_SKIP_DIRS = {"tmp", ".git", ".hg", ".svn", "__pycache__"}
_MAX_DEPTH = 32


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading; InputError (one line) for anything else.

    The type is checked before opening, and the file is opened non-blocking and checked
    again (it may have been swapped since): a FIFO, a device or a socket is refused and
    never waited on, a directory or a symlink loop gives its reason.
    """
    name = os.fsdecode(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(f"{name} is {_kind(path)}, not a regular file")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{name} is not a regular file")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _kind(path: str | os.PathLike[str]) -> str:
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_limited(handle: BinaryIO, max_size: int = DEFAULT_MAX_SIZE, name: str = "input") -> bytes:
    """Read at most `max_size` bytes; raise InputError if there is more."""
    try:  # a regular file's size: read that (a buffer of max_size costs far more)
        size = os.fstat(handle.fileno()).st_size
    except (OSError, ValueError, AttributeError):
        size = -1
    if 0 <= size < max_size:
        data = handle.read(size + 1)
        if len(data) > size:  # a pipe, or a file still growing
            data += handle.read(max_size + 1 - len(data))
    else:
        data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise InputError(
            f"{name} is larger than {max_size:,} bytes; raise the limit with --max-size"
        )
    return data


#: what a reader tells about input it skipped
OnSkip = Callable[[Skip], None]
#: (source, index, message bytes), or (source, index, Record) for events and log records
Item = tuple[str, int, "bytes | Record"]


def files_of(paths: list[str] | tuple[str, ...], on_skip: OnSkip) -> Iterator[str]:
    """The regular files of `paths`: files as given, folders walked recursively in name
    order (Maildir ``cur``/``new``, not ``tmp``; hidden files and version-control folders
    skipped; each folder once, however it is reached). Anything else is reported through
    `on_skip` and skipped."""
    seen: set[tuple[int, int]] = set()
    for name in paths:
        path = tidy(name)
        try:
            info = os.stat(path)
        except OSError as error:
            on_skip(Skip(name, str(error.strerror or error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, on_skip, seen)
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            on_skip(Skip(name, "not a regular file"))


def tidy(name: str) -> str:
    """A path as the user gave it, tidied as results name their source: no repeated or
    trailing slashes, no "." steps."""
    steps = [step for step in name.split("/") if step and step != "."]
    return ("/" if name.startswith("/") else "") + "/".join(steps) or "."


def _walk(folder: str, on_skip: OnSkip, seen: set[tuple[int, int]]) -> Iterator[str]:
    def unreadable(error: OSError) -> None:
        on_skip(Skip(error.filename or folder, str(error.strerror or error)))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        below = root[len(folder) :].lstrip("/")
        depth = below.count("/") + 1 if below else 0
        try:
            info = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen or depth > _MAX_DEPTH:
            dirs[:] = []
            continue
        seen.add(key)
        maildir = "cur" in dirs and "new" in dirs
        dirs[:] = sorted(
            d for d in dirs if d not in _SKIP_DIRS or (d == "tmp" and not maildir)
        )
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if folder == ".":
                path = path[2:]  # "x", not "./x" (as the user's own paths are tidied)
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                on_skip(Skip(path, str(error.strerror or error)))
                continue
            if stat.S_ISREG(mode):
                yield path
            else:
                on_skip(Skip(path, "not a regular file"))


def messages_of(path: str, max_size: int, on_skip: OnSkip) -> Iterator[Item]:
    """(source, index, bytes with LF line ends) of every message of one file: one for a
    message file, one per message for an mbox (streamed: memory stays bounded by one
    message; an oversized message keeps its head, told through `on_skip`). Compressed
    files and byte-order marks are read as what they hold (ingest/containers.py). ESP
    events and MTA logs give (source, index, Record) per event or log record instead
    (ingest/records.py), each bounded by `max_size`."""
    try:
        with open_regular(path) as handle:
            yield from messages_in(handle, path, max_size, on_skip)
    except InputError as error:
        on_skip(Skip(path, str(error), named=True))
    except OSError as error:
        on_skip(Skip(path, str(error.strerror or error)))


def messages_in(handle: BinaryIO, name: str, max_size: int, on_skip: OnSkip,
                label: str | None = None) -> Iterator[Item]:
    """The messages of an open stream (a file, standard input), as :func:`messages_of`
    gives them; `name` is their source, `label` names the input in messages (default
    `name`). Raises InputError for input that cannot be read (an archive, damaged
    compressed data, too large)."""
    label = label or name
    from .containers import as_text_bytes, opened, wide_encoding
    from .mbox import is_mbox, iter_mbox_file, normalise_newlines, split_messages
    from .records import records_in, sniff

    stream, head = opened(handle, label)
    if is_mbox(head):
        def cut(index: int) -> None:
            on_skip(Skip(label, f"message {index + 1} is larger than {max_size:,} bytes; only "
                               "its beginning was read (raise with --max-size)",
                         unreadable=False, partial=True))

        for index, raw in enumerate(iter_mbox_file(stream, max_size, cut)):
            yield name, index, normalise_newlines(raw)
        return
    shape = None if wide_encoding(head) else sniff(head)
    if shape is not None:  # ESP events or an MTA log: records, each within max_size
        yield from records_in(stream, name, shape, max_size, on_skip, label)
        return
    data = read_limited(stream, max_size, label)
    if wide_encoding(head):
        data = as_text_bytes(data)
    if not data.strip():
        on_skip(Skip(label, "empty file" if name != "-" else "empty input", unreadable=False))
        return
    data = normalise_newlines(data)
    for index, raw in enumerate(split_messages(data) if wide_encoding(head) else [data]):
        yield name, index, raw


def stdin_messages(max_size: int, on_skip: OnSkip) -> Iterator[Item]:
    """The messages on standard input (source "-"), as :func:`messages_of` gives a
    file's: an mbox streamed, else one message."""
    import sys

    stdin = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
    if stdin is None:
        on_skip(Skip("standard input", "there is none to read"))
        return
    try:
        yield from messages_in(stdin, "-", max_size, on_skip, "standard input")
    except InputError as error:
        on_skip(Skip("standard input", str(error), named=True))
    except OSError as error:
        on_skip(Skip("standard input", str(error.strerror or error)))


def read_input(handle: BinaryIO, max_size: int = DEFAULT_MAX_SIZE,
               name: str = "input") -> bytes:
    """All of one input (a file, standard input) as text bytes: decompressed, without a
    byte-order mark, UTF-16/32 re-encoded as UTF-8; at most `max_size` bytes after
    decompression. InputError names what could not be read."""
    from .containers import as_text_bytes, opened

    stream, _ = opened(handle, name)
    return as_text_bytes(read_limited(stream, max_size, name))


def decompressed(data: bytes, max_size: int = DEFAULT_MAX_SIZE, name: str = "input") -> bytes:
    """Bytes already in memory, read as :func:`read_input` reads a stream."""
    import io

    return read_input(io.BytesIO(data), max_size, name)


def any_records(files: list[str]) -> bool:
    """True when some file holds ESP events or an MTA log (possibly many records)."""
    from .containers import opened, wide_encoding
    from .records import sniff

    for path in files:
        try:
            with open_regular(path) as handle:
                head = opened(handle, path)[1]
                if not wide_encoding(head) and sniff(head) is not None:
                    return True
        except (InputError, OSError):
            continue
    return False


def any_mbox(files: list[str]) -> bool:
    """True when some file is an mbox (possibly many messages)."""
    from .containers import opened
    from .mbox import is_mbox

    for path in files:
        try:
            with open_regular(path) as handle:
                if is_mbox(opened(handle, path)[1]):
                    return True
        except (InputError, OSError):
            continue
    return False
