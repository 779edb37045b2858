"""Which recipients of a scan to keep: by reason, hard or soft, recipient domain, bounce
date and message kind.

A :class:`RecipientFilter` works per recipient. The kind and the date belong to the
message (the bounce's own ``Date``), so they keep or drop all its recipients at once; the
reason, the hardness and the domain are tested on each recipient. A message left with no
recipient is not output at all. A message that had no recipient to begin with (a
message that is not a bounce) is kept only when no recipient criterion is given and its
kind and date match (``--kind not-bounce`` lists them).

>>> keep = RecipientFilter(reasons=frozenset({Reason.USERUNKNOWN}))
>>> from bouncefix import analyze
>>> [report] = analyze("550 5.1.1 <ann@example.org>: user unknown")
>>> keep.apply(report) is not None, keep.apply(report.__class__(Kind.BOUNCE)) is None
(True, True)

Nothing here prints or reads the command line: the parsers raise ``ValueError`` with a
message for the user (the valid values, and the nearest one).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from .model import Kind, MessageReport, Reason, RecipientReport

E = TypeVar("E", bound=enum.Enum)


@dataclass(frozen=True)
class RecipientFilter:
    """What to keep; an empty criterion keeps everything."""

    reasons: frozenset[Reason] = frozenset()
    #: True: only hard bounces; False: only recipients that are not hard bounces
    hard: bool | None = None
    #: lower-case recipient domains; each also matches its subdomains
    domains: tuple[str, ...] = ()
    #: bounce dates, inclusive (aware datetimes); a message with no date is left out
    since: datetime | None = None
    until: datetime | None = None
    kinds: frozenset[Kind] = frozenset()

    @property
    def active(self) -> bool:
        """True when some criterion is given."""
        return bool(self.reasons or self.hard is not None or self.domains or self.since
                    or self.until or self.kinds)

    @property
    def per_recipient(self) -> bool:
        """True when some criterion is tested on each recipient."""
        return bool(self.reasons or self.hard is not None or self.domains)

    def message_matches(self, report: MessageReport) -> bool:
        """The message-level criteria: kind and bounce date."""
        if self.kinds and report.kind not in self.kinds:
            return False
        if self.since is None and self.until is None:
            return True
        moment = parse_iso(report.date)
        if moment is None:
            return False
        return ((self.since is None or moment >= self.since)
                and (self.until is None or moment <= self.until))

    def recipient_matches(self, item: RecipientReport) -> bool:
        """The per-recipient criteria: reason, hard or soft, domain."""
        diagnosis = item.diagnosis
        if self.reasons and diagnosis.reason not in self.reasons:
            return False
        if self.hard is not None and diagnosis.hard_bounce is not self.hard:
            return False
        if self.domains:
            domain = domain_of(item.finding.address)
            return bool(domain) and any(domain == d or domain.endswith("." + d)
                                        for d in self.domains)
        return True

    def apply(self, report: MessageReport) -> MessageReport | None:
        """`report` with only the recipients kept, or None when none is left."""
        if not self.active:
            return report
        if not self.message_matches(report):
            return None
        if not report.recipients:
            return None if self.per_recipient else report
        kept = tuple(item for item in report.recipients if self.recipient_matches(item))
        if not kept:
            return None
        return report if len(kept) == len(report.recipients) else report._replace(
            recipients=kept)


def domain_of(address: str | None) -> str:
    """The lower-case domain of an address ('' when it has none), IDNs as punycode so
    that 'bücher.example' and 'xn--bcher-kva.example' are the same domain."""
    if not address or "@" not in address:
        return ""
    return normalise_domain(address.rpartition("@")[2])


def normalise_domain(domain: str) -> str:
    """Lower case, no surrounding dots or '@', ASCII (punycode) where it is an IDN."""
    domain = domain.strip().strip(">").lstrip("@").strip(".").lower()
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def parse_reasons(values: Iterable[str]) -> frozenset[Reason]:
    """Reason ids (each value may list several, comma-separated); ValueError naming
    the valid ids and the nearest one for an unknown id."""
    return frozenset(_members(Reason, values, "reason"))


def parse_kinds(values: Iterable[str]) -> frozenset[Kind]:
    """Message kinds (bounce, delay, ...), as :func:`parse_reasons`."""
    return frozenset(_members(Kind, values, "kind"))


def parse_domains(values: Iterable[str]) -> tuple[str, ...]:
    """Domains to keep, normalised; ValueError for one that cannot be a domain."""
    out = []
    for value in _split(values):
        domain = normalise_domain(value)
        if not domain or any(c.isspace() or c in "@/\\<>,;\"'" for c in domain) \
                or ".." in domain:
            raise ValueError(f"{value!r} is not a domain (like example.org)")
        out.append(domain)
    return tuple(dict.fromkeys(out))


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _members(enum_type: type[E], values: Iterable[str], noun: str) -> list[E]:
    import difflib

    by_value = {str(member.value): member for member in enum_type}
    squashed = {name.replace("-", ""): member for name, member in by_value.items()}
    out = []
    for value in _split(values):
        member = squashed.get(value.lower().replace("_", "").replace("-", ""))
        if member is None:
            near = difflib.get_close_matches(value.lower(), list(by_value), n=1, cutoff=0.6)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ValueError(f"{value!r} is not a {noun}{hint}; the {noun}s are: "
                             + ", ".join(sorted(by_value)))
        out.append(member)
    return out


def parse_date(value: str, end_of_day: bool = False) -> datetime:
    """A date bound: ``YYYY-MM-DD`` (the whole day, UTC: its start, or with `end_of_day`
    its last moment) or an ISO 8601 date and time (``2026-03-05T14:30``, with an offset
    or ``Z``; without one, UTC). ValueError otherwise."""
    text = value.strip()
    moment = parse_iso(text)
    if moment is None:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD or ISO 8601 "
                         "(2026-03-05T14:30:00+01:00)")
    if end_of_day and len(text) == 10:
        moment += timedelta(days=1, microseconds=-1)
    return moment


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or date and time as an aware datetime (UTC when it names no
    offset), or None."""
    if not value or len(value) > 64:
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
