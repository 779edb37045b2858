"""``ptr`` and ``fcrdns``: reverse DNS of an IP address, and whether it points back."""

from __future__ import annotations

import ipaddress

from .common import could_not, excerpt
from .model import Check
from .resolver import Resolver
from .validate import TargetError, check_name

MAX_NAMES = 3  #: PTR names followed for FCrDNS
_GENERIC_WORDS = frozenset({
    "dynamic", "dyn", "dhcp", "pool", "dsl", "adsl", "xdsl", "vdsl", "cable", "dialup",
    "dial", "ppp", "pppoe", "broadband", "customer", "cust", "client", "residential",
    "unassigned", "unknown",
})


def looks_generic(name: str, ip: str) -> bool:
    """True for names like ``192-0-2-40.dynamic.isp.example``: an ISP's default PTR."""
    tokens = name.lower().replace("-", ".").split(".")
    if _GENERIC_WORDS.intersection(tokens):
        return True
    address = ipaddress.ip_address(ip)
    if address.version != 4:
        return False
    octets = str(address).split(".")
    joined = ".".join(tokens)
    return ".".join(octets) in joined or ".".join(reversed(octets)) in joined


def check_ptr(ip: str, resolver: Resolver) -> Check:
    """Check that `ip` has one PTR record naming a proper host."""
    answer = resolver.reverse(ip)
    if answer.failed:
        return could_not("ptr", ip, answer, f"PTR of {ip}")
    if not answer.ok:
        return Check("ptr", "fail", f"{ip} has no PTR record (no reverse DNS)", subject=ip)
    names = [excerpt(name) for name in answer.values]
    details = tuple(f"PTR: {name}" for name in names)
    if not _valid(answer.values[0]):
        return Check("ptr", "fail", f"PTR of {ip} is not a valid host name", details, ip)
    if len(names) > 1:
        return Check("ptr", "warn", f"{ip} has {len(names)} PTR records; one is expected",
                     details, ip)
    if looks_generic(answer.values[0], ip):
        return Check("ptr", "warn",
                     f"PTR of {ip} is {names[0]}, which looks like a generic or dynamic name",
                     details, ip)
    return Check("ptr", "pass", f"PTR of {ip} is {names[0]}", details, ip)


def check_fcrdns(ip: str, resolver: Resolver) -> Check:
    """Check that a PTR name of `ip` resolves back to `ip` (forward-confirmed rDNS)."""
    answer = resolver.reverse(ip)
    if answer.failed:
        return could_not("fcrdns", ip, answer, f"PTR of {ip}")
    if not answer.ok:
        return Check("fcrdns", "fail",
                     f"{ip} has no PTR record, so forward-confirmed reverse DNS fails",
                     subject=ip)
    address = ipaddress.ip_address(ip)
    rdtype = "A" if address.version == 4 else "AAAA"
    details: list[str] = []
    failures = 0
    for name in answer.values[:MAX_NAMES]:
        forward = resolver.query(name, rdtype)
        if forward.ok and any(ipaddress.ip_address(v) == address for v in forward.values):
            return Check("fcrdns", "pass", f"{excerpt(name)} resolves back to {ip}",
                         (f"{excerpt(name)} {rdtype}: {', '.join(forward.values)}",), ip)
        failures += forward.failed and forward.status != "invalid"
        shown = ", ".join(forward.values) if forward.ok else forward.reason
        details.append(f"{excerpt(name)} {rdtype}: {shown}")
    if failures == len(details):
        return Check("fcrdns", "error", "could not check: the PTR names could not be looked up",
                     tuple(details), ip)
    name = excerpt(answer.values[0])
    return Check("fcrdns", "fail", f"{name} (the PTR of {ip}) does not resolve back to {ip}",
                 tuple(details), ip)


def _valid(name: str) -> bool:
    try:
        check_name(name)
    except TargetError:
        return False
    return True
