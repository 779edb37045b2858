"""Input as it arrives: compressed files and text encodings around the messages.

A saved bounce may be gzip-, bzip2- or xz-compressed (``bounces.mbox.gz``), may start with
a byte-order mark (Windows editors write one before UTF-8), or may be UTF-16 or UTF-32
text with its byte-order mark (saved from Outlook or Notepad). Each is read as what it
holds; archives (zip, 7z, tar) and formats the standard library cannot read are refused by
name, never analysed as if they were text. Decompressed data is bounded by the same size
limit as plain input, so a small bomb cannot fill memory.
"""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from .errors import InputError

#: (magic bytes at offset 0, name) of compressed formats we decompress
_COMPRESSED = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))
#: (magic bytes, offset, name, what to do) of containers we refuse by name
_REFUSED = (
    (b"PK\x03\x04", 0, "a zip archive", "unpack it and scan the folder"),
    (b"PK\x05\x06", 0, "an empty zip archive", "it holds no messages"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7z archive", "unpack it and scan the folder"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd-compressed data", "decompress it first (zstd -d)"),
    (b"ustar", 257, "a tar archive", "unpack it and scan the folder"),
)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
UTF8_BOM = b"\xef\xbb\xbf"
HEAD = 1024


def opened(handle: BinaryIO, name: str) -> tuple[BinaryIO, bytes]:
    """(stream of what `handle` holds, its first bytes): decompressed when compressed,
    without a UTF-8 byte-order mark. The stream gives the first bytes again.
    InputError names an archive or a damaged compressed stream."""
    head = _read_head(handle, max(HEAD, 262))
    refusal = refused(head, name)
    if refusal:
        raise InputError(refusal)
    stream = cast(BinaryIO, Rejoined(head, handle))  # only read() and fileno() are used
    for magic, kind in _COMPRESSED:
        if head.startswith(magic):
            stream = cast(BinaryIO, _Decompressing(_decompressor(kind, stream), kind, name))
            head = _read_head(stream, HEAD)
            if refused(head, name) or compressed(head):
                raise InputError(refused(head, name) or f"{name}: compressed twice: "
                                 "decompress it first")
            stream = cast(BinaryIO, Rejoined(head, stream))
            break
    if head.startswith(UTF8_BOM):
        stream.read(len(UTF8_BOM))
        head = head[len(UTF8_BOM):]
    return stream, head


def compressed(head: bytes) -> bool:
    """True when `head` starts like gzip, bzip2 or xz data."""
    return any(head.startswith(magic) for magic, _ in _COMPRESSED)


def refused(head: bytes, name: str) -> str | None:
    """The error for a container we do not open, or None."""
    for magic, offset, kind, advice in _REFUSED:
        if head[offset:offset + len(magic)] == magic:
            return f"{name} is {kind}: {advice}"
    return None


def wide_encoding(head: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte-order mark at the start announces."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def as_text_bytes(data: bytes) -> bytes:
    """`data` without a UTF-8 byte-order mark, UTF-16/UTF-32 (with their mark) re-encoded
    as UTF-8; anything else unchanged."""
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM):]
    encoding = wide_encoding(data[:4])
    if encoding is None:
        return data
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
    return text.encode("utf-8", errors="surrogateescape")


class Rejoined:
    """A stream that first gives back the bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if 0 <= size <= len(self.head):
            data, self.head = self.head[:size], self.head[size:]
            return data
        data, self.head = self.head, b""
        return data + self.rest.read(size - len(data) if size > 0 else -1)

    def fileno(self) -> int:
        return self.rest.fileno()


def _read_head(handle: Any, size: int) -> bytes:
    """Up to `size` bytes, reading again after short reads (pipes, decompressors)."""
    head = b""
    while len(head) < size:
        chunk = handle.read(size - len(head))
        if not chunk:
            break
        head += chunk
    return head


def _decompressor(kind: str, stream: BinaryIO) -> BinaryIO:
    if kind == "gzip":
        import gzip

        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    if kind == "bzip2":
        import bz2

        return bz2.BZ2File(stream)  # type: ignore[return-value]
    import lzma

    return lzma.LZMAFile(stream)  # type: ignore[return-value]


class _Decompressing:
    """A decompressing stream whose errors are InputErrors naming the input."""

    def __init__(self, stream: BinaryIO, kind: str, name: str) -> None:
        self.stream, self.kind, self.name = stream, kind, name

    def read(self, size: int = -1) -> bytes:
        import lzma
        import zlib

        try:
            return self.stream.read(size)
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
            raise InputError(f"{self.name}: damaged {self.kind} data ({error})") from None

    def fileno(self) -> int:
        raise OSError("no file size for decompressed data")
