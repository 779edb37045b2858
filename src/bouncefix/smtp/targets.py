"""Which servers to probe: ``HOST[:PORT]`` from the command line, or a domain's MX hosts,
and the addresses to connect to, validated as the DNS checks validate theirs.

Names must be well-formed public names (:func:`bouncefix.dns.validate.check_name`);
addresses, given or looked up, must be public unless `allow_private` (a test server on
127.0.0.1, a relay on the local network).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from ..dns.resolver import Resolver
from ..dns.validate import TargetError, check_name, ip_problem, split_port
from ..sanitize import one_line

Mode = Literal["smtp", "submission"]
SMTP_PORT, SUBMISSION_PORT, SUBMISSIONS_PORT = 25, 587, 465
MAX_MX = 5  #: MX hosts probed per domain


@dataclass(frozen=True)
class Server:
    """One server to probe: host (a normalised name or an IP address) and port; `mode`
    smtp (server to server) or submission (mail clients); `implicit_tls` for port 465;
    `via` says where it came from (``MX 10 of example.org``)."""

    host: str
    port: int
    mode: Mode
    implicit_tls: bool = False
    via: str = ""

    @property
    def label(self) -> str:
        """``mx.example.org:25``, ``[2001:db8::25]:25``."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def is_address(self) -> bool:
        """The host is an IP address, not a name."""
        return _address(self.host) is not None


def split_host_port(text: str, allow_private: bool) -> tuple[str, int | None]:
    """``HOST[:PORT]`` (``[v6]:PORT``) to (host, port or None), validated; TargetError."""
    value = text.strip()
    if "://" in value or value.lower().startswith("mailto:"):
        raise TargetError(url_hint(value))
    host, port = split_port(value)
    return check_host(host, allow_private), port


def check_host(host: str, allow_private: bool) -> str:
    """A host name or IP address that may be connected to; TargetError if not."""
    address = _address(host)
    if address is None:
        if "@" in host:
            raise TargetError(f"{one_line(host, 80)!r} is an e-mail address: give its domain "
                              f"with --smtp as a flag (bouncefix check DOMAIN --smtp)")
        return check_name(host)
    problem = refusal(address, allow_private)
    if problem:
        raise TargetError(f"{address} is {problem}; only public addresses are probed "
                          "(--allow-private allows it)")
    return str(address)


def url_hint(value: str) -> str:
    """``'http://example.com' is a URL: give the domain, example.com``."""
    shown = one_line(value, 80)
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        host = ""
    if value.lower().startswith("mailto:"):
        host = value[7:].rpartition("@")[2].split("?")[0]
    try:
        name = check_name(host) if host else ""
    except TargetError:
        name = ""
    if name:
        return f"{shown!r} is a URL: give the domain, {name}"
    return f"{shown!r} is a URL: give the domain name alone"


def mx_hosts(domain: str, resolver: Resolver) -> tuple[list[tuple[int, str]], str]:
    """The MX hosts of `domain` in preference order, or ([], why not).

    A domain without MX records (but with an address) is its own mail server (RFC 5321
    section 5.1, the implicit MX); a null MX (RFC 7505) or a missing domain has none.
    """
    answer = resolver.query(domain, "MX")
    if answer.failed:
        return [], f"could not look up the MX hosts of {domain}: {answer.reason}"
    if answer.status == "nxdomain":
        return [], f"{domain} does not exist (NXDOMAIN)"
    if answer.status == "nodata":
        return [(0, domain)], ""
    records = []
    for value in answer.values:
        preference, _, host = value.partition(" ")
        records.append((int(preference) if preference.isdigit() else 65535, host or "."))
    records.sort()
    if any(host in (".", "") for _, host in records):
        return [], f"{domain} accepts no mail (null MX, RFC 7505)"
    return records, ""


@dataclass(frozen=True)
class Addresses:
    """Where a host can be reached: `usable` addresses (IPv4 first), and `refused`
    notes for addresses that may not be connected to; `problem` when none is known."""

    usable: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    problem: str = ""
    lookup_failed: bool = False


def addresses_of(host: str, resolver: Resolver, allow_private: bool) -> Addresses:
    """The addresses of `host` (itself if an IP address), validated."""
    given = _address(host)
    if given is not None:
        problem = refusal(given, allow_private)
        if problem:
            return Addresses(problem=f"{given} is {problem}; not connected "
                                     "(--allow-private allows it)")
        return Addresses((str(given),))
    answer = resolver.addresses(host)
    if answer.failed:
        return Addresses(problem=f"could not look up {host}: {answer.reason}",
                         lookup_failed=True)
    if not answer.ok:
        return Addresses(problem=f"{host} has no address (A or AAAA record)")
    usable: list[str] = []
    refused: list[str] = []
    for value in answer.values:
        address = _address(value)
        problem = "not an address" if address is None else refusal(address, allow_private)
        if problem:
            refused.append(f"{value} is {problem}; not connected (--allow-private allows it)")
        else:
            usable.append(str(address))
    usable.sort(key=lambda a: ":" in a)  # IPv4 first: the more often reachable
    if not usable:
        return Addresses(refused=tuple(refused),
                         problem=f"{host} has no address that may be connected to")
    return Addresses(tuple(usable), tuple(refused))


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
            allow_private: bool) -> str | None:
    """Why `address` may not be connected to, or None. `allow_private` lets loopback,
    private and link-local addresses through, never the unspecified or multicast ones."""
    problem = ip_problem(address)
    if problem and allow_private and not (address.is_unspecified or address.is_multicast):
        return None
    return problem


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if value.lower().startswith("ipv6:"):
        value = value[5:]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
