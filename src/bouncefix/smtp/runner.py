"""Probes run side by side, one connection per server at a time, within the run's budget;
DNS checks run beside them on the same budget.

Every probe's steps are bounded by the shared deadline, so probes end on their own by
then; the runner waits a short grace beyond it (explaining a reply runs the rules), and
a probe still running after that is reported as out of time.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial

from ..dns.model import Check, Kind, TargetReport
from ..dns.resolver import Resolver
from ..dns.runner import Options, check_targets
from .deadline import Deadline
from .options import ProbeOptions
from .probes import DEFAULT_SUBMISSION_PORTS, ProbeCall, probe_server, probe_submission
from .targets import MAX_MX, SMTP_PORT, SUBMISSIONS_PORT, Server, mx_hosts

POOL_SIZE = 8
GRACE = 2.0  #: seconds past the budget before an unfinished probe is given up


@dataclass(frozen=True)
class Probe:
    """One thing to probe: `label` and `kind` name it if it runs out of time."""

    label: str
    kind: Kind
    call: ProbeCall


def server_probe(host: str, port: int | None, options: ProbeOptions,
                 resolver: Resolver) -> Probe:
    """``--smtp HOST[:PORT]``: that server (port 465 speaks TLS at once)."""
    server = Server(host, port or options.port, "smtp",
                    implicit_tls=(port or options.port) == SUBMISSIONS_PORT)
    return Probe(server.label, "smtp", partial(_one, server, options, resolver))


def mx_probe(domain: str, options: ProbeOptions, resolver: Resolver) -> Probe:
    """``check DOMAIN --smtp``: each MX host of `domain`, in preference order."""
    return Probe(f"{domain} MX", "smtp", partial(_mx, domain, options, resolver))


def submission_probe(host: str, port: int | None, options: ProbeOptions,
                     resolver: Resolver) -> Probe:
    """``--submission HOST[:PORT]``: ports 587 and 465, or the one given."""
    ports = (port,) if port else DEFAULT_SUBMISSION_PORTS
    return Probe(host, "submission",
                 partial(_submission, host, ports, options, resolver))


def _one(server: Server, options: ProbeOptions, resolver: Resolver,
         deadline: Deadline) -> list[TargetReport]:
    return [probe_server(server, options, deadline, resolver)[0]]


def _submission(host: str, ports: tuple[int, ...], options: ProbeOptions, resolver: Resolver,
                deadline: Deadline) -> list[TargetReport]:
    return probe_submission(host, ports, options, deadline, resolver)


def _mx(domain: str, options: ProbeOptions, resolver: Resolver,
        deadline: Deadline) -> list[TargetReport]:
    records, problem = mx_hosts(domain, resolver)
    if problem:
        if "could not" not in problem:
            return []  # the domain's own mx check says it (NXDOMAIN, null MX)
        return [TargetReport(f"{domain} MX", "smtp",
                             (Check("connect", "error", problem, subject=domain),))]
    port = options.port or SMTP_PORT
    probes = [
        Probe(f"{host}:{port}", "smtp", partial(_one, Server(
            host, port, "smtp", via=f"MX {preference} of {domain}" if host != domain
            else f"the address of {domain} (it has no MX record)"), options, resolver))
        for preference, host in records[:MAX_MX]
    ]
    return [report for group in run_probes(probes, deadline) for report in group]


def run_probes(probes: Sequence[Probe], deadline: Deadline) -> list[list[TargetReport]]:
    """Run `probes` in parallel; each gives its reports, in order, by the deadline."""
    if not probes:
        return []
    pool = ThreadPoolExecutor(max_workers=min(POOL_SIZE, len(probes)),
                              thread_name_prefix="bouncefix-smtp")
    try:
        futures = [pool.submit(probe.call, deadline) for probe in probes]
        wait(futures, timeout=deadline.remaining() + GRACE)
        return [_outcome(probe, future) for probe, future in zip(probes, futures, strict=True)]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _outcome(probe: Probe, future: Future[list[TargetReport]]) -> list[TargetReport]:
    if not future.done() or future.cancelled():
        problem = "could not check: the time budget ran out"
    elif (error := future.exception()) is not None:
        problem = f"could not check: internal error ({type(error).__name__})"
    else:
        return future.result()
    return [TargetReport(probe.label, probe.kind,
                         (Check("connect", "error", problem, subject=probe.label),))]


def probe_all(probes: Sequence[Probe], resolver: Resolver, step: float
              ) -> list[list[TargetReport]]:
    """Run `probes` within what is left of `resolver`'s budget (which DNS checks of the
    same run share), each step within `step` seconds."""
    resolver.start()
    return run_probes(probes, Deadline.after(resolver.remaining(), step))


def check_and_probe(targets: Sequence[tuple[Kind, str]], options: Options,
                    probes: Sequence[Probe], resolver: Resolver, step: float
                    ) -> tuple[list[TargetReport], list[list[TargetReport]]]:
    """The DNS checks of `targets` and the `probes`, side by side on one budget."""
    if not targets:
        return [], probe_all(probes, resolver, step)
    if not probes:
        return check_targets(targets, options, resolver), []
    resolver.start()
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bouncefix-dns-run")
    try:
        checked = side.submit(check_targets, targets, options, resolver)
        probed = probe_all(probes, resolver, step)
        return checked.result(), probed
    finally:
        side.shutdown(wait=False)
