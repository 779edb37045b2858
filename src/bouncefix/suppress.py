"""The suppression list: the addresses to stop sending to, from many bounces.

An address is listed when

- a **bounce** says it is bad and the diagnosis is sure of it (``Diagnosis.suppress``
  on a hard bounce: unknown user or domain, moved, refuses mail, at high confidence);
- a **complaint** names it (an ARF feedback report of abuse or fraud:
  ``Diagnosis.suppress`` on a feedback report);
- optionally (``Policy.soft_threshold``), it **soft-bounced repeatedly**: at least that
  many bounces whose reason lies on the recipient's side (``side: recipient`` in
  reasons.yaml: mailbox full, account suspended, an unknown user the diagnosis is not
  sure of ...; never the sender's own problems such as a blocklisting or a DMARC
  failure), the first and the last at least ``Policy.soft_days`` days apart.

Never from a delay, an auto-reply, a delivery notice or a message that is not a bounce.
Addresses are deduplicated with the domain in lower case (the local part is kept as
written: RFC 5321 lets it be case-sensitive).

Bounces can be forged to get good addresses suppressed. With ``Policy.our_domains`` a
bounce counts only when it shows it answers mail we sent: the returned message's sender
(``MessageReport.original.sender``) is at one of our domains, or the bounce was sent to a
VERP address at one of them (``bounces+jane=example.org@our.example``, which then also
has to name the failed recipient). :class:`SuppressionList` counts the bounces that
quoted no original message, so that the caller can say how many were not trusted.

Work is split as for a scan: :class:`Collect` runs in the worker processes and returns a
small :class:`Candidates`; :class:`SuppressionList` (in the main process) keeps one
entry per address listed, plus, with a soft threshold, one per soft-bounced address (at
most :data:`MAX_TRACKED`).

>>> from bouncefix import analyze
>>> [report] = analyze("550 5.1.1 <Ann@Example.ORG>: Recipient address rejected: User unknown")
>>> found = SuppressionList()
>>> found.add(Collect()(report))
>>> [entry.address for entry in found.entries()]
['Ann@example.org']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timezone
from typing import TYPE_CHECKING, NamedTuple

from .filters import domain_of, normalise_domain, parse_iso
from .model import Kind, MessageReport, Reason, RecipientReport
from .regex import lazy
from .sanitize import one_line

if TYPE_CHECKING:
    from .ingest.errors import Failure, Skip

#: soft-bounced addresses followed at most (with a soft threshold); more are not counted
MAX_TRACKED = 1_000_000

HARD, COMPLAINT, SOFT = "hard", "complaint", "repeated-soft"
_STRENGTH = {HARD: 3, COMPLAINT: 2, SOFT: 1}

# local@domain with nothing a list could be split on (no space, comma, angle bracket,
# quote or second @): anything else is not written to a suppression list
_ADDRESS = lazy(r"[^\s@<>,;:\"'()\[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
# bounces+jane=example.org, bounce-jane=example.org (VERP: the recipient in the local part)
_VERP = lazy(r"[^+=@]*?[+-](?P<local>[^=@]+)=(?P<domain>[^=@]+)")


class Policy(NamedTuple):
    """What counts."""

    #: count only bounces of mail sent from these domains (and their subdomains)
    our_domains: tuple[str, ...] = ()
    #: list addresses with at least this many recipient-side soft bounces (None: off)
    soft_threshold: int | None = None
    #: ... whose first and last are at least this many days apart
    soft_days: float = 0.0


class Event(NamedTuple):
    """One bounce of one address that may list it."""

    address: str
    type: str  #: HARD, COMPLAINT or SOFT
    reason: str
    code: str
    date: str | None


class Candidates(NamedTuple):
    """What one message contributes (small to pickle)."""

    events: tuple[Event, ...] = ()
    #: a bounce or complaint that could list an address (before --our-domain)
    considered: bool = False
    #: ... that quoted no original message (no sender of the returned message)
    unquoted: bool = False
    #: events left out because the bounce did not show it answers our mail
    not_ours: int = 0
    #: recipients whose address cannot be written to a list
    unusable: int = 0


class Collect:
    """The worker's part: a report's candidate events (picklable)."""

    __slots__ = ("policy",)

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()

    def __call__(self, report: MessageReport) -> Candidates:
        if report.kind not in (Kind.BOUNCE, Kind.FEEDBACK):
            return Candidates()
        soft = self.policy.soft_threshold is not None
        chosen = [(item, kind) for item in report.recipients
                  if (kind := event_type(report.kind, item, soft)) is not None]
        if not chosen:
            return Candidates()
        original = report.original
        unquoted = original is None or not original.sender
        ours, verp = _ours(report, self.policy.our_domains)
        events, not_ours, unusable = [], 0, 0
        for item, kind in chosen:
            address = normalise_address(item.finding.address)
            if address is None:
                unusable += 1
            elif not ours or (verp is not None and address.lower() != verp.lower()):
                not_ours += 1
            else:
                code = " ".join(c for c in (item.finding.reply_code, item.diagnosis.status) if c)
                events.append(Event(address, kind, item.diagnosis.reason.value, code,
                                    report.date))
        return Candidates(tuple(events), True, unquoted, not_ours, unusable)


def event_type(kind: Kind, item: RecipientReport, soft: bool) -> str | None:
    """HARD, COMPLAINT, SOFT (only when `soft`) or None for one recipient of a message
    of `kind`."""
    diagnosis = item.diagnosis
    if kind is Kind.FEEDBACK:
        return COMPLAINT if diagnosis.suppress else None
    if kind is not Kind.BOUNCE:
        return None
    if diagnosis.suppress and diagnosis.hard_bounce:
        return HARD
    if soft and diagnosis.reason in recipient_side_reasons():
        return SOFT
    return None


_RECIPIENT_SIDE: frozenset[Reason] | None = None


def recipient_side_reasons() -> frozenset[Reason]:
    """Reasons that are the recipient's problem (reasons.yaml ``side: recipient``)."""
    global _RECIPIENT_SIDE
    if _RECIPIENT_SIDE is None:
        from .rules.loader import load_reasons

        _RECIPIENT_SIDE = frozenset(reason for reason, info in load_reasons().items()
                                    if info.side == "recipient")
    return _RECIPIENT_SIDE


