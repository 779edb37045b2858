"""Helpers shared by the checks: error results, record selection, tag lists."""

from __future__ import annotations

from collections.abc import Iterable

from ..sanitize import one_line
from .model import Check
from .resolver import Answer

#: Longest excerpt of a DNS record shown in details.
EXCERPT = 300


def could_not(name: str, subject: str, answer: Answer, where: str = "") -> Check:
    """An ``error`` check for a query that got no usable answer."""
    details = (f"query: {where}",) if where else ()
    return Check(name, "error", f"could not check: {answer.reason}", details, subject)


def excerpt(text: str) -> str:
    """A DNS record for display: sanitised, one line, capped."""
    return one_line(text, EXCERPT)


def records_with_prefix(values: Iterable[str], prefix: str) -> list[str]:
    """The TXT records whose version tag is `prefix` (``v=spf1``, ``v=DMARC1`` ...).

    The match is case-insensitive and the prefix must end the record or be followed by a
    space or a semicolon, so ``v=spf10`` is not SPF.
    """
    wanted = prefix.lower()
    found = []
    for value in values:
        text = value.strip()
        head = text[: len(wanted)].lower()
        rest = text[len(wanted) : len(wanted) + 1]
        if head == wanted and rest in ("", " ", ";", "\t"):
            found.append(text)
    return found


def parse_tags(record: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``k=v; k=v`` to an ordered list of (lower-cased key, value), plus problems."""
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    for part in record.split(";"):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if not eq or not key.isascii() or not key.replace("_", "a").isalnum():
            problems.append(f"malformed tag {excerpt(part)!r}")
            continue
        if any(key == seen for seen, _ in pairs):
            problems.append(f"tag {key}= appears twice")
            continue
        pairs.append((key, value.strip()))
    return pairs, problems


def plural(count: int, word: str) -> str:
    """``1 record``, ``2 records``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
