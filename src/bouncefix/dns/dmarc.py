"""``dmarc``: the record at ``_dmarc.DOMAIN`` (or at the organisational domain).

The organisational domain (RFC 7489 section 3.2) is the registered domain under the
Public Suffix List, from the ``publicsuffixlist`` package, which ships the list in the
wheel: no network use. The whole list is used, private-section entries included (a
name under ``github.io`` or ``blogspot.com`` belongs to its own owner), with its
wildcard and exception rules (``*.ck``, ``!www.ck``). The list is parsed on first use
only, so importing this module, or running checks that need no DMARC, costs nothing.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .common import could_not, excerpt, parse_tags, records_with_prefix
from .model import Check
from .resolver import Resolver

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

POLICIES = ("none", "quarantine", "reject")


@functools.lru_cache(maxsize=1)
def _suffix_list() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # unknown top-level domains act as one-label suffixes


def organisational_domain(domain: str) -> str:
    """The RFC 7489 organisational domain of `domain` (a normalised name, no final dot).

    One label below the longest matching public suffix: ``a.b.example.co.uk`` gives
    ``example.co.uk``. A name that is itself a public suffix is returned unchanged.
    Unknown top-level domains count as one-label suffixes.
    """
    name = domain.lower().rstrip(".")
    found = _suffix_list().privatesuffix(name)
    return found if isinstance(found, str) else name


def check_dmarc(domain: str, resolver: Resolver) -> Check:
    """Check the DMARC policy that applies to mail from `domain`."""
    where = f"_dmarc.{domain}"
    answer = resolver.query(where, "TXT")
    if answer.failed:
        return could_not("dmarc", domain, answer, f"{where} TXT")
    records = records_with_prefix(answer.values, "v=DMARC1")
    org = domain if records else organisational_domain(domain)
    if not records and org != domain:
        where = f"_dmarc.{org}"
        answer = resolver.query(where, "TXT")
        if answer.failed:
            return could_not("dmarc", domain, answer, f"{where} TXT")
        records = records_with_prefix(answer.values, "v=DMARC1")
    if not records:
        also = f" (nor has its organisational domain {org})" if org != domain else ""
        return Check("dmarc", "fail", f"{domain} has no DMARC record{also}",
                     (f"looked up: _dmarc.{domain}",), domain)
    if len(records) > 1:
        return Check("dmarc", "fail",
                     f"{domain} has {len(records)} DMARC records at {where}; receivers ignore "
                     "them all", tuple(excerpt(r) for r in records), domain)
    return evaluate_dmarc(domain, records[0], where, inherited=where != f"_dmarc.{domain}")


def evaluate_dmarc(domain: str, record: str, where: str, inherited: bool) -> Check:
    """Syntax, policy, reporting and alignment of one DMARC record."""
    pairs, problems = parse_tags(record)
    tags = dict(pairs)
    problems += _tag_problems(pairs, tags)
    details = [f"record: {excerpt(record)}", f"found at {where}"
               + (" (organisational domain)" if inherited else "")]
    if problems:
        return Check("dmarc", "fail", f"DMARC record of {domain} is invalid: {problems[0]}",
                     (*details, *problems[1:]), domain)
    policy = tags.get("sp", tags["p"]) if inherited else tags["p"]
    pct = int(tags.get("pct", "100"))
    details += [
        f"policy: {policy}" + (f" (sp= of {where[7:]})" if inherited and "sp" in tags else ""),
        f"alignment: DKIM {_mode(tags.get('adkim'))}, SPF {_mode(tags.get('aspf'))}",
        f"aggregate reports (rua): {tags.get('rua') or 'none'}",
    ]
    if policy == "none":
        summary = f"DMARC policy of {domain} is 'none': monitoring only, nothing is enforced"
        return Check("dmarc", "warn", summary, tuple(details), domain)
    if pct < 100:
        summary = f"DMARC policy of {domain} ({policy}) applies to only {pct}% of failing mail"
        return Check("dmarc", "warn", summary, tuple(details), domain)
    if not tags.get("rua"):
        summary = f"DMARC of {domain} asks for no aggregate reports (no rua=)"
        return Check("dmarc", "warn", summary, tuple(details), domain)
    return Check("dmarc", "pass", f"DMARC of {domain}: p={policy}", tuple(details), domain)


def _mode(value: str | None) -> str:
    return "strict" if value == "s" else "relaxed"


def _tag_problems(pairs: list[tuple[str, str]], tags: dict[str, str]) -> list[str]:
    problems = []
    if not pairs or pairs[0] != ("v", "DMARC1"):
        problems.append("v=DMARC1 must be the first tag")
    if tags.get("p", "").lower() not in POLICIES:
        problems.append("p= (the policy) is missing or not none/quarantine/reject")
    if "sp" in tags and tags["sp"].lower() not in POLICIES:
        problems.append("sp= is not none/quarantine/reject")
    for key in ("adkim", "aspf"):
        if key in tags and tags[key] not in ("r", "s"):
            problems.append(f"{key}= must be r or s")
    pct = tags.get("pct", "100")
    if not pct.isdigit() or len(pct) > 3 or int(pct) > 100:
        problems.append("pct= must be a number from 0 to 100")
    for key in ("rua", "ruf"):
        problems += [f"{key}= {excerpt(uri)!r} is not a mailto: address"
                     for uri in tags.get(key, "").split(",") if uri.strip()
                     and not _mailto(uri.strip())]
    for key in ("p", "sp"):
        if key in tags:
            tags[key] = tags[key].lower()
    return problems


def _mailto(uri: str) -> bool:
    if uri[:7].lower() != "mailto:":
        return False
    address = uri[7:].partition("!")[0]
    local, at, domain = address.rpartition("@")
    return bool(local and at and "." in domain)
