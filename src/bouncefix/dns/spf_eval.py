"""Evaluate an SPF record for one IP address: RFC 7208 check_host() on our resolver.

Every mechanism is evaluated, ``ptr`` and macros included (RFC 7208 section 7,
:mod:`bouncefix.dns.spf_macro`), within the limit of 10 terms that query the DNS, the
resolver's time budget and its cap on queries. The PTR validation behind ``ptr`` and
``%{p}`` (section 5.5) reads at most 10 PTR names.

A result is only given when the DNS answers prove it. Where they cannot, evaluation
stops at that term with ``neutral`` and the reason in ``Evaluation.not_evaluated``,
never ``fail``: a macro needs what the caller did not give (the sender's local part for
``%{l}``, the HELO name for ``%{h}``), receivers disagree (``c``, ``r``, ``t`` outside
explanations, a ``%{p}`` with several candidates), a name built by a macro cannot be
queried, or a PTR lookup failed (a receiver whose lookup succeeded could match). A
failed lookup elsewhere is ``temperror`` (the check's ``error``).

Why not pyspf (the maintained evaluator): it can be bound to another resolver only by
overriding its ``query.dns()`` method, whose caller understands two outcomes, records or
a TempError/PermError. "This name must not be queried", "the run's budget or query cap
is used up" and "not evaluated" would all become temperror, or the RFC's silent "no
match" inside ``ptr``. It also needs the complete sender and HELO name: given a guessed
one it proves a ``fail`` for the guess, the false claim this module exists to avoid.
And its ``ptr`` and ``%{p}`` take the receiver's view (a DNS error means "no match" or
"unknown"), where a checker working after the fact must say that it does not know.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .resolver import Answer, Resolver
from .spf import LOOKUP_LIMIT, MAX_DEPTH, fetch_spf
from .spf_macro import (
    IPAddress,
    MacroContext,
    MacroSyntaxError,
    NotEvaluated,
    expand_domain_spec,
    normalise_sender,
)
from .spf_parse import LOOKUP_TERMS, QUALIFIERS, Term

Match = bool | str  # True / False, or "temperror" / "permerror"
PTR_LIMIT = 10  #: PTR names validated (RFC 7208 section 4.6.4)


@dataclass
class Evaluation:
    """The result (pass, fail, softfail, neutral, none, permerror, temperror) and notes.

    When `not_evaluated` is set, the result is ``neutral`` because no result could be
    proven, and `not_evaluated` says why.
    """

    result: str = "none"
    notes: list[str] = field(default_factory=list)
    lookups: int = 0
    not_evaluated: str = ""

    @property
    def evaluated(self) -> bool:
        """A result was proven from the DNS answers."""
        return not self.not_evaluated


def evaluate(domain: str, ip: str, resolver: Resolver, *, sender: str | None = None,
             helo: str | None = None) -> Evaluation:
    """check_host(ip, domain, sender) with the resolver's budget.

    `sender` is the MAIL FROM address when known (for ``%{s}`` and ``%{l}``); `helo`
    the HELO/EHLO name (for ``%{h}``). Without them, records that use those macros
    are not evaluated rather than guessed at.
    """
    evaluation = Evaluation()
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    evaluator = _Evaluator(resolver, address, evaluation, domain,
                           normalise_sender(sender or ""), (helo or "").strip().lower())
    try:
        evaluation.result = evaluator.check_host(domain, 0)
    except NotEvaluated as error:
        evaluation.result = "neutral"
        evaluation.not_evaluated = error.reason
        evaluation.notes.append(f"not evaluated: {error.reason}")
    return evaluation


class _Evaluator:
    def __init__(self, resolver: Resolver, ip: IPAddress, evaluation: Evaluation,
                 original: str, sender: str, helo: str) -> None:
        self.resolver = resolver
        self.ip = ip
        self.ev = evaluation
        self.original = original
        self.sender = sender
        self.helo = helo
        self._validated: tuple[list[str], str] | None = None

    def check_host(self, domain: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            return "permerror"
        fetched = fetch_spf(domain, self.resolver)
        if fetched.answer.status == "invalid":
            raise NotEvaluated(f"{domain} cannot be queried ({fetched.answer.reason})")
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
            target = self.target(fetched.record.redirect, domain, "redirect")
            result = self.check_host(target, depth + 1)
            return "permerror" if result == "none" else result
        return "neutral"

    def _count(self) -> bool:
        self.ev.lookups += 1
        return self.ev.lookups > LOOKUP_LIMIT

    def target(self, spec: str, domain: str, what: str) -> str:
        """The name a domain-spec stands for in `domain`'s record."""
        if "%" not in spec:
            return spec
        context = MacroContext(self.ip, domain, self.original, self.sender, self.helo,
                               self.validated_name)
        try:
            name = expand_domain_spec(spec, context)
        except MacroSyntaxError as error:  # parse_spf checked it already
            raise NotEvaluated(f"{what}:{spec}: {error}") from None
        self.ev.notes.append(f"{what}:{spec} expands to {name!r}")
        return name

    def match(self, domain: str, term: Term, depth: int) -> Match:
        if term.mechanism == "all":
            return True
        if term.network is not None:
            return self.ip.version == term.network.version and self.ip in term.network
        if term.mechanism in LOOKUP_TERMS and self._count():
            return "permerror"
        target = self.target(term.value, domain, term.mechanism) if term.value else domain
        if term.mechanism == "include":
            result = self.check_host(target, depth + 1)
            if result in ("temperror", "permerror"):
                return result
            return "permerror" if result == "none" else result == "pass"
        if term.mechanism == "exists":
            answer = self.lookup(target, "A", term)
            return "temperror" if answer.failed else answer.ok
        if term.mechanism == "a":
            return self._address_match(target, term)
        if term.mechanism == "ptr":
            return self._ptr_match(target, term)
        return self._mx_match(target, term)

    def lookup(self, name: str, rdtype: str, term: Term) -> Answer:
        """A query whose refusal (a name we may not or cannot ask) means no result."""
        answer = self.resolver.query(name, rdtype)
        if answer.status == "invalid":
            raise NotEvaluated(f"{term.text}: {name!r} cannot be queried ({answer.reason})")
        return answer

    def _address_match(self, name: str, term: Term) -> Match:
        answer = self.lookup(name, "A" if self.ip.version == 4 else "AAAA", term)
        if answer.failed:
            return "temperror"
        cidr = term.cidr4 if self.ip.version == 4 else term.cidr6
        for value in answer.values:
            network = ipaddress.ip_network(f"{value}/{cidr}", strict=False)
            if self.ip in network:
                return True
        return False

    def _mx_match(self, name: str, term: Term) -> Match:
        answer = self.lookup(name, "MX", term)
        if answer.failed:
            return "temperror"
        hosts = [value.partition(" ")[2] for value in answer.values]
        if len(hosts) > LOOKUP_LIMIT:
            return "permerror"
        for host in hosts:
            if host in ("", "."):  # a null MX (RFC 7505) has no address
                continue
            match = self._address_match(host, term)
            if match:
                return match
        return False

    def _ptr_match(self, target: str, term: Term) -> Match:
        names, doubt = self.validated()
        if any(name == target or name.endswith("." + target) for name in names):
            return True
        if doubt:
            raise NotEvaluated(f"{term.text}: {doubt}")
        return False

    def validated(self) -> tuple[list[str], str]:
        """The validated PTR names of the IP (RFC 7208 section 5.5), and a reason to
        doubt the list ("" when every lookup was answered)."""
        if self._validated is None:
            self._validated = self._validate()
        return self._validated

    def _validate(self) -> tuple[list[str], str]:
        answer = self.resolver.reverse(str(self.ip))
        if answer.failed:
            return [], f"the PTR lookup of {self.ip} failed ({answer.reason})"
        names: list[str] = []
        doubt = ""
        rdtype = "A" if self.ip.version == 4 else "AAAA"
        for name in dict.fromkeys(value.lower() for value in answer.values[:PTR_LIMIT]):
            addresses = self.resolver.query(name, rdtype)
            if addresses.status == "invalid":
                doubt = f"the PTR name {name!r} cannot be queried ({addresses.reason})"
            elif addresses.failed:
                doubt = f"the address lookup of {name!r} failed ({addresses.reason})"
            elif any(ipaddress.ip_address(value) == self.ip for value in addresses.values):
                names.append(name)
        return names, doubt

    def validated_name(self, domain: str) -> str:
        """The value of ``%{p}`` in `domain`'s record (RFC 7208 section 7.3): `domain`
        itself if validated, else the one validated name below it, else the only
        validated name, else "unknown"; a choice left to the receiver is not made."""
        names, doubt = self.validated()
        below = [name for name in names if name.endswith("." + domain)]
        candidates = below or names
        if domain in names:
            chosen = domain
        elif doubt:
            raise NotEvaluated(f"%{{p}}: {doubt}")
        elif len(candidates) > 1:
            raise NotEvaluated(f"%{{p}}: {self.ip} has several validated names "
                               f"({', '.join(candidates[:3])}); receivers may pick any")
        else:
            chosen = candidates[0] if candidates else "unknown"
        source = "a validated PTR name" if names else "no validated PTR name"
        self.ev.notes.append(f"%{{p}} is {chosen!r} ({source} of {self.ip})")
        return chosen
