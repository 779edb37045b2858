"""Run checks in a small thread pool, within the resolver's time budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial

from .dkim import check_dkim
from .dmarc import check_dmarc
from .dnsbl import DEFAULT_ZONES, check_dnsbl
from .model import Check, Kind, TargetReport
from .mtasts import check_mta_sts, check_tls_rpt
from .mx import check_mx
from .ptr import check_fcrdns, check_ptr
from .resolver import Resolver
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


def domain_tasks(domain: str, options: Options, resolver: Resolver) -> list[Task]:
    """mx, spf, dmarc, dkim (per selector), mta-sts, tls-rpt."""
    tasks = [
        Task("mx", domain, partial(check_mx, domain, resolver)),
        Task("spf", domain, partial(check_spf, domain, resolver)),
        Task("dmarc", domain, partial(check_dmarc, domain, resolver)),
    ]
    tasks += [Task("dkim", domain, partial(check_dkim, domain, selector, resolver))
              for selector in options.selectors]
    tasks += [
        Task("mta-sts", domain, partial(check_mta_sts, domain, resolver)),
        Task("tls-rpt", domain, partial(check_tls_rpt, domain, resolver)),
    ]
    return tasks


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
        TargetReport(name, kind, tuple(next(checks) for _ in group))
        for (kind, name), group in zip(targets, groups, strict=True)
    ]
