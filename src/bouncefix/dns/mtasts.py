"""``mta-sts`` and ``tls-rpt``: are the TXT records of RFC 8461 and RFC 8460 published?

Only DNS is looked at: the MTA-STS policy file itself (over HTTPS) is not fetched.
"""

from __future__ import annotations

from .common import could_not, excerpt, parse_tags, records_with_prefix
from .model import Check
from .resolver import Resolver


def check_mta_sts(domain: str, resolver: Resolver) -> Check:
    """The ``_mta-sts`` record: present, single, with a valid id."""
    name = f"_mta-sts.{domain}"
    found = _one_record("mta-sts", domain, name, "v=STSv1", resolver)
    if isinstance(found, Check):
        return found
    pairs, problems = parse_tags(found)
    ident = dict(pairs).get("id", "")
    if problems or not (1 <= len(ident) <= 32 and ident.isascii() and ident.isalnum()):
        return Check("mta-sts", "fail", f"MTA-STS record of {domain} has no valid id=",
                     (f"record: {excerpt(found)}", *problems), domain)
    return Check(
        "mta-sts", "pass", f"{domain} publishes MTA-STS (id={ident})",
        (f"record: {excerpt(found)}",
         f"policy https://mta-sts.{domain}/.well-known/mta-sts.txt was not fetched"),
        domain,
    )


def check_tls_rpt(domain: str, resolver: Resolver) -> Check:
    """The ``_smtp._tls`` record: present, single, with rua= mailto: or https: URIs."""
    name = f"_smtp._tls.{domain}"
    found = _one_record("tls-rpt", domain, name, "v=TLSRPTv1", resolver)
    if isinstance(found, Check):
        return found
    pairs, problems = parse_tags(found)
    uris = [u.strip() for u in dict(pairs).get("rua", "").split(",") if u.strip()]
    bad = [u for u in uris if u[:7].lower() != "mailto:" and u[:8].lower() != "https://"]
    if problems or not uris or bad:
        why = "no rua=" if not uris else f"a bad rua= {excerpt(bad[0])!r}" if bad else "errors"
        return Check("tls-rpt", "fail", f"TLS-RPT record of {domain} has {why}",
                     (f"record: {excerpt(found)}", *problems), domain)
    return Check("tls-rpt", "pass", f"{domain} publishes TLS-RPT (reports to {uris[0]})",
                 (f"record: {excerpt(found)}",), domain)


def _one_record(check: str, domain: str, name: str, prefix: str,
                resolver: Resolver) -> Check | str:
    answer = resolver.query(name, "TXT")
    if answer.failed:
        return could_not(check, domain, answer, f"{name} TXT")
    records = records_with_prefix(answer.values, prefix)
    label = "MTA-STS policy" if check == "mta-sts" else "TLS-RPT record"
    if not records:
        return Check(check, "warn", f"{domain} publishes no {label}",
                     (f"looked up: {name}",), domain)
    if len(records) > 1:
        return Check(check, "fail", f"{domain} has {len(records)} {check.upper()} records "
                     f"at {name}; only one is allowed",
                     tuple(excerpt(r) for r in records[:3]), domain)
    return records[0]
