"""The one ordered list of parsers. To add an MTA or provider format: write a module in
``families/``, import it here and put it in ``PARSERS`` before the standard DSN parser.

Order: structural kinds first (feedback reports, auto-replies), then the families (each
recognises its own reports by headers or fixed sentences), then plain RFC 3464, then
the free-text fallback.
"""

from __future__ import annotations

from . import autoreply, dsn, feedback, generic
from .base import Parser

FAMILIES: tuple[Parser, ...] = ()

PARSERS: tuple[Parser, ...] = (feedback, autoreply, *FAMILIES, dsn, generic)