def normalise_address(address: str | None) -> str | None:
    """``Local@domain`` with the domain in lower case (IDNs as punycode), or None when
    it is not an address that can be written one per line."""
    if not address:
        return None
    text = one_line(address, 400).strip().strip("<>").rstrip(".")
    local, at, domain = text.rpartition("@")
    if not at:
        return None
    text = f"{local}@{normalise_domain(domain)}"
    return text if _ADDRESS.fullmatch(text) else None


def _ours(report: MessageReport, domains: Sequence[str]) -> tuple[bool, str | None]:
    """Whether the bounce shows it answers our mail, and the recipient a VERP address
    names (None when it does not use one)."""
    if not domains:
        return True, None
    original = report.original
    if original is not None and _within(domain_of(original.sender), domains):
        return True, None
    addressee = report.addressee or ""
    local, _, domain = addressee.rpartition("@")
    if local and _within(normalise_domain(domain), domains):
        match = _VERP.fullmatch(local)
        if match:
            return True, f"{match['local']}@{normalise_domain(match['domain'])}"
    return False, None


def _within(domain: str, domains: Sequence[str]) -> bool:
    return bool(domain) and any(domain == d or domain.endswith("." + d) for d in domains)


class Entry(NamedTuple):
    """One address of the list."""

    address: str
    type: str  #: HARD, COMPLAINT or SOFT: the strongest reason it is listed
    reason: str  #: of the latest bounce of that type
    code: str
    first: str  #: first and last bounce date counted (ISO 8601), "" when none said
    last: str
    bounces: int  #: bounces and complaints counted for the address


