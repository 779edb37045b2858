"""DNS evidence for a diagnosis: the checks that confirm or rule out its reason, run and
attached to it (``explain``, ``scan --dns``, ``bouncefix.api.add_dns_evidence``).

Which checks matter is data: each reason lists its ``dns_checks`` in data/reasons.yaml
(the recipient domain's MX for an unknown or mail-less domain, the sender domain's SPF and
DMARC for an authentication failure, the sending IP's reverse DNS for requireptr, block
lists and PTR for a blocked IP ...). Only the names a bounce gives are queried: the
recipient's domain, the original sender's domain, the sending IP the server's words name;
malformed, private and loopback names and addresses are skipped (dns/validate.py). All
queries share one resolver, its cache and its time budget.

The checks are evidence, shown in their own block beside the advice, never mixed into the
fix steps: :func:`evidence_rows` orders them for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from .model import MessageReport, Reason, RecipientReport

if TYPE_CHECKING:
    from .dns.model import Check
    from .dns.runner import Task

MAX_IPS = 3
_LABELS = {"mx": "MX", "spf": "SPF", "dmarc": "DMARC", "dkim": "DKIM", "ptr": "PTR",
           "fcrdns": "forward-confirmed reverse DNS", "dnsbl": "blocklists",
           "mta-sts": "MTA-STS", "tls-rpt": "TLS-RPT"}
_ORDER = ("fail", "warn", "error", "pass")


def dns_checks_for(reason: Reason | str) -> tuple[str, ...]:
    """The DNS checks that matter for `reason` (data/reasons.yaml)."""
    from .rules.loader import load_reasons

    try:
        return load_reasons()[Reason(reason)].dns_checks
    except ValueError:
        return ()


def needs_dns(report: MessageReport) -> bool:
    """True when some diagnosis of `report` has DNS checks to run."""
    return any(dns_checks_for(r.diagnosis.reason) for r in report.recipients)


def add_dns_evidence(report: MessageReport, resolver: Any,
                     zones: Sequence[str] | None = None) -> MessageReport:
    """`report` with the DNS checks of each diagnosis run and attached
    (``diagnosis.dns_checks``), within `resolver`'s budget."""
    if not needs_dns(report):
        return report
    sender = _sender_address(report)
    items = tuple(_with_checks(item, sender, resolver, zones) for item in report.recipients)
    return report._replace(recipients=items)


def checks_for(reason: Reason | str, recipient_domain: str | None, sender: str | None,
               ips: Sequence[str], resolver: Any,
               zones: Sequence[str] | None = None) -> list[Check]:
    """Run the checks that matter for `reason` on the names given: the recipient's
    domain, the sender (an address or a domain), the sending IPs. Names that are
    malformed, private or loopback are skipped; nothing usable gives an empty list."""
    from .dns.runner import run_tasks

    tasks = tasks_for(dns_checks_for(reason), recipient_domain, sender, ips, resolver, zones)
    return run_tasks(tasks, resolver) if tasks else []


def tasks_for(names: Sequence[str], recipient_domain: str | None, sender: str | None,
              ips: Sequence[str], resolver: Any,
              zones: Sequence[str] | None = None) -> list[Task]:
    """The check tasks for `names` (reasons.yaml's ``dns_checks``), in that order."""
    from .dns.dmarc import check_dmarc
    from .dns.dnsbl import DEFAULT_ZONES, check_dnsbl
    from .dns.mx import check_mx
    from .dns.ptr import check_fcrdns, check_ptr
    from .dns.runner import Task
    from .dns.spf import check_spf

    recipient, sender_domain = _domain(recipient_domain), _domain(sender)
    address = sender if sender and "@" in sender and sender_domain else None
    addresses = _addresses(ips)
    tasks: list[Task] = []
    for name in names:
        if name == "mx" and recipient:
            tasks.append(Task("mx", recipient, partial(check_mx, recipient, resolver)))
        elif name == "sender-mx" and sender_domain:
            tasks.append(Task("mx", sender_domain, partial(check_mx, sender_domain, resolver)))
        elif name == "spf" and sender_domain:
            first = addresses[0] if addresses else None
            tasks.append(Task("spf", sender_domain, partial(
                check_spf, sender_domain, resolver, first, sender=address)))
        elif name == "dmarc" and sender_domain:
            tasks.append(Task("dmarc", sender_domain,
                              partial(check_dmarc, sender_domain, resolver)))
        elif name in ("ptr", "fcrdns"):
            check = check_ptr if name == "ptr" else check_fcrdns
            tasks += [Task(name, ip, partial(check, ip, resolver)) for ip in addresses]
        elif name == "dnsbl":
            tasks += [Task("dnsbl", ip, partial(check_dnsbl, ip, zone, resolver))
                      for ip in addresses for zone in (zones or DEFAULT_ZONES)]
    return tasks


def evidence_rows(checks: Sequence[Check]) -> list[tuple[str, str]]:
    """(status, sentence) for display: failures first, then warnings, checks that could
    not be completed ("could not check SPF of example.org: timeout") and passes; within
    a status, the order the reason lists its checks (the likely cause first).
    Duplicates are dropped; every sentence is already sanitised."""
    rows: list[tuple[str, str]] = []
    for status in _ORDER:
        for check in checks:
            if check.status == status:
                row = (status, check.summary if status != "error" else _could_not(check))
                if row not in rows:
                    rows.append(row)
    return rows


def evidence_sentences(checks: Sequence[Check]) -> list[str]:
    """The sentences of :func:`evidence_rows` that found something wrong."""
    return [sentence for status, sentence in evidence_rows(checks) if status != "pass"]


def _could_not(check: Check) -> str:
    why = check.summary.removeprefix("could not check: ")
    return f"could not check {_LABELS.get(check.name, check.name)} of {check.subject}: {why}"


def _with_checks(item: RecipientReport, sender: str | None, resolver: Any,
                 zones: Sequence[str] | None) -> RecipientReport:
    from .rules.engine import sending_ip

    recipient_domain = (item.finding.address or "").rpartition("@")[2] or None
    ip = sending_ip(item.finding.diagnostic or "", item.finding.remote_mta)
    checks = checks_for(item.diagnosis.reason, recipient_domain, sender, [ip] if ip else [],
                        resolver, zones)
    if not checks:
        return item
    return item._replace(diagnosis=item.diagnosis._replace(dns_checks=tuple(checks)))


def _sender_address(report: MessageReport) -> str | None:
    """Who sent the bounced message: From of the returned message, else the address the
    bounce was sent to."""
    for candidate in (report.original.sender if report.original else None, report.addressee):
        if candidate and "@" in candidate:
            return candidate.strip("<> ") or None
    return None


def _domain(value: str | None) -> str | None:
    from .dns.validate import TargetError, check_name

    if not value:
        return None
    try:
        return check_name(value.rpartition("@")[2])
    except TargetError:
        return None


def _addresses(values: Sequence[str]) -> list[str]:
    from .dns.validate import TargetError, check_ip

    found: list[str] = []
    for value in values:
        try:
            text = str(check_ip(value))
        except TargetError:
            continue
        if text not in found:
            found.append(text)
    return found[:MAX_IPS]
