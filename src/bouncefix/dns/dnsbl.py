"""``dnsbl``: is an IP address on a DNS blocklist?

Only answers in 127.0.0.0/8 count as a listing. The "query refused" codes
(127.255.255.252/254/255: a typing error in the zone, a query through a public
resolver, over the free-use quota) and anything outside 127/8 (a resolver that rewrites
NXDOMAIN) are errors, never "listed".
"""

from __future__ import annotations

import ipaddress

from .common import could_not, excerpt
from .model import Check
from .resolver import Resolver

_LOOPBACK_NET = ipaddress.ip_network("127.0.0.0/8")

DEFAULT_ZONES = ("zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org")

REFUSALS = {
    "127.255.255.252": "the query was malformed (is the zone name right?)",
    "127.255.255.254": "the list refuses queries from public or open resolvers",
    "127.255.255.255": "the list refused the query: over its free-use quota",
    "127.0.0.1": "the list refused the query (127.0.0.1 is not a listing code)",
}

SPAMHAUS_CODES = {
    "127.0.0.2": "SBL: a known spam source or spam operation",
    "127.0.0.3": "CSS: a source of low-reputation mail (snowshoe)",
    "127.0.0.4": "XBL: a compromised or infected host (exploit)",
    "127.0.0.5": "XBL: a compromised or infected host (exploit)",
    "127.0.0.6": "XBL: a compromised or infected host (exploit)",
    "127.0.0.7": "XBL: a compromised or infected host (exploit)",
    "127.0.0.9": "DROP: a hijacked or criminal network",
    "127.0.0.10": "PBL (listed by the ISP): an end-user range that should not send directly",
    "127.0.0.11": "PBL (listed by Spamhaus): an end-user range that should not send directly",
}


def query_name(ip: str, zone: str) -> str:
    """``2.0.51.198.zone`` for 198.51.100.2; nibbles reversed for IPv6."""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return ".".join(reversed(str(address).split("."))) + "." + zone
    return ".".join(reversed(address.exploded.replace(":", ""))) + "." + zone


def meaning(zone: str, code: str) -> str:
    """What a listing code means, as far as known."""
    if zone.endswith(("spamhaus.org", "spamhaus.net")):
        if code.startswith("127.0.1."):
            return "DBL: a domain blocklist code"
        return SPAMHAUS_CODES.get(code, "")
    return ""


def interpret(zone: str, codes: tuple[str, ...]) -> tuple[str, str]:
    """("refused" | "unexpected" | "listed", explanation) for the A records of a hit."""
    for code in codes:
        if code in REFUSALS:
            return "refused", f"{REFUSALS[code]} ({code})"
    strange = [c for c in codes if ipaddress.ip_address(c) not in _LOOPBACK_NET]
    if strange:
        return "unexpected", (f"unexpected answer {strange[0]}: the resolver may be "
                              "rewriting NXDOMAIN")
    return "listed", "; ".join(f"{code} {meaning(zone, code)}".strip() for code in codes)



def check_dnsbl(ip: str, zone: str, resolver: Resolver) -> Check:
    """Look `ip` up on the blocklist `zone`."""
    name = query_name(ip, zone)
    answer = resolver.query(name, "A")
    where = f"zone: {zone}"
    if answer.failed:
        return could_not("dnsbl", ip, answer, name)
    if answer.empty:
        return Check("dnsbl", "pass", f"{ip} is not listed on {zone}", (where,), ip)
    verdict, text = interpret(zone, answer.values)
    if verdict != "listed":
        return Check("dnsbl", "error", f"could not check: {zone}: {text}", (where,), ip)
    details = [where, f"code: {text}"]
    reason = resolver.query(name, "TXT")
    details += [f"list says: {excerpt(value)}" for value in reason.values[:2]]
    return Check("dnsbl", "fail", f"{ip} is listed on {zone} ({text})", tuple(details), ip)