class _State:
    __slots__ = ("code", "count", "first", "last", "reason", "soft", "type")

    def __init__(self) -> None:
        self.type, self.reason, self.code = SOFT, "", ""
        self.count = self.soft = 0
        self.first: tuple[str, str] | None = None  #: (UTC key, as written)
        self.last: tuple[str, str] | None = None


def _stamp(value: str | None) -> tuple[str, str] | None:
    """(UTC sort key, the date as written) of an ISO 8601 date, or None."""
    moment = parse_iso(value)
    try:
        return (moment.astimezone(timezone.utc).isoformat(), value or "") if moment else None
    except OverflowError:  # the first or last day of the calendar
        return None


class SuppressionList:
    """The addresses to suppress, gathered from :class:`Candidates` (main process)."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.messages = self.considered = self.unquoted = 0
        self.not_ours = self.unusable = self.untracked = 0
        self._states: dict[str, _State] = {}

    def add(self, candidates: Candidates) -> None:
        """Count one message's candidates."""
        self.messages += 1
        self.considered += candidates.considered
        self.unquoted += candidates.unquoted
        self.not_ours += candidates.not_ours
        self.unusable += candidates.unusable
        for event in candidates.events:
            self._event(event)

    def _event(self, event: Event) -> None:
        state = self._states.get(event.address)
        if state is None:
            if event.type == SOFT and len(self._states) >= MAX_TRACKED:
                self.untracked += 1
                return
            state = self._states[event.address] = _State()
        state.count += 1
        state.soft += event.type == SOFT
        if _STRENGTH[event.type] >= _STRENGTH[state.type] or not state.reason:
            state.type, state.reason, state.code = event.type, event.reason, event.code
        stamp = _stamp(event.date)
        if stamp is not None:
            state.first = stamp if state.first is None or stamp < state.first else state.first
            state.last = stamp if state.last is None or stamp > state.last else state.last

    def entries(self) -> list[Entry]:
        """The list, sorted by domain, then address."""
        out = []
        for address, state in self._states.items():
            if state.type == SOFT and not self._repeated(state):
                continue
            out.append(Entry(address, state.type, state.reason, state.code,
                             state.first[1] if state.first else "",
                             state.last[1] if state.last else "", state.count))
        return sorted(out, key=lambda e: (e.address.rpartition("@")[2], e.address.lower(),
                                          e.address))

    def _repeated(self, state: _State) -> bool:
        threshold = self.policy.soft_threshold
        if threshold is None or state.soft < threshold:
            return False
        if self.policy.soft_days <= 0:
            return True
        if state.first is None or state.last is None:
            return False
        from datetime import datetime

        span = (datetime.fromisoformat(state.last[0])
                - datetime.fromisoformat(state.first[0])).total_seconds()
        return span >= self.policy.soft_days * 86400

    def count_by_type(self) -> dict[str, int]:
        """How many addresses are listed for each type."""
        out = {HARD: 0, COMPLAINT: 0, SOFT: 0}
        for entry in self.entries():
            out[entry.type] += 1
        return out


def suppression_list(
    paths: Sequence[str],
    policy: Policy | None = None,
    *,
    jobs: int | None = None,
    max_size: int | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
) -> SuppressionList:
    """The suppression list of every message in `paths` (files, folders, mbox files,
    "-"), read as :func:`bouncefix.api.analyze_paths` reads them."""
    from .api import analyze_paths

    found = SuppressionList(policy)
    for candidates in analyze_paths(paths, jobs, max_size=max_size, on_skip=on_skip,
                                    on_failure=on_failure, finish=Collect(policy)):
        found.add(candidates)
    return found


def addresses(entries: Iterable[Entry]) -> str:
    """The list as text: one address per line."""
    return "".join(f"{entry.address}\n" for entry in entries)


__all__ = [
    "COMPLAINT", "HARD", "SOFT", "Candidates", "Collect", "Entry", "Event", "Policy",
    "SuppressionList", "addresses", "event_type", "normalise_address",
    "recipient_side_reasons", "suppression_list",
]
