"""``spf``: one valid SPF record, a safe ``all``, and the RFC 7208 lookup limits.

The record is followed through ``include:`` and ``redirect=``; the terms that cost a
DNS lookup are counted (at most 10 allowed) and so are void lookups, the ones that find
nothing (at most 2). Terms whose domain-spec holds macros are counted but not followed
here: what they name depends on the IP address and the sender. With an IP address, the
record is also evaluated for it (:mod:`bouncefix.dns.spf_eval`), macros included; a
record that cannot be evaluated is a ``warn`` saying why, never a ``fail``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import could_not, excerpt, plural, records_with_prefix
from .model import Check, Status
from .resolver import Answer, Resolver
from .spf_parse import LOOKUP_TERMS, SpfRecord, Term, parse_spf

LOOKUP_LIMIT = 10
VOID_LIMIT = 2
WALK_CAP = 40  #: stop following the tree after this many lookups (it is failing anyway)
MAX_DEPTH = 10


@dataclass(frozen=True)
class Fetched:
    """The SPF record of a domain, or why there is none usable."""

    answer: Answer
    record: SpfRecord | None = None
    problem: str = ""
    texts: tuple[str, ...] = ()


def fetch_spf(domain: str, resolver: Resolver) -> Fetched:
    """Look up and parse the SPF record of `domain`."""
    answer = resolver.query(domain, "TXT")
    if answer.failed:
        return Fetched(answer)
    if answer.status == "nxdomain":
        return Fetched(answer, problem="does not exist (NXDOMAIN)")
    texts = tuple(records_with_prefix(answer.values, "v=spf1"))
    if not texts:
        return Fetched(answer, problem="has no SPF record")
    if len(texts) > 1:
        return Fetched(answer, problem=f"has {len(texts)} SPF records (only one is allowed)",
                       texts=texts)
    return Fetched(answer, parse_spf(texts[0]), texts=texts)


@dataclass
class Walk:
    """What following a record found."""

    lookups: int = 0
    voids: int = 0
    fails: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def walk_spf(domain: str, record: SpfRecord, resolver: Resolver, walk: Walk,
             path: tuple[str, ...] = ()) -> None:
    """Follow `record` through include and redirect, counting lookups."""
    where = f"{domain}: " if path else ""
    walk.fails.extend(f"{where}{problem}" for problem in record.problems)
    all_term = record.all_term
    if all_term is not None and all_term.qualifier == "+":
        walk.fails.append(f"{where}'+all' lets every server on the internet send as {domain}")
    for term in record.mechanisms:
        if walk.lookups > WALK_CAP:
            return
        _walk_term(domain, term, resolver, walk, (*path, domain))
    if record.redirect and all_term is None:
        walk.lookups += 1
        if "%" not in record.redirect:
            _follow("redirect=", record.redirect, resolver, walk, (*path, domain))


def _walk_term(domain: str, term: Term, resolver: Resolver, walk: Walk,
               path: tuple[str, ...]) -> None:
    if term.mechanism not in LOOKUP_TERMS:
        return
    walk.lookups += 1
    if term.mechanism == "ptr":
        walk.warns.append(f"{domain} uses the 'ptr' mechanism, which RFC 7208 deprecates")
    if term.has_macro or term.mechanism == "ptr":
        return
    target = term.value or domain
    if term.mechanism == "include":
        _follow("include:", target, resolver, walk, path)
        return
    rdtype = {"a": "A", "mx": "MX", "exists": "A"}[term.mechanism]
    answer = resolver.addresses(target) if rdtype == "A" else resolver.query(target, rdtype)
    if answer.failed:
        walk.errors.append(f"{term.mechanism}:{target}: {answer.reason}")
    elif answer.empty:
        walk.voids += 1
    elif term.mechanism == "mx" and len(answer.values) > LOOKUP_LIMIT:
        walk.fails.append(f"mx:{target} has more than {LOOKUP_LIMIT} MX hosts (permerror)")


def _follow(kind: str, target: str, resolver: Resolver, walk: Walk,
            path: tuple[str, ...]) -> None:
    if target in path or len(path) > MAX_DEPTH:
        walk.fails.append(f"{kind}{target} loops back or nests too deep")
        return
    fetched = fetch_spf(target, resolver)
    if fetched.answer.failed:
        walk.errors.append(f"{kind}{target}: {fetched.answer.reason}")
        return
    if fetched.answer.empty:
        walk.voids += 1
    if fetched.record is None:
        walk.fails.append(f"{kind}{target} {fetched.problem} (permerror)")
        return
    walk_spf(target, fetched.record, resolver, walk, path)


def check_spf(domain: str, resolver: Resolver, ip: str | None = None, *,
              sender: str | None = None, helo: str | None = None) -> Check:
    """Check the SPF record of `domain`; with `ip`, also whether it authorises `ip`.

    `sender` (the MAIL FROM address) and `helo` serve the ``%{s}``, ``%{l}`` and
    ``%{h}`` macros; a record that needs them when they are not given is reported as
    not evaluated (``warn``).
    """
    fetched = fetch_spf(domain, resolver)
    if fetched.answer.failed:
        return could_not("spf", domain, fetched.answer, f"{domain} TXT")
    details = tuple(f"record: {excerpt(text)}" for text in fetched.texts)
    if fetched.record is None:
        return Check("spf", "fail", f"{domain} {fetched.problem}", details, domain)
    walk = Walk()
    walk_spf(domain, fetched.record, resolver, walk)
    _limits(domain, walk)
    status, summary = _verdict(domain, fetched.record, walk)
    findings = [*walk.fails, *walk.warns, *(f"could not follow {e}" for e in walk.errors)]
    details += (
        f"DNS lookups: {walk.lookups} (limit {LOOKUP_LIMIT})",
        f"void lookups: {walk.voids} (limit {VOID_LIMIT})",
        *(line for line in findings if line not in summary),
    )
    if ip is not None and not walk.fails:
        from .spf_eval import evaluate

        result = evaluate(domain, ip, resolver, sender=sender, helo=helo)
        status, summary = _ip_verdict(domain, ip, result.result)
        if not result.evaluated:
            status, summary = "warn", (f"SPF of {domain} was not evaluated for {ip} "
                                       f"(neutral: not evaluated): {result.not_evaluated}")
        details += tuple(result.notes)
    return Check("spf", status, summary, details, domain)


def _limits(domain: str, walk: Walk) -> None:
    if walk.lookups > LOOKUP_LIMIT:
        more = "more than " if walk.lookups > WALK_CAP else ""
        walk.fails.insert(0, f"SPF of {domain} needs {more}{walk.lookups} DNS lookups, "
                             f"over the limit of {LOOKUP_LIMIT} (permerror)")
    if walk.voids > VOID_LIMIT:
        walk.fails.insert(0, f"SPF of {domain} has {plural(walk.voids, 'void lookup')}, "
                             f"over the limit of {VOID_LIMIT} (permerror)")


def _verdict(domain: str, record: SpfRecord, walk: Walk) -> tuple[Status, str]:
    if walk.fails:
        first = walk.fails[0]
        return "fail", first if domain in first else f"SPF of {domain}: {first}"
    if walk.errors:
        return "error", f"could not check: {walk.errors[0]}"
    all_term = record.all_term
    if all_term is not None and all_term.qualifier == "?":
        return "warn", f"SPF of {domain} ends in '?all': other servers are neutral, not failed"
    if all_term is None and not record.redirect:
        return "warn", f"SPF of {domain} has no 'all': other servers are neutral, not failed"
    if walk.warns:
        return "warn", walk.warns[0]
    ending = f"{all_term.qualifier}all" if all_term else f"redirect={record.redirect}"
    return "pass", (f"SPF of {domain} is valid ({ending}, "
                    f"{plural(walk.lookups, 'DNS lookup')})")


def _ip_verdict(domain: str, ip: str, result: str) -> tuple[Status, str]:
    if result == "pass":
        return "pass", f"SPF of {domain} covers {ip}"
    if result in ("fail", "softfail"):
        return "fail", f"SPF of {domain} does not cover {ip} (result: {result})"
    if result == "temperror":
        return "error", f"could not check: SPF of {domain} for {ip} (DNS failure)"
    if result == "permerror":
        return "fail", f"SPF of {domain} is broken (permerror), so it cannot cover {ip}"
    return "warn", f"SPF of {domain} does not say whether {ip} may send (result: {result})"
