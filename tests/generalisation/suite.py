"""Load the generalisation suites and score bouncefix on them (shared by the test and
``report.py``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from bouncefix.api import analyze

HERE = os.path.dirname(os.path.abspath(__file__))
_KEYS = {"text", "reason", "hard", "also", "kind", "source", "note", "recipients"}


@dataclass(frozen=True)
class Case:
    suite: str
    text: str
    reason: str
    hard: bool
    also: tuple[str, ...] = ()
    kind: str | None = None
    #: the failed recipients the report names (checked only when the case lists them)
    recipients: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    case: Case
    reason: str | None
    hard: bool
    kind: str
    rule: str | None
    confidence: str | None
    found: tuple[str, ...] = ()
    #: the same recipients with each one's original recipient (the alias written to),
    #: where the report gives one
    as_sent: tuple[str, ...] = ()

    @property
    def reason_right(self) -> bool:
        return self.reason in (self.case.reason, *self.case.also)

    @property
    def recipients_right(self) -> bool:
        expected = self.case.recipients
        if expected is None:
            return True
        wanted = sorted(a.lower() for a in expected)
        if not wanted and self.kind == "auto-reply":
            # an automatic reply names no failed recipient; the report names the person
            # who replied (who is away), which is no failure either: writers list
            # either nobody or that person
            return True
        # an alias's failure is reported at its target with the alias as the original
        # recipient: either address names the recipient, or both together do
        return wanted in (sorted(self.found), sorted(self.as_sent),
                          sorted({*self.found, *self.as_sent}))

    @property
    def right(self) -> bool:
        if self.kind == "delivered" and self.case.reason in ("undefined", "delivered"):
            # a report of successful delivery is no bounce: the taxonomy's not-bounce
            return self.case.kind in (None, "not-bounce", "delivered")
        if self.kind == "not-bounce" and self.case.reason == "delivered":
            # and the other way round: a delivery record read as "no failure here"
            return True
        kind_ok = (self.case.kind is None or self.kind == self.case.kind
                   # an alternative answer brings its own kind ("also: [vacation]")
                   or (self.reason in self.case.also
                       and _KIND_OF_REASON.get(self.reason or "") == self.kind))
        return (self.reason_right and self.hard == self.case.hard and kind_ok
                and self.recipients_right)

    @property
    def harmful(self) -> bool:
        """Told to suppress an address an expert would keep."""
        return self.hard and not self.case.hard


#: the kind of report a reason belongs to, where it has one of its own
_KIND_OF_REASON = {"vacation": "auto-reply", "feedback": "feedback"}


def suite_names() -> list[str]:
    names = []
    for folder, _, files in os.walk(HERE):
        for name in files:
            if name.endswith(".yaml"):
                path = os.path.relpath(os.path.join(folder, name), HERE)
                names.append(path[: -len(".yaml")])
    return sorted(names)


def load(name: str) -> list[Case]:
    with open(os.path.join(HERE, f"{name}.yaml"), encoding="utf-8") as handle:
        data: Any = yaml.safe_load(handle)
    cases = []
    for index, entry in enumerate(data["cases"]):
        unknown = set(entry) - _KEYS
        if unknown or not {"text", "reason", "hard"} <= set(entry):
            raise ValueError(f"{name} #{index + 1}: keys {sorted(entry)}")
        reason, kind = str(entry["reason"]), entry.get("kind")
        if reason == "not-bounce":  # the README's "not-bounce / undefined": one answer
            reason, kind = "undefined", kind or "not-bounce"
        also = tuple("undefined" if a == "not-bounce" else a for a in entry.get("also") or ())
        cases.append(Case(name, str(entry["text"]), reason, bool(entry["hard"]),
                          also, kind,
                          _recipients(entry.get("recipients"))))
    return cases


def _recipients(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(str(address) for address in value)


def run(case: Case) -> Outcome:
    reports = analyze(case.text.encode("utf-8"))  # what `explain` and the library read
    with_recipients = [r for r in reports if r.recipients]
    if not with_recipients:
        kind = reports[0].kind.value if reports else "not-bounce"
        reason = "undefined" if kind == "not-bounce" else None
        return Outcome(case, reason, False, kind, None, None)
    # several reports (a pasted log: a deferral, then the bounce that ended it; an ESP's
    # event list: an open, then a complaint): the first failure report is the answer to
    # "why did it bounce", else the first that is not a delivery
    report = next((r for r in with_recipients if r.kind.value == "bounce"),
                  next((r for r in with_recipients if r.kind.value != "delivered"),
                       with_recipients[0]))
    # a failure report's delivered recipients (a DSN's Action: delivered beside the failed
    # one) are no failures; an auto-reply's or a receipt's only recipient stays
    failed = _failed(report)
    diagnosis = (failed or list(report.recipients))[0].diagnosis
    # (the failed recipients: where one report is a failure report, a delay report beside
    # it names recipients still in hand, as a pasted log's deferred line does)
    named = [r.finding for rep in with_recipients
             if report.kind.value != "bounce" or rep.kind.value == "bounce"
             for r in (_failed(rep) or rep.recipients) if r.finding.address]
    found = tuple(sorted({f.address.lower() for f in named}))
    as_sent = tuple(sorted({(f.original_recipient or f.address).lower() for f in named}))
    return Outcome(case, diagnosis.reason.value, diagnosis.hard_bounce, report.kind.value,
                   diagnosis.rule, getattr(diagnosis, "confidence", None), found, as_sent)


#: DSN actions that are successes: delivered, passed on to a server that reports no
#: further (relayed), or to an alias's members (expanded)
_SUCCESSES = frozenset({"delivered", "relayed", "expanded"})


def _failed(report: Any) -> list[Any]:
    """The recipients a report is about: the failed ones, or in a delay report (none
    failed) the delayed ones; a failure report's delayed recipients are still in hand."""
    failed = [r for r in report.recipients if r.finding.action.value == "failed"]
    return failed or [r for r in report.recipients if r.finding.action.value not in _SUCCESSES]


def score(names: list[str] | None = None) -> dict[str, list[Outcome]]:
    return {name: [run(case) for case in load(name)] for name in names or suite_names()}
