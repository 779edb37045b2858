"""Parsers: bytes of one message -> findings (what the bounce says, per recipient).

``registry.PARSERS`` is the single ordered list of parsers; :func:`read_findings` runs
them and fills gaps in a family parser's findings from the message's RFC 3464 part.
"""

from __future__ import annotations

from .driver import ParseResult, read_findings

__all__ = ["ParseResult", "read_findings"]
