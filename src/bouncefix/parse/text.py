"""Helpers for reading free-text reports: cutting off the returned message, finding the
paragraph that talks about a recipient, and pulling the server's words out of it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bouncefix import recache

from ..model import Finding
from . import codes

# Lines after which a report quotes the message it returns.
_RETURNED = recache.compile(
    r"(?im)^[ \t]*(?:"
    r"-{2,}[ \t]*(?:original[ \t]+message|this[ \t]+is[ \t]+a[ \t]+copy|below[ \t]+this[ \t]+line"
    r"|returned[ \t]+message|undelivered[ \t]+message|message[ \t]+headers?[ \t]+follow"
    r"|start[ \t]+of[ \t]+(?:returned|original)|original[ \t]+message[ \t]+(?:headers|follows))"
    r"|content-type:[ \t]*(?:message/rfc822|text/rfc822-headers)"
    r"|(?:-{2,}[ \t]*)?the[ \t]+original[ \t]+message[ \t]+(?:headers|follows)"
    r"|original[ \t]+message[ \t]+headers?:?"
    r")"
)
_PARAGRAPH_BREAK = recache.compile(r"\n[ \t]*\n")
_SYSTEM_LOCALS = recache.compile(
    r"(?i)^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|mailer_daemon|"
    r"noreply|no-reply|bounces?|double-bounce|nobody|root|daemon)$"
)
_CODE_LINE = recache.compile(r"(?:^|[\s:;(\[])[245][0-5]\d(?:[ \t-]|$)|[245]\.\d{1,3}\.\d{1,3}")


@lru_cache(maxsize=16)
def report_part(text: str) -> str:
    """The text up to where the returned message starts (memoised: every parser asks)."""
    match = _RETURNED.search(text)
    return text[: match.start()] if match else text


def is_system_address(address: str) -> bool:
    """True for mailer-daemon, postmaster and similar robot addresses."""
    return bool(_SYSTEM_LOCALS.match(address.split("@", 1)[0]))


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped of leading/trailing blank lines."""
    return list(_paragraphs(text))


@lru_cache(maxsize=16)
def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip("\n") for p in _PARAGRAPH_BREAK.split(text) if p.strip())


def server_words(block: str) -> str:
    """The most reply-like sentence in `block`: from the first line carrying a code,
    through its continuation lines, unwrapped. Falls back to the whole block."""
    lines = block.split("\n")
    for index, line in enumerate(lines):
        if _CODE_LINE.search(line):
            taken = [line]
            for follow in lines[index + 1 : index + 12]:
                if not follow.strip():
                    break
                taken.append(follow)
            return codes.unwrap_reply("\n".join(taken))
    return codes.unwrap_reply(block)


def finding_from_words(words: str, address: str | None, parser: str, **extra: object) -> Finding:
    """A Finding for `address` with codes and command pulled out of `words`."""
    words = words.strip()
    return Finding(
        address=address,
        reply_code=codes.find_reply_code(words),
        status=codes.find_status(words),
        diagnostic=words or None,
        smtp_command=codes.find_command(words),
        parser=parser,
        **extra,  # type: ignore[arg-type]
    )


def unique(addresses: Iterable[str | None]) -> list[str]:
    """Addresses without None and without case-insensitive duplicates, order kept."""
    seen: set[str] = set()
    out = []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out
