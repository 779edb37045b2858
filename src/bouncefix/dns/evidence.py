"""DNS evidence for ``explain``: the checks that matter for a bounce reason.

Usage (the explain command)::

    resolver = Resolver(nameservers, timeout=2.0, budget=4.0)
    checks = checks_for_recipient("hostunknown", "example.org", None, [], resolver)
    fix_evidence(checks)  # ['example.org has no MX and no A record']

Names and addresses that are malformed or private are skipped silently (a bounce is
untrusted input); every DNS string in the result is sanitised (see Check).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from .dmarc import check_dmarc
from .dnsbl import DEFAULT_ZONES, check_dnsbl
from .model import Check
from .mx import check_mx
from .ptr import check_fcrdns, check_ptr
from .resolver import Resolver
from .runner import Task, run_tasks
from .spf import check_spf
from .validate import TargetError, check_ip, check_name

MAX_IPS = 3
_MX_REASONS = frozenset({"hostunknown", "notaccept"})
_BLOCK_REASONS = frozenset({"blocked", "badreputation"})
_LABELS = {"mx": "MX", "spf": "SPF", "dmarc": "DMARC", "dkim": "DKIM", "ptr": "PTR",
           "fcrdns": "forward-confirmed reverse DNS", "dnsbl": "blocklists",
           "mta-sts": "MTA-STS", "tls-rpt": "TLS-RPT"}


def checks_for_recipient(
    reason: str,
    recipient_domain: str | None,
    sender_domain: str | None,
    ips: list[str],
    resolver: Resolver,
    *,
    zones: Sequence[str] = DEFAULT_ZONES,
) -> list[Check]:
    """The checks relevant to a bounce `reason` (a sisimai-style reason id).

    hostunknown, notaccept: MX of the recipient domain; authfailure: SPF (evaluated for
    the first usable IP) and DMARC of the sender domain; requireptr: PTR and FCrDNS of
    each IP; blocked, badreputation: blocklists (`zones`) and PTR of each IP. Other
    reasons, or nothing usable to check: an empty list. Runs within `resolver`'s budget.
    """
    return run_tasks(tasks_for(reason, recipient_domain, sender_domain, ips, resolver, zones),
                     resolver)


def tasks_for(reason: str, recipient_domain: str | None, sender_domain: str | None,
              ips: list[str], resolver: Resolver,
              zones: Sequence[str] = DEFAULT_ZONES) -> list[Task]:
    """The tasks :func:`checks_for_recipient` runs (exposed for tests)."""
    key = str(getattr(reason, "value", reason)).lower()
    recipient = _domain(recipient_domain)
    sender = _domain(sender_domain)
    addresses = _addresses(ips)
    tasks: list[Task] = []
    if key in _MX_REASONS and recipient:
        tasks.append(Task("mx", recipient, partial(check_mx, recipient, resolver)))
    elif key == "authfailure" and sender:
        first = addresses[0] if addresses else None
        tasks += [Task("spf", sender, partial(check_spf, sender, resolver, first)),
                  Task("dmarc", sender, partial(check_dmarc, sender, resolver))]
    elif key == "requireptr":
        for ip in addresses:
            tasks += [Task("ptr", ip, partial(check_ptr, ip, resolver)),
                      Task("fcrdns", ip, partial(check_fcrdns, ip, resolver))]
    elif key in _BLOCK_REASONS:
        for ip in addresses:
            tasks += [Task("dnsbl", ip, partial(check_dnsbl, ip, zone, resolver))
                      for zone in zones]
            tasks.append(Task("ptr", ip, partial(check_ptr, ip, resolver)))
    return tasks


def fix_evidence(checks: Sequence[Check]) -> list[str]:
    """One-line sentences for the checks that found something wrong.

    Failures first, then warnings, then checks that could not be completed (``could
    not check SPF of example.org: timeout``); passing checks give no sentence.
    Duplicates are dropped; every sentence is already sanitised.
    """
    sentences: list[str] = []
    for status in ("fail", "warn", "error"):
        for check in checks:
            if check.status != status:
                continue
            sentence = check.summary if status != "error" else _could_not(check)
            if sentence not in sentences:
                sentences.append(sentence)
    return sentences


def _could_not(check: Check) -> str:
    why = check.summary.removeprefix("could not check: ")
    label = _LABELS.get(check.name, check.name)
    return f"could not check {label} of {check.subject}: {why}"


def _domain(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return check_name(value.rpartition("@")[2])
    except TargetError:
        return None


def _addresses(values: list[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        try:
            text = str(check_ip(value))
        except TargetError:
            continue
        if text not in found:
            found.append(text)
    return found[:MAX_IPS]
