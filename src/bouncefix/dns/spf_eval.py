"""Evaluate an SPF record for one IP address: a simplified RFC 7208 check_host().

Mechanisms with macros and ``ptr`` are not evaluated (they never match here, and a
note says so); everything else is, within the lookup limit of 10.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .resolver import Resolver
from .spf import LOOKUP_LIMIT, MAX_DEPTH, fetch_spf
from .spf_parse import LOOKUP_TERMS, QUALIFIERS, Term

Match = bool | str  # True / False, or "temperror" / "permerror"


@dataclass
class Evaluation:
    """The result (pass, fail, softfail, neutral, none, permerror, temperror) and notes."""

    result: str = "none"
    notes: list[str] = field(default_factory=list)
    lookups: int = 0


def evaluate(domain: str, ip: str, resolver: Resolver) -> Evaluation:
    """check_host(ip, domain) with the resolver's budget."""
    evaluation = Evaluation()
    address = ipaddress.ip_address(ip)
    evaluation.result = _Evaluator(resolver, address, evaluation).check_host(domain, 0)
    return evaluation


class _Evaluator:
    def __init__(self, resolver: Resolver, ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
                 evaluation: Evaluation) -> None:
        self.resolver = resolver
        self.ip = ip
        self.ev = evaluation

    def check_host(self, domain: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            return "permerror"
        fetched = fetch_spf(domain, self.resolver)
        if fetched.answer.failed:
            return "temperror"
        if fetched.record is None:
            return "permerror" if fetched.texts else "none"
        if fetched.record.problems:
            return "permerror"
        for term in fetched.record.mechanisms:
            match = self.match(domain, term, depth)
            if isinstance(match, str):
                return match
            if match:
                return QUALIFIERS[term.qualifier]
        if fetched.record.redirect and fetched.record.all_term is None:
            if self._count():
                return "permerror"
            result = self.check_host(fetched.record.redirect, depth + 1)
            return "permerror" if result == "none" else result
        return "neutral"

    def _count(self) -> bool:
        self.ev.lookups += 1
        return self.ev.lookups > LOOKUP_LIMIT

    def match(self, domain: str, term: Term, depth: int) -> Match:
        if term.mechanism == "all":
            return True
        if term.network is not None:
            return self.ip.version == term.network.version and self.ip in term.network
        if term.mechanism in LOOKUP_TERMS and self._count():
            return "permerror"
        if term.has_macro or term.mechanism == "ptr":
            self.ev.notes.append(f"not evaluated: {term.mechanism}:{term.value}")
            return False
        target = term.value or domain
        if term.mechanism == "include":
            result = self.check_host(target, depth + 1)
            if result in ("temperror", "permerror"):
                return result
            return "permerror" if result == "none" else result == "pass"
        if term.mechanism == "exists":
            answer = self.resolver.query(target, "A")
            return "temperror" if answer.failed else answer.ok
        if term.mechanism == "a":
            return self._address_match(target, term)
        return self._mx_match(target, term)

    def _address_match(self, name: str, term: Term) -> Match:
        answer = self.resolver.query(name, "A" if self.ip.version == 4 else "AAAA")
        if answer.failed:
            return "temperror"
        cidr = term.cidr4 if self.ip.version == 4 else term.cidr6
        for value in answer.values:
            network = ipaddress.ip_network(f"{value}/{cidr}", strict=False)
            if self.ip in network:
                return True
        return False

    def _mx_match(self, name: str, term: Term) -> Match:
        answer = self.resolver.query(name, "MX")
        if answer.failed:
            return "temperror"
        hosts = [value.partition(" ")[2] for value in answer.values]
        if len(hosts) > LOOKUP_LIMIT:
            return "permerror"
        for host in hosts:
            match = self._address_match(host, term)
            if match:
                return match
        return False
