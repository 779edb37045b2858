"""Bytes in, messages out: files and folders (files.py), compressed input and byte-order
marks (containers.py), mbox files split or streamed and line ends normalised (mbox.py),
all within size limits. Whether a message has headers is decided later (mail.py), so a
pasted fragment and a full .eml take the same path."""

from __future__ import annotations

from .containers import as_text_bytes
from .errors import DEFAULT_MAX_SIZE, InputError, Skip
from .files import (
    OnSkip,
    any_mbox,
    decompressed,
    files_of,
    messages_in,
    messages_of,
    open_regular,
    read_input,
    read_limited,
    stdin_messages,
    tidy,
)
from .mbox import is_mbox, iter_mbox_file, normalise_newlines, split_messages

__all__ = [
    "DEFAULT_MAX_SIZE",
    "InputError",
    "OnSkip",
    "Skip",
    "any_mbox",
    "as_text_bytes",
    "decompressed",
    "files_of",
    "is_mbox",
    "iter_mbox_file",
    "messages_in",
    "messages_of",
    "normalise_newlines",
    "open_regular",
    "read_input",
    "read_limited",
    "split_messages",
    "stdin_messages",
    "tidy",
]
