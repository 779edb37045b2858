"""What may be sent to a nameserver: names and addresses are checked before any query.

Refused: malformed names, names with invisible or control characters (zero-width
spaces, bidi controls, soft hyphens), private-use names (``localhost``, ``.local``,
``.internal``, ``.home.arpa`` ...), and addresses that are loopback, private (RFC 1918,
unique-local), link-local, unspecified, multicast or otherwise not global. The
documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are
allowed although Python counts them as private: they are nobody's internal network.
Only the configured nameserver itself may be a loopback or private address.

IPv6 addresses that carry an IPv4 address are judged by the IPv4 address they carry,
so ``64:ff9b::7f00:1`` is refused like 127.0.0.1: IPv4-mapped ``::ffff:a.b.c.d`` (checked
as the IPv4 address itself), IPv4-compatible ``::a.b.c.d`` (RFC 4291, deprecated), the
NAT64 well-known prefix ``64:ff9b::/96`` (RFC 6052), 6to4 ``2002::/16`` (RFC 3056) and
Teredo ``2001::/32`` (RFC 4380: both the server and the XOR-obfuscated client address).
The local-use NAT64 prefix ``64:ff9b:1::/48`` (RFC 8215) is refused as a whole.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from ..sanitize import one_line

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DOCUMENTATION_NETS = tuple(
    ipaddress.ip_network(net)
    for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")

# Characters that a display would hide or that IDNA would silently drop.
_HIDDEN = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
    "\u2069\u3164\ufeff\uffa0"
)
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_PRIVATE_SUFFIXES = (
    "localhost", "local", "localdomain", "internal", "intranet", "private", "lan",
    "home", "corp", "home.arpa", "onion",
)
_REVERSE_SUFFIXES = (".in-addr.arpa", ".ip6.arpa")


class TargetError(ValueError):
    """A refused name, address or nameserver; the message is one line for the user."""


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, tuple[ipaddress.IPv4Address, ...]]:
    """The IPv4 addresses an IPv6 address carries, with the name of the form.

    ``("", ())`` for an address that carries none. ``::`` and ``::1`` are themselves,
    not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1.
    """
    packed = int(ip)
    low32 = ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", (ip.ipv4_mapped,)
    if ip in _IPV4_COMPATIBLE and packed > 1:
        return "IPv4-compatible", (low32,)
    if ip in _NAT64:
        return "NAT64", (low32,)
    if ip in _SIX_TO_FOUR:  # 2002:AABB:CCDD::/48
        return "6to4", (ipaddress.IPv4Address((packed >> 80) & 0xFFFFFFFF),)
    if ip in _TEREDO:  # 2001:0:SERVER:FLAGS:PORT:CLIENT, client and port XORed
        server = ipaddress.IPv4Address((packed >> 64) & 0xFFFFFFFF)
        return "Teredo", (ipaddress.IPv4Address(~packed & 0xFFFFFFFF), server)
    return "", ()


def ip_problem(ip: IPAddress) -> str | None:
    """Why `ip` may not be queried about, or None when it may."""
    if any(ip.version == net.version and ip in net for net in DOCUMENTATION_NETS):
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address (RFC 8215)"
        form, carried = embedded_ipv4(ip)
        for address in carried:
            problem = ip_problem(address)
            if problem:
                article = "an" if form.startswith("IPv4") else "a"
                return f"{article} {form} address carrying {address}, {problem}"
        if carried:
            return None
    checks = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a reserved, special-purpose address"),
    )
    return next((text for flag, text in checks if flag), None)


def check_ip(text: str) -> IPAddress:
    """Parse a public IP address (v4 or v6, brackets allowed) or raise TargetError."""
    shown = one_line(text, 80)
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if "%" in value:
        raise TargetError(f"{shown}: scoped (interface) addresses are not checked")
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        raise TargetError(f"{shown!r} is not an IP address") from None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    problem = ip_problem(ip)
    if problem:
        raise TargetError(f"{ip} is {problem}; only public addresses are checked")
    return ip


def check_name(text: str) -> str:
    """Return the domain name normalised (ASCII, lower case, no final dot) or raise."""
    shown = one_line(text, 80)
    if any(ch in _HIDDEN for ch in text) or one_line(text) != text:
        raise TargetError(f"{one_line(ascii(text), 120)} contains invisible or control characters")
    name = text[:-1] if text.endswith(".") else text
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise TargetError(f"{shown!r} is not a valid domain name") from None
    name = name.lower()
    problem = _name_problem(name)
    if problem:
        raise TargetError(f"{shown!r} {problem}")
    if name.endswith(_REVERSE_SUFFIXES):
        _check_reverse(name, shown)
    return name


def _name_problem(name: str) -> str | None:
    if not name or len(name) > 253:
        return "is not a valid domain name (length)"
    labels = name.split(".")
    if len(labels) < 2:
        return "is not a fully qualified domain name"
    for label in labels:
        if not 1 <= len(label) <= 63 or not set(label) <= _LABEL_CHARS:
            return "is not a valid domain name"
        if label.startswith("-") or label.endswith("-"):
            return "is not a valid domain name (label starts or ends with '-')"
    if labels[-1].isdigit() or "_" in labels[-1]:
        return "is not a valid domain name (top-level label)"
    if any(name == s or name.endswith("." + s) for s in _PRIVATE_SUFFIXES):
        return "is a private-use name; only public names are checked"
    if name.endswith(".arpa") and not name.endswith(_REVERSE_SUFFIXES):
        return "is a reserved .arpa name"
    return None


def _check_reverse(name: str, shown: str) -> None:
    import dns.exception
    import dns.name
    import dns.reversename

    try:
        address = dns.reversename.to_address(dns.name.from_text(name))
    except (dns.exception.DNSException, ValueError):
        raise TargetError(f"{shown!r} is not a complete reverse-lookup name") from None
    check_ip(address)


def classify_target(text: str) -> tuple[Literal["domain", "ip"], str]:
    """A command-line target: ("ip", address) or ("domain", name); TargetError if bad.

    An e-mail address stands for its domain.
    """
    value = text.strip()
    if not value:
        raise TargetError("empty target")
    bare = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    if ":" in bare or bare.replace(".", "").isdigit():
        return "ip", str(check_ip(bare))
    if "@" in value:
        value = value.rpartition("@")[2]
    return "domain", check_name(value)


def parse_nameserver(spec: str) -> tuple[str, int]:
    """``HOST[:PORT]`` (``[v6]:PORT`` for IPv6 with a port) to (address, port).

    HOST must be an IP address; it may be loopback or private (a local resolver).
    """
    shown = one_line(spec, 80)
    host, port = split_port(spec, "nameserver ")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise TargetError(
            f"nameserver {shown!r} must be an IP address, like 192.0.2.53 or [2001:db8::53]:53"
        ) from None
    if ip.is_unspecified or ip.is_multicast:
        raise TargetError(f"nameserver {shown!r} is not a unicast address")
    return str(ip), 53 if port is None else port


def split_port(text: str, what: str = "") -> tuple[str, int | None]:
    """``HOST[:PORT]`` (``[v6]:PORT`` for an IPv6 address with a port) to (host, port or
    None); TargetError for a malformed form or a port outside 1-65535. `what` starts the
    error messages ("nameserver ")."""
    shown = one_line(text, 80)
    value = text.strip()
    port_text: str | None = None
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise TargetError(f"{what}{shown!r} is not HOST[:PORT]")
            port_text = rest[1:]
    elif value.count(":") == 1:
        host, port_text = value.split(":")
    else:
        host = value
    if port_text is None:
        return host, None
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise TargetError(f"{what}{shown!r} has a bad port")
    return host, int(port_text)
