"""SPF macros (RFC 7208 section 7): ``exists:%{ir}.%{v}._spf.%{d2}`` and friends.

A domain-spec is parsed once (:func:`parse_macro_string`, string operations only, no
regexes) and expanded per evaluation (:func:`expand_domain_spec`) from a
:class:`MacroContext`. Macro letters::

    s  <sender>                    l  local-part of <sender>    o  domain of <sender>
    d  <domain> (the current one)  i  <ip> (IPv6 as 32 dot-separated nibbles)
    p  the validated PTR name      v  "in-addr" or "ip6"        h  HELO/EHLO name
    c r t  only allowed in exp= explanation text

followed by transformers (a digit count of right-hand parts to keep, ``r`` to reverse)
and delimiters (``.-+,/_=``, default ``.``); an upper-case letter URL-escapes the value.
``%%``, ``%_`` and ``%-`` stand for ``%``, a space and ``%20``.

A value the caller does not know raises :class:`NotEvaluated`, never a guess: the
sender's local part (``s``, ``l``) when only its domain was given, the HELO name
(``h``), ``p`` when the PTR lookups leave it open, and ``c``, ``r``, ``t`` in a
domain-spec (RFC 7208 allows them only in explanations; receivers differ on whether
using them elsewhere is a permerror). A malformed macro raises :class:`MacroSyntaxError`
(a permerror).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

MACRO_LETTERS = frozenset("slodiphcrtv")
EXPLANATION_ONLY = frozenset("crt")
DELIMITERS = frozenset(".-+,/_=")
ESCAPES = {"%": "%", "_": " ", "-": "%20"}
MAX_NAME = 253  #: longest domain name in text form; longer expansions lose left labels
MAX_SENDER = 320  #: longest sender address taken (64 + 1 + 255)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class MacroSyntaxError(ValueError):
    """A malformed macro-string (the record is a permerror); the message is for the user."""


class NotEvaluated(Exception):
    """The value of a macro, or the outcome of a lookup, is not known: no result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Macro:
    """One ``%{...}`` expansion."""

    letter: str  #: lower case
    url_escape: bool  #: the letter was upper case
    keep: int | None  #: right-hand parts to keep (None: all)
    reverse: bool
    delimiters: str  #: "" for the default "."


Token = str | Macro


@dataclass(frozen=True)
class MacroContext:
    """What the macros of one check_host() call expand to.

    `sender` is the full ``local@domain`` when known, else "" (``s`` and ``l`` are then
    not evaluated); `original_domain` is the domain check_host() started from (``o``
    when no sender is given); `validated_name` gives ``p`` for the current domain.
    """

    ip: IPAddress
    domain: str
    original_domain: str
    sender: str = ""
    helo: str = ""
    validated_name: Callable[[str], str] | None = None


def parse_macro_string(text: str) -> tuple[Token, ...]:
    """Literal strings and :class:`Macro` items; MacroSyntaxError if malformed."""
    return _scan(text)[0]


def _scan(text: str) -> tuple[tuple[Token, ...], str]:
    """The tokens, and the literal text after the last macro-expand (escapes count)."""
    tokens: list[Token] = []
    literal: list[str] = []
    tail_start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char != "%":
            if not "!" <= char <= "~":
                raise MacroSyntaxError(f"character {char!a} is not allowed in a domain-spec")
            literal.append(char)
            index += 1
            continue
        following = text[index + 1 : index + 2]
        if following in ESCAPES:
            literal.append(ESCAPES[following])
            index += 2
            tail_start = index
            continue
        if following != "{":
            raise MacroSyntaxError("'%' must be followed by '{', '%', '_' or '-'")
        end = text.find("}", index + 2)
        if end < 0:
            raise MacroSyntaxError("unterminated macro '%{'")
        if literal:
            tokens.append("".join(literal))
            literal = []
        tokens.append(_parse_macro(text[index + 2 : end]))
        index = tail_start = end + 1
    if literal:
        tokens.append("".join(literal))
    return tuple(tokens), text[tail_start:]


def _parse_macro(body: str) -> Macro:
    shown = "%{" + body[:20] + "}"
    if not body or body[0].lower() not in MACRO_LETTERS or not body[0].isascii():
        raise MacroSyntaxError(f"unknown macro letter in {shown!r}")
    index = 1
    while index < len(body) and body[index] in "0123456789":
        index += 1
    digits = body[1:index]
    reverse = body[index : index + 1] in ("r", "R")
    delimiters = body[index + 1 if reverse else index :]
    if any(char not in DELIMITERS for char in delimiters):
        raise MacroSyntaxError(f"bad transformer or delimiter in {shown!r}")
    keep: int | None = None
    if digits:
        significant = digits.lstrip("0")
        if not significant:
            raise MacroSyntaxError(f"the digit transformer must not be zero in {shown!r}")
        keep = int(significant) if len(significant) <= 6 else None
    return Macro(body[0].lower(), body[0].isupper(), keep, reverse, delimiters)


