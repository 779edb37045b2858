"""SPF record syntax (RFC 7208), parsed with string operations only (no regexes).

Domain-specs keep their case when they hold macros (an upper-case macro letter means
URL-escaping, :mod:`bouncefix.dns.spf_macro`); plain names are lower-cased.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .common import excerpt
from .spf_macro import domain_spec_problem as macro_spec_problem
from .validate import TargetError, check_name

MECHANISMS = frozenset({"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"})
LOOKUP_TERMS = frozenset({"include", "a", "mx", "ptr", "exists"})
QUALIFIERS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
_MODIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Term:
    """A mechanism: qualifier, name, domain-spec or network, CIDR lengths."""

    qualifier: str
    mechanism: str
    value: str = ""
    network: Network | None = None
    cidr4: int = 32
    cidr6: int = 128

    @property
    def has_macro(self) -> bool:
        """The domain-spec holds macros (``%{i}``), so it cannot be resolved statically."""
        return "%" in self.value

    @property
    def text(self) -> str:
        """The mechanism as written, without its CIDR lengths (for notes)."""
        return f"{self.mechanism}:{self.value}" if self.value else self.mechanism


@dataclass
class SpfRecord:
    """One parsed record."""

    text: str
    mechanisms: list[Term] = field(default_factory=list)
    redirect: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def all_term(self) -> Term | None:
        """The ``all`` mechanism, if any."""
        return next((t for t in self.mechanisms if t.mechanism == "all"), None)


def parse_spf(text: str) -> SpfRecord:
    """Parse a record starting with ``v=spf1``; syntax problems are collected."""
    record = SpfRecord(text)
    seen: set[str] = set()
    for word in text.split()[1:]:
        name, eq, value = word.partition("=")
        if eq and name and set(name.lower()) <= _MODIFIER_CHARS and name[0].isalpha():
            _modifier(record, name.lower(), value, seen)
        else:
            try:
                record.mechanisms.append(parse_term(word))
            except ValueError as error:
                record.problems.append(str(error))
    return record


def _modifier(record: SpfRecord, name: str, value: str, seen: set[str]) -> None:
    if name in seen and name in ("redirect", "exp"):
        record.problems.append(f"modifier {name}= appears twice")
    seen.add(name)
    if name == "redirect":
        problem = domain_spec_problem(value)
        if problem:
            record.problems.append(f"redirect={excerpt(value)}: {problem}")
        else:
            record.redirect = _case(value)


def parse_term(word: str) -> Term:
    """One mechanism; ValueError with a readable message when it is malformed."""
    qualifier = word[0] if word[:1] in QUALIFIERS else "+"
    body = word[1:] if word[:1] in QUALIFIERS else word
    cut = min((i for i in (body.find(":"), body.find("/")) if i >= 0), default=len(body))
    name, rest = body[:cut].lower(), body[cut:]
    if name not in MECHANISMS:
        raise ValueError(f"unknown mechanism {excerpt(word)!r}")
    if name == "all":
        if rest:
            raise ValueError(f"'all' takes no argument: {excerpt(word)!r}")
        return Term(qualifier, name)
    if name in ("ip4", "ip6"):
        return Term(qualifier, name, rest[1:], network=_network(name, rest, word))
    domain, cidr4, cidr6 = _split_cidr(rest, word, allow_cidr=name in ("a", "mx"))
    if name in ("include", "exists") and not domain:
        raise ValueError(f"{name} needs a domain: {excerpt(word)!r}")
    if domain:
        problem = domain_spec_problem(domain)
        if problem:
            raise ValueError(f"{excerpt(word)!r}: {problem}")
    return Term(qualifier, name, _case(domain), cidr4=cidr4, cidr6=cidr6)


def _case(domain_spec: str) -> str:
    return domain_spec if "%" in domain_spec else domain_spec.lower()


def _network(name: str, rest: str, word: str) -> Network:
    if not rest.startswith(":"):
        raise ValueError(f"{name} needs an address: {excerpt(word)!r}")
    try:
        network = ipaddress.ip_network(rest[1:], strict=False)
    except ValueError:
        raise ValueError(f"bad address in {excerpt(word)!r}") from None
    if network.version != (4 if name == "ip4" else 6) or rest.endswith("/"):
        raise ValueError(f"bad address in {excerpt(word)!r}")
    return network


def _split_cidr(rest: str, word: str, allow_cidr: bool) -> tuple[str, int, int]:
    domain = ""
    if rest.startswith(":"):
        rest = rest[1:]
        slash = _cidr_start(rest)
        domain, rest = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
    if rest and not allow_cidr:
        raise ValueError(f"unexpected CIDR length in {excerpt(word)!r}")
    cidr4, _, cidr6 = rest.partition("//")
    if cidr4.startswith("/"):
        cidr4 = cidr4[1:]
    elif cidr4:
        raise ValueError(f"bad CIDR length in {excerpt(word)!r}")
    four = _cidr(cidr4, 32, word)
    six = _cidr(cidr6, 128, word)
    return domain, four, six


def _cidr_start(text: str) -> int:
    """Where the CIDR lengths start: the first '/' outside a macro (``%{l/}``), or -1."""
    index = 0
    while index < len(text):
        if text[index] == "/":
            return index
        if text[index : index + 2] == "%{":
            end = text.find("}", index)
            if end < 0:
                return -1  # malformed: the domain-spec check reports it
            index = end + 1
        else:
            index += 2 if text[index] == "%" else 1
    return -1


def _cidr(text: str, top: int, word: str) -> int:
    if not text:
        return top
    if not text.isdigit() or len(text) > 3 or int(text) > top or text != str(int(text)):
        raise ValueError(f"bad CIDR length in {excerpt(word)!r}")
    return int(text)


def domain_spec_problem(value: str) -> str | None:
    """Why `value` is not a usable domain-spec, or None (RFC 7208 sections 4.6.1, 7.1)."""
    if not value:
        return "empty domain"
    if "%" in value:
        return macro_spec_problem(value)
    try:
        check_name(value)
    except TargetError as error:
        return str(error)
    return None
