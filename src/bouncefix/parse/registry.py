"""The one ordered list of parsers. To add an MTA or provider format: write a module in
``families/``, add its name to ``_FAMILY_MODULES`` below (one line), and add a sample
under ``tests/samples/``.

Order: structural kinds first (feedback reports, mailing-list notices about one's own
post, auto-replies), then the families (each
recognises its own reports by headers or fixed sentences; providers before the MTA
software they run on), then plain RFC 3464, then text pasted without headers, then the free-text fallback.
"""

from __future__ import annotations

import importlib
from typing import cast

from . import autoreply, dsn, feedback, generic, listnotice, pasted
from .base import Parser

_FAMILY_MODULES: tuple[str, ...] = (
    # -- providers (group D) --
    "googlegroups",
    "gmail",
    "yahoo",
    "aol",
    "amazonworkmail",
    "amazonses",
    "zoho",
    "verizon",
    "facebook",
    "apple",
    "godaddy",
    # -- providers, regional (group E) --
    "kddi",
    "biglobe",
    "mailru",
    "yandex",
    "gmx",
    "pec",
    # -- Microsoft and mail gateways (group C) --
    "exchange2003",
    "exchange",
    "outlook",
    "mcafee",
    "mfilter",
    "surfcontrol",
    "barracuda",
    "messagelabs",
    "mimecast",
    "trendmicro",
    "amavis",
    "sendgrid",
    # -- other MTAs (group B) --
    "powermta",
    "fml",
    "activehunter",
    "mailfoundry",
    "mdaemon",
    "openmail",
    "autogendsn",
    "troubledelivering",
    "imail",
    "domino",
    "notes",
    "messagingserver",
    "dragonfly",
    "qmail",
    # -- classic MTAs (group A) --
    "opensmtpd",
    "courier",
    "postfix",
    "sendmail",
    "exim",
)

FAMILIES: tuple[Parser, ...] = tuple(
    cast(Parser, importlib.import_module(f"{__package__}.families.{name}"))
    for name in _FAMILY_MODULES
)

PARSERS: tuple[Parser, ...] = (feedback, listnotice, autoreply, *FAMILIES, dsn, pasted,
                               generic)

#: each parser with its SIGNATURE: lower-case words of which at least one occurs in
#: ``Mail.signature_text`` whenever the parser's ``matches`` can be true. The driver
#: skips ``matches`` (regular expressions, often case-insensitive: the costly part of
#: reading a message) when none occurs. An empty signature means "always ask".
GATED: tuple[tuple[Parser, tuple[str, ...]], ...] = tuple(
    (parser, parser.SIGNATURE) for parser in PARSERS
)
