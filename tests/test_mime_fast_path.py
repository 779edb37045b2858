"""The fast header reader gives exactly what the line-by-line reader gives, or
declines (and the line-by-line reader runs)."""

from __future__ import annotations

import pytest

from bouncefix import ingest
from bouncefix.mime import reader as mime
from bouncefix.mime.part import Part
from paths import CORPUS, SAMPLES

CRAFTED = [
    "From: a@example.org\nSubject: hi\n\nbody\n",
    "Subject: folded\n  over two\n\tlines\nTo: b@example.org\n\nbody",
    "Content-Type: multipart/mixed;\nboundary=\"abc:def\"\n\n--abc:def\n",
    "Content-Type: multipart/mixed;\n type=x:y\n\nbody",
    "Subject:\n continued only\n\nbody",
    "Subject:    \n\nbody",
    "X-A: 1\n   \nbody after a blank line of spaces",
    "X-A: 1\nnot a header line\nX-B: 2\n\nbody",
    "X-A: 1\nX-B: 2",
    "X-A: 1\n\n",
    "X-Long: " + "y" * (mime.MAX_HEADER_LENGTH + 10) + "\n\nbody",
    "".join(f"X-F{i}: {i}\n" for i in range(mime.MAX_HEADERS + 5)) + "\nbody",
    "Content-Type: text/plain; " + "; ".join(f"p{i}=v" for i in range(60)) + "\n\nbody",
]


def _texts() -> list[str]:
    texts = list(CRAFTED)
    files = [p for p in SAMPLES.rglob("*.eml")]
    if CORPUS.is_dir():
        files += [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".json"]
    for path in sorted(files):
        data = ingest.normalise_newlines(path.read_bytes())
        texts.append(data.decode("ascii", "surrogateescape"))
    return texts


def _slow(text: str) -> tuple[list[tuple[str, str]], str]:
    message = Part()
    if text.startswith("\n") or not mime._HEADER_START.match(text):
        return [], text[1:] if text.startswith("\n") else text
    body = mime._read_head_by_lines(message, text, mime.ParseState())
    return list(message.raw_items()), body


@pytest.mark.parametrize("text", _texts(), ids=lambda t: str(len(t)))
def test_fast_reader_agrees(text: str) -> None:
    fast, body = mime.read_head(text, mime.ParseState())
    assert (list(fast.raw_items()), body) == _slow(text)


def test_fast_reader_declines_what_it_cannot_read_plainly() -> None:
    for text in CRAFTED[2:3] + CRAFTED[7:9] + CRAFTED[10:12]:
        assert mime._read_plain_head(Part(), text) is None, text[:40]