def domain_spec_problem(text: str) -> str | None:
    """Why a domain-spec holding macros is malformed (RFC 7208 section 7.1), or None.

    It must parse, and end in a macro-expand or in ``.toplabel`` (optionally ``.``).
    """
    try:
        tokens, tail = _scan(text)
    except MacroSyntaxError as error:
        return str(error)
    if not tokens:
        return "empty domain"
    if not tail:
        return None
    tail = tail[:-1] if tail.endswith(".") else tail
    _, dot, top = tail.rpartition(".")
    if not dot or not _toplabel(top):
        return "must end in a macro or a top-level label"
    return None


def _toplabel(label: str) -> bool:
    if not label or not label.isascii() or not label.replace("-", "").isalnum():
        return False
    if "-" in label:
        return not label.startswith("-") and not label.endswith("-")
    return any(char.isalpha() for char in label)


def expand_macro_string(text: str, context: MacroContext) -> str:
    """`text` with every macro and escape expanded (MacroSyntaxError, NotEvaluated)."""
    return "".join(
        token if isinstance(token, str) else expand_macro(token, context)
        for token in parse_macro_string(text)
    )


def expand_domain_spec(text: str, context: MacroContext) -> str:
    """The name `text` stands for: expanded, lower-cased, no final dot, at most 253
    characters (left labels dropped, RFC 7208 section 7.3). Not validated for a query.
    """
    expanded = expand_macro_string(text, context)
    return shorten(expanded[:-1] if expanded.endswith(".") else expanded).lower()


def shorten(name: str) -> str:
    """Drop whole labels from the left until `name` fits in 253 characters."""
    if len(name) <= MAX_NAME:
        return name
    start = name.find(".")
    while start >= 0 and len(name) - start - 1 > MAX_NAME:
        start = name.find(".", start + 1)
    return name if start < 0 else name[start + 1 :]


def expand_macro(macro: Macro, context: MacroContext) -> str:
    """One macro's value, transformed and (for upper-case letters) URL-escaped."""
    value = macro_value(macro.letter, context)
    if macro.keep is not None or macro.reverse or macro.delimiters:
        parts = split_parts(value, macro.delimiters or ".")
        if macro.reverse:
            parts.reverse()
        if macro.keep is not None:
            parts = parts[-macro.keep :]
        value = ".".join(parts)
    return quote(value, safe="") if macro.url_escape else value


def split_parts(value: str, delimiters: str) -> list[str]:
    """`value` split at every character of `delimiters` (empty parts kept)."""
    parts: list[str] = []
    current: list[str] = []
    for char in value:
        if char in delimiters:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def macro_value(letter: str, context: MacroContext) -> str:
    """The untransformed value of a macro letter (lower case)."""
    local, _, sender_domain = context.sender.rpartition("@")
    if letter == "d":
        return context.domain
    if letter == "o":
        return sender_domain or context.original_domain
    if letter == "i":
        if context.ip.version == 4:
            return str(context.ip)
        return ".".join(context.ip.exploded.replace(":", ""))
    if letter == "v":
        return "in-addr" if context.ip.version == 4 else "ip6"
    if letter in ("s", "l"):
        if not context.sender:
            raise NotEvaluated(f"%{{{letter}}} needs the sender's address (MAIL FROM), "
                               "which is not known here")
        return context.sender if letter == "s" else local
    if letter == "h":
        if not context.helo:
            raise NotEvaluated("%{h} needs the HELO/EHLO name of the sending server, "
                               "which is not known here")
        return context.helo
    if letter == "p":
        if context.validated_name is None:
            raise NotEvaluated("%{p} needs a validated PTR name, which was not looked up")
        return context.validated_name(context.domain)
    raise NotEvaluated(f"%{{{letter}}} is only allowed in exp= explanations (RFC 7208 "
                       "section 7.1); receivers differ on what it means elsewhere")


def normalise_sender(sender: str) -> str:
    """A MAIL FROM address as ``local@domain``: lower-case domain, ``postmaster`` for
    an empty local part (RFC 7208 section 4.3), "" when unusable."""
    address = sender.strip().strip("<>")
    if not address or len(address) > MAX_SENDER or any(not "!" <= c <= "~" for c in address):
        return ""
    local, at, domain = address.rpartition("@")
    if not at:
        local, domain = "", address
    return f"{local or 'postmaster'}@{domain.lower().rstrip('.')}" if domain else ""
