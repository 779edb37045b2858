"""``mx``: where mail for a domain goes (MX, null MX per RFC 7505, A/AAAA fallback)."""

from __future__ import annotations

import ipaddress

from .common import could_not, plural
from .model import Check, Status
from .resolver import Answer, Resolver
from .validate import ip_problem

MAX_HOSTS = 5  #: MX hosts whose addresses are looked up


def check_mx(domain: str, resolver: Resolver) -> Check:
    """Check that `domain` can receive mail."""
    answer = resolver.query(domain, "MX")
    if answer.failed:
        return could_not("mx", domain, answer, f"{domain} MX")
    if answer.status == "nxdomain":
        return Check("mx", "fail", f"{domain} does not exist (NXDOMAIN)", subject=domain)
    if answer.status == "nodata":
        return _implicit_mx(domain, resolver)
    records = sorted(_parse(answer.values))
    if any(host == "." for _, host in records):
        return _null_mx(domain, records)
    return _hosts(domain, records, resolver)


def _parse(values: tuple[str, ...]) -> list[tuple[int, str]]:
    records = []
    for value in values:
        pref, _, host = value.partition(" ")
        records.append((int(pref) if pref.isdigit() else 65535, host or "."))
    return records


def _implicit_mx(domain: str, resolver: Resolver) -> Check:
    answer = resolver.addresses(domain)
    if answer.failed:
        return could_not("mx", domain, answer, f"{domain} A/AAAA")
    if not answer.ok:
        return Check("mx", "fail", f"{domain} has no MX and no A record", subject=domain)
    return Check(
        "mx", "warn", f"{domain} has no MX record; mail goes to its address record instead",
        (f"address: {', '.join(answer.values)}",
         "RFC 5321 implicit MX works, but an explicit MX record is more robust"),
        domain,
    )


def _null_mx(domain: str, records: list[tuple[int, str]]) -> Check:
    details = tuple(f"{pref} {host}" for pref, host in records)
    if len(records) == 1 and records[0][0] == 0:
        return Check("mx", "fail", f"{domain} accepts no mail (null MX, RFC 7505)", details,
                     domain)
    return Check("mx", "fail", f"{domain} has a malformed null MX (mixed with other records)",
                 details, domain)


def _hosts(domain: str, records: list[tuple[int, str]], resolver: Resolver) -> Check:
    details: list[str] = []
    good = bad = unknown = 0
    for pref, host in records[:MAX_HOSTS]:
        verdict, text = _host(host, resolver.addresses(host))
        details.append(f"{pref} {host}: {text}")
        good += verdict == "good"
        bad += verdict == "bad"
        unknown += verdict == "unknown"
    if len(records) > MAX_HOSTS:
        details.append(f"(and {len(records) - MAX_HOSTS} more MX hosts, not looked up)")
    names = ", ".join(host for _, host in records[:MAX_HOSTS])
    if bad and not good and not unknown:
        return Check("mx", "fail", f"no MX host of {domain} has a usable address",
                     tuple(details), domain)
    if unknown and not good:
        return Check("mx", "error", "could not check: the MX hosts could not be looked up",
                     tuple(details), domain)
    status: Status = "warn" if bad or unknown else "pass"
    summary = f"{domain} has {plural(len(records), 'MX host')}: {names}"
    if bad:
        summary = f"{domain}: some MX hosts have no usable address"
    return Check("mx", status, summary, tuple(details), domain)


def _host(host: str, answer: Answer) -> tuple[str, str]:
    if answer.status == "invalid":
        return "bad", answer.problem
    if answer.failed:
        return "unknown", f"could not look up ({answer.reason})"
    if not answer.ok:
        return "bad", "does not resolve" + (" (NXDOMAIN)" if answer.status == "nxdomain" else "")
    problems = [
        f"{value} is {problem}" for value in answer.values
        if (problem := ip_problem(ipaddress.ip_address(value)))
    ]
    if problems:
        return "bad", "; ".join(problems)
    return "good", ", ".join(answer.values)
