"""Run checks in a small thread pool, within the resolver's time budget.

Two things a user meets first are said once instead of in every row: a domain that does
not exist (its MX query answers NXDOMAIN: the checks of records under it are skipped,
and the mx check says which), and nameservers that never answered (:func:`unreachable`
gives the one line to print instead of an error row per check).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .dkim import check_dkim
from .dmarc import check_dmarc
from .dnsbl import DEFAULT_ZONES, check_dnsbl
from .model import Check, Kind, TargetReport
from .mtasts import check_mta_sts, check_tls_rpt
from .mx import check_mx
from .ptr import check_fcrdns, check_ptr
from .resolver import Answer, Resolver
from .spf import check_spf

POOL_SIZE = 8
GRACE = 0.5  #: seconds past the budget before an unfinished check is given up


@dataclass(frozen=True)
class Task:
    """One check to run: its name and subject (for a timeout result) and the call."""

    name: str
    subject: str
    call: Callable[[], Check]


@dataclass(frozen=True)
class Options:
    """What to check beyond the defaults."""

    selectors: tuple[str, ...] = ()
    zones: tuple[str, ...] = DEFAULT_ZONES


class WatchedResolver(Resolver):
    """A Resolver that remembers whether any nameserver answered at all, so that a run
    whose every query went unanswered can say so once (:func:`unreachable`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heard = False  #: some nameserver answered some query (any rcode)
        self.unheard = 0  #: queries no nameserver answered (timeout, network error)
        self.config_problem = ""  #: no nameserver could be found at all

    def query(self, name: str, rdtype: str) -> Answer:
        """As Resolver.query, noting the outcome."""
        return self._note(super().query(name, rdtype))

    def reverse(self, ip: str) -> Answer:
        """As Resolver.reverse, noting the outcome."""
        return self._note(super().reverse(ip))

    def _note(self, answer: Answer) -> Answer:
        if answer.status in ("ok", "nxdomain", "nodata") or (
                answer.status == "servfail" and not answer.problem.startswith("no answer")):
            self.heard = True
        elif answer.status == "timeout" or answer.problem.startswith("no answer"):
            self.unheard += 1
        elif answer.status == "error" and answer.problem.startswith("no "):
            self.config_problem = answer.problem  # "no nameserver configured ..."
        return answer


def unreachable(resolver: Resolver) -> str | None:
    """One line for a run in which no nameserver answered any query, else None.

    ``no answer from 192.0.2.53 within 4 s: check the network or pass --nameserver``
    """
    if not isinstance(resolver, WatchedResolver) or resolver.heard:
        return None
    if resolver.config_problem:
        return resolver.config_problem
    if not resolver.unheard:
        return None
    servers = ", ".join(_server_text(host, port) for host, port in resolver.servers[:3])
    more = f" and {len(resolver.servers) - 3} more" if len(resolver.servers) > 3 else ""
    return (f"no answer from {servers or 'the nameservers'}{more} within "
            f"{resolver.budget:g} s: check the network or pass --nameserver")


def _server_text(host: str, port: int) -> str:
    if port == 53:
        return host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


#: What a check skipped because its domain does not exist returns (never shown).
SKIPPED = Check("skipped", "pass", "skipped: the domain does not exist")


def domain_tasks(domain: str, options: Options, resolver: Resolver) -> list[Task]:
    """mx, spf, dmarc, dkim (per selector), mta-sts, tls-rpt.

    Every check but mx first waits for the domain's MX answer (one query, shared through
    the resolver's cache) and is skipped when the domain does not exist: nothing can be
    published under a name that does not exist, and listing "no DMARC record" under it
    would only hide the one finding that matters.
    """
    def unless_missing(check: Callable[..., Check], *args: str) -> Callable[[], Check]:
        return partial(_unless_missing, domain, resolver, partial(check, *args, resolver))

    tasks = [
        Task("mx", domain, partial(check_mx, domain, resolver)),
        Task("spf", domain, unless_missing(check_spf, domain)),
        Task("dmarc", domain, unless_missing(check_dmarc, domain)),
    ]
    tasks += [Task("dkim", domain, unless_missing(check_dkim, domain, selector))
              for selector in options.selectors]
    tasks += [
        Task("mta-sts", domain, unless_missing(check_mta_sts, domain)),
        Task("tls-rpt", domain, unless_missing(check_tls_rpt, domain)),
    ]
    return tasks


def _unless_missing(domain: str, resolver: Resolver, check: Callable[[], Check]) -> Check:
    if resolver.query(domain, "MX").status == "nxdomain":
        return SKIPPED
    return check()


def _said_once(checks: Sequence[Check], tasks: Sequence[Task]) -> tuple[Check, ...]:
    """The checks of one target without those skipped, which the first check names."""
    skipped = [task.name for task, check in zip(tasks, checks, strict=True)
               if check is SKIPPED]
    if not skipped:
        return tuple(checks)
    kept = [check for check in checks if check is not SKIPPED]
    first = kept[0]
    note = (f"not checked: {', '.join(dict.fromkeys(skipped))} "
            "(nothing is published under a name that does not exist)")
    return (replace(first, details=(*first.details, note)), *kept[1:])


def ip_tasks(ip: str, options: Options, resolver: Resolver) -> list[Task]:
    """ptr, fcrdns, dnsbl (per zone)."""
    tasks = [
        Task("ptr", ip, partial(check_ptr, ip, resolver)),
        Task("fcrdns", ip, partial(check_fcrdns, ip, resolver)),
    ]
    return tasks + [Task("dnsbl", ip, partial(check_dnsbl, ip, zone, resolver))
                    for zone in options.zones]


def run_tasks(tasks: Sequence[Task], resolver: Resolver) -> list[Check]:
    """Run `tasks` in parallel; every task yields a Check, in order, within the budget."""
    if not tasks:
        return []
    resolver.start()
    pool = ThreadPoolExecutor(max_workers=min(POOL_SIZE, len(tasks)),
                              thread_name_prefix="bouncefix-dns")
    try:
        futures = [pool.submit(task.call) for task in tasks]
        wait(futures, timeout=resolver.remaining() + GRACE)
        return [_outcome(task, future) for task, future in zip(tasks, futures, strict=True)]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _outcome(task: Task, future: Future[Check]) -> Check:
    if not future.done() or future.cancelled():
        return Check(task.name, "error", "could not check: timeout", subject=task.subject)
    error = future.exception()
    if error is not None:
        return Check(task.name, "error",
                     f"could not check: internal error ({type(error).__name__})",
                     subject=task.subject)
    return future.result()


def check_targets(targets: Sequence[tuple[Kind, str]], options: Options,
                  resolver: Resolver) -> list[TargetReport]:
    """Every check of every target, run together in one pool."""
    groups = [
        domain_tasks(name, options, resolver) if kind == "domain"
        else ip_tasks(name, options, resolver)
        for kind, name in targets
    ]
    checks = iter(run_tasks([task for group in groups for task in group], resolver))
    return [
        TargetReport(name, kind, _said_once([next(checks) for _ in group], group))
        for (kind, name), group in zip(targets, groups, strict=True)
    ]
