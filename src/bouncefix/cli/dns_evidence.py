"""DNS evidence for ``explain`` (and ``scan --dns``): run the checks that confirm or rule
out a DNS-related diagnosis and attach them to it.

Which checks run is decided by ``dns.evidence.checks_for_recipient`` from the reason:
recipient MX for hostunknown/notaccept, sender SPF and DMARC for authfailure, PTR and
forward-confirmed reverse DNS for requireptr, blocklists for blocked/badreputation with an
IP. All queries share one resolver, its cache and its time budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import click

from ..model import MessageReport, RecipientReport
from .env import Env

F = TypeVar("F", bound=Callable[..., Any])
NAMESERVER_ENV = "BOUNCEFIX_NAMESERVER"
OFFLINE_ENV = "BOUNCEFIX_OFFLINE"
DNS_REASONS = frozenset({"hostunknown", "notaccept", "authfailure", "requireptr", "blocked",
                         "badreputation"})


def dns_options(offline_default: bool) -> Callable[[F], F]:
    """--nameserver, --dns-budget, and --offline (explain) or --dns (scan)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--nameserver", "nameservers", multiple=True, metavar="HOST[:PORT]",
            help=f"Nameserver for the DNS checks (repeatable; default ${NAMESERVER_ENV}, "
                 "then the system's).")(func)
        func = click.option(
            "--dns-budget", type=click.FloatRange(0.1, 120), default=4.0, show_default=True,
            help="Seconds all DNS checks of the run may take together.")(func)
        func = click.option(
            "--dns-max-queries", type=click.IntRange(1, 100_000), default=1000,
            show_default=True, metavar="N",
            help="DNS queries the run may send (each name and type asked once).")(func)
        if offline_default:
            return click.option("--dns/--no-dns", "use_dns", default=False,
                                help="Run DNS checks for DNS-related diagnoses (off by "
                                     "default for scans).")(func)
        return click.option("--offline/--online", "offline", default=None,
                            help=f"No network use at all (also ${OFFLINE_ENV}=1).")(func)

    return decorate


def wanted(env: Env, offline: bool | None) -> bool:
    """Whether DNS checks may run: --offline wins, then $BOUNCEFIX_OFFLINE."""
    if offline is not None:
        return not offline
    return env.environ.get(OFFLINE_ENV, "").strip().lower() not in ("1", "true", "yes")


def make_resolver(
    env: Env, nameservers: Sequence[str], budget: float, max_queries: int = 1000
) -> Any:
    """A resolver for the run; raises click.BadParameter for a malformed nameserver."""
    from ..dns.resolver import Resolver
    from ..dns.validate import TargetError

    servers = list(nameservers) or [
        part.strip() for part in env.environ.get(NAMESERVER_ENV, "").split(",") if part.strip()
    ]
    try:
        return Resolver(servers, timeout=min(2.0, budget), budget=budget,
                        max_queries=max_queries)
    except TargetError as error:
        raise click.BadParameter(str(error), param_hint="--nameserver") from None


def needs_dns(report: MessageReport) -> bool:
    """True when some diagnosis of `report` turns on DNS."""
    return any(r.diagnosis.reason.value in DNS_REASONS for r in report.recipients)


def add_evidence(report: MessageReport, resolver: Any) -> MessageReport:
    """`report` with DNS checks and evidence added to its DNS-related diagnoses."""
    if not needs_dns(report):
        return report
    sender = _sender_domain(report)
    items = tuple(_with_checks(item, sender, resolver) for item in report.recipients)
    return replace(report, recipients=items)


def _with_checks(item: RecipientReport, sender: str | None, resolver: Any) -> RecipientReport:
    from ..dns.evidence import checks_for_recipient, fix_evidence
    from ..rules.engine import sending_ip

    reason = item.diagnosis.reason.value
    if reason not in DNS_REASONS:
        return item
    recipient_domain = (item.finding.address or "").rpartition("@")[2] or None
    ip = sending_ip(item.finding.diagnostic or "", item.finding.remote_mta)
    checks = checks_for_recipient(reason, recipient_domain, sender, [ip] if ip else [],
                                  resolver)
    if not checks:
        return item
    evidence = tuple(f"DNS evidence: {line}" for line in fix_evidence(checks))
    diagnosis = item.diagnosis._replace(dns_checks=tuple(checks),
                                        fix=evidence + item.diagnosis.fix)
    return item._replace(diagnosis=diagnosis)


def _sender_domain(report: MessageReport) -> str | None:
    """The domain that sent the bounced message: From of the returned message, else the
    address the bounce was sent to."""
    for candidate in (report.original.sender if report.original else None, report.addressee):
        if candidate and "@" in candidate:
            return candidate.rpartition("@")[2].strip("<> ") or None
    return None
