"""SPF macros (RFC 7208 section 7): expansion, syntax, and evaluation against the test
DNS server (tests/zones/example.net.zone, the "spf macros" block).

The rule under test: a result is reported only when the DNS proves it; what cannot be
evaluated is "neutral: not evaluated" with the reason (a ``warn``), never a ``fail``.
"""

from __future__ import annotations

import ipaddress
import time

import pytest

from bouncefix.dns.model import Check
from bouncefix.dns.resolver import Resolver
from bouncefix.dns.spf import check_spf
from bouncefix.dns.spf_eval import evaluate
from bouncefix.dns.spf_macro import (
    MacroContext,
    MacroSyntaxError,
    NotEvaluated,
    domain_spec_problem,
    expand_domain_spec,
    expand_macro_string,
    normalise_sender,
    parse_macro_string,
)
from bouncefix.dns.spf_parse import parse_spf, parse_term


def rfc_context(ip: str = "192.0.2.3") -> MacroContext:
    """RFC 7208 section 7.4: sender strong-bad@email.example.com, PTR mx.example.org."""
    return MacroContext(ipaddress.ip_address(ip), "email.example.com", "email.example.com",
                        "strong-bad@email.example.com",
                        validated_name=lambda domain: "mx.example.org")


# -- expansion: the examples of RFC 7208 section 7.4 ------------------------------------

@pytest.mark.parametrize(("macro", "expansion"), [
    ("%{s}", "strong-bad@email.example.com"),
    ("%{o}", "email.example.com"),
    ("%{d}", "email.example.com"),
    ("%{d4}", "email.example.com"),
    ("%{d3}", "email.example.com"),
    ("%{d2}", "example.com"),
    ("%{d1}", "com"),
    ("%{dr}", "com.example.email"),
    ("%{d2r}", "example.email"),
    ("%{l}", "strong-bad"),
    ("%{l-}", "strong.bad"),
    ("%{lr}", "strong-bad"),
    ("%{lr-}", "bad.strong"),
    ("%{l1r-}", "strong"),
    ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
    ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
    ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
    ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
    ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
])
def test_rfc_7208_section_7_4_examples(macro: str, expansion: str) -> None:
    assert expand_macro_string(macro, rfc_context()) == expansion


def test_rfc_7208_section_7_4_ipv6_example() -> None:
    expected = ("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
                ".ip6._spf.example.com")
    assert expand_macro_string("%{ir}.%{v}._spf.%{d2}", rfc_context("2001:db8::cb01")) == expected
    assert expand_macro_string("%{i}", rfc_context("2001:db8::cb01")).startswith("2.0.0.1.0.d.b.8.")
    assert expand_macro_string("%{v}", rfc_context("2001:db8::cb01")) == "ip6"


@pytest.mark.parametrize(("text", "expansion"), [
    ("%{p}", "mx.example.org"),
    ("%{i}", "192.0.2.3"),
    ("%{v}", "in-addr"),
    ("%%%_%-", "% %20"),  # escapes
    ("%{d01}", "com"),  # leading zeros: one part
    ("%{d999999999}", "email.example.com"),  # more parts than there are: all
    ("%{l=+,/_.-}", "strong.bad"),  # every delimiter
    ("%{dR}", "com.example.email"),  # transformers are case-insensitive
    ("%{D}", "email.example.com"),  # upper case: URL-escaped, nothing to escape here
    ("%{S}", "strong-bad%40email.example.com"),
])
def test_more_expansions(text: str, expansion: str) -> None:
    assert expand_macro_string(text, rfc_context()) == expansion


def test_upper_case_macros_are_url_escaped() -> None:
    context = MacroContext(ipaddress.ip_address("192.0.2.3"), "example.com", "example.com",
                           "jack&jill=up@example.com")
    assert expand_macro_string("%{L}", context) == "jack%26jill%3Dup"
    assert expand_macro_string("%{l}", context) == "jack&jill=up"


def test_domain_specs_are_shortened_from_the_left_and_lower_cased() -> None:
    context = MacroContext(ipaddress.ip_address("192.0.2.3"), "Example.COM", "example.com",
                           "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "@example.com")
    name = expand_domain_spec("%{l}.%{l}._spf.%{d}.", context)
    assert len(name) <= 253 and name.endswith("c" * 60 + "._spf.example.com")
    assert name.startswith(("a", "b", "c")) and not name.startswith(".")
    assert expand_domain_spec("%{d}.", context) == "example.com"


def test_expansion_is_linear_in_the_record() -> None:
    context = rfc_context()
    text = "%{s}." * 1600 + "example.com"  # a record-sized domain-spec
    start = time.monotonic()
    name = expand_domain_spec(text, context)
    assert len(name) <= 253 and time.monotonic() - start < 0.5


# -- what is not known is not guessed ----------------------------------------------------

@pytest.mark.parametrize(("text", "reason"), [
    ("%{l}._u.%{d}", "sender"),
    ("%{s}", "sender"),
    ("%{h}._h.%{d}", "HELO"),
    ("%{c}.example.com", "exp="),
    ("%{r}.example.com", "exp="),
    ("%{t}.example.com", "exp="),
    ("%{p}.example.com", "PTR"),
])
def test_unknown_values_are_not_evaluated(text: str, reason: str) -> None:
    context = MacroContext(ipaddress.ip_address("192.0.2.3"), "example.com", "example.com")
    with pytest.raises(NotEvaluated, match=reason):
        expand_macro_string(text, context)
    assert expand_macro_string("%{o}.%{d}", context) == "example.com.example.com"


@pytest.mark.parametrize(("sender", "normalised"), [
    ("Strong-Bad@Email.Example.COM", "Strong-Bad@email.example.com"),
    ("<jane@example.org>", "jane@example.org"),
    ("@example.org", "postmaster@example.org"),  # RFC 7208 section 4.3
    ("example.org", "postmaster@example.org"),
    ("", ""), ("jane@", ""), ("j ane@example.org", ""), ("x" * 400 + "@example.org", ""),
])
def test_normalise_sender(sender: str, normalised: str) -> None:
    assert normalise_sender(sender) == normalised


# -- syntax -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "%{x}.example.com", "%{d0}.example.com", "%{d00}.example.com", "%{", "%{d", "%a.example.com",
    "%{d2rx}.example.com", "%{dr.q}.example.com", "%{d}.123", "%{d}com", "%{d}.-com",
    "%{d}.exa mple.com", "%{d}.bücher.de", "%{}.example.com",
])
def test_malformed_macro_domain_specs(text: str) -> None:
    assert domain_spec_problem(text) is not None
    if " " not in text:
        with pytest.raises(ValueError):
            parse_term(f"exists:{text}")


@pytest.mark.parametrize("text", [
    "%{d}", "%{ir}.%{v}._spf.%{d2}", "%{l/}.example.com", "%{d}.example.com.", "%{d}.x-1",
    "_spf.%{d}", "%{l}.%%.example.com", "%{l}.%-", "%{i}.bl.example.net",
])
def test_valid_macro_domain_specs(text: str) -> None:
    assert domain_spec_problem(text) is None
    parse_macro_string(text)


def test_parse_keeps_the_case_of_macros_and_finds_cidr_outside_them() -> None:
    term = parse_term("a:%{L/}.Example.com/24//64")
    assert (term.value, term.cidr4, term.cidr6) == ("%{L/}.Example.com", 24, 64)
    assert parse_term("mx:%{d2}/24").value == "%{d2}"
    assert parse_term("exists:%{l/}.example.com").value == "%{l/}.example.com"
    assert parse_term("include:Example.COM").value == "example.com"
    record = parse_spf("v=spf1 redirect=_R.%{D}")
    assert record.redirect == "_R.%{D}" and not record.problems
    with pytest.raises(MacroSyntaxError):
        parse_macro_string("%{q}")


# -- evaluation against the test server ---------------------------------------------------

def expect(check: Check, status: str, *words: str) -> None:
    text = " | ".join((check.summary, *check.details))
    assert check.status == status, text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


@pytest.mark.parametrize(("domain", "ip", "sender", "status", "words"), [
    # exists:%{i}.spf.example.net
    ("macro.example.net", "198.51.100.7", None, "pass", ("covers", "198.51.100.7.spf")),
    ("macro.example.net", "203.0.113.1", None, "fail",
     ("does not cover", "expands to '203.0.113.1.spf.example.net'")),
    # exists:%{ir}.%{v}.spf.example.net, IPv4 and IPv6 (nibbles)
    ("macrev.example.net", "192.0.2.3", None, "pass", ("3.2.0.192.in-addr.spf.example.net",)),
    ("macrev.example.net", "2001:db8:1::9", None, "pass", ("covers", ".ip6.spf.example.net")),
    ("macrev.example.net", "2001:db8:1::10", None, "fail", ("does not cover",)),
    # include:%{ir}.%{v}._spf.%{d}
    ("macinc.example.net", "192.0.2.3", None, "pass",
     ("3.2.0.192.in-addr._spf.macinc.example.net",)),
    ("macinc.example.net", "192.0.2.4", None, "fail", ("permerror",)),  # include of nothing
    # ip4:198.51.100.0/24 exists:%{l}._u.%{o} -all
    ("maclocal.example.net", "198.51.100.1", None, "pass", ("covers",)),  # before the macro
    ("maclocal.example.net", "203.0.113.1", None, "warn",
     ("neutral: not evaluated", "%{l} needs the sender's address")),
    ("maclocal.example.net", "203.0.113.1", "strong-bad@maclocal.example.net", "pass",
     ("strong-bad._u.maclocal.example.net",)),
    ("maclocal.example.net", "203.0.113.1", "homestar@maclocal.example.net", "fail",
     ("does not cover",)),
    ("maclocal.example.net", "203.0.113.1", "jack+tag@maclocal.example.net", "warn",
     ("not evaluated", "'jack+tag._u.maclocal.example.net' cannot be queried")),
    # exists:%{L}._u.%{d}: the URL-escaped name cannot be queried here
    ("macupper.example.net", "203.0.113.1", "jack&jill=up@macupper.example.net", "warn",
     ("not evaluated", "jack%26jill%3dup._u.macupper.example.net")),
    # redirect=_r.%{d}
    ("macredir.example.net", "198.51.100.9", None, "pass", ("_r.macredir.example.net",)),
    ("macredir.example.net", "203.0.113.1", None, "fail", ("does not cover",)),
    # a:mx.%{d2}, mx:%{d2}/24
    ("maca.example.net", "198.51.100.25", None, "pass", ("mx.example.net",)),
    ("maca.example.net", "198.51.100.26", None, "fail", ("does not cover",)),
    ("macmx.example.net", "198.51.100.200", None, "pass", ("covers",)),
    ("macmx.example.net", "203.0.113.1", None, "fail", ("does not cover",)),
    # exists:%{p}._p.%{d}
    ("macp.example.net", "192.0.2.10", None, "pass", ("%{p} is 'mx1.example.org'",)),
    ("macp.example.net", "192.0.2.20", None, "fail",  # PTR does not validate: "unknown"
     ("%{p} is 'unknown'", "unknown._p.macp.example.net")),
    ("macp.example.net", "192.0.2.50", None, "warn",  # two validated names
     ("not evaluated", "several validated names")),
    ("macp.example.net", "192.0.2.70", None, "warn",  # the address lookup times out
     ("not evaluated", "blackhole.example.net", "timeout")),
    # exists:%{h}._h.%{d}, exists:%{r}._r.%{d}
    ("mach.example.net", "203.0.113.1", None, "warn", ("not evaluated", "HELO")),
    ("macexp.example.net", "203.0.113.1", None, "warn", ("not evaluated", "exp=")),
    # a lookup that failed is an error, never a fail
    ("macslow.example.net", "203.0.113.1", None, "error", ("could not check",)),
    # ptr:example.org
    ("ptrorg.example.net", "192.0.2.10", None, "pass", ("covers",)),
    ("ptrorg.example.net", "192.0.2.20", None, "fail", ("does not cover",)),  # not validated
    ("ptrorg.example.net", "192.0.2.40", None, "fail", ("does not cover",)),  # other domain
    ("ptrorg.example.net", "192.0.2.60", None, "warn", ("not evaluated", "cannot be queried")),
    ("ptrorg.example.net", "192.0.2.70", None, "warn", ("not evaluated", "timeout")),
    ("ptrorg.example.net", "203.0.113.9", None, "warn", ("not evaluated", "PTR lookup")),
    ("ptrspf.example.net", "192.0.2.10", None, "fail", ("does not cover",)),  # bare ptr
])
def test_macro_evaluation(resolver: Resolver, domain: str, ip: str, sender: str | None,
                          status: str, words: tuple[str, ...]) -> None:
    expect(check_spf(domain, resolver, ip, sender=sender), status, *words)


def test_helo_macro_with_a_helo_name(resolver: Resolver) -> None:
    expect(check_spf("mach.example.net", resolver, "203.0.113.1", helo="MX1.example.org"),
           "pass", "mx1.example.org._h.mach.example.net")


def test_static_check_of_macro_records(resolver: Resolver) -> None:
    expect(check_spf("macredir.example.net", resolver), "pass", "redirect=_r.%{d}")
    expect(check_spf("maclocal.example.net", resolver), "pass", "1 DNS lookup")
    expect(check_spf("macbad.example.net", resolver), "fail", "unknown macro letter")


def test_not_evaluated_is_neutral_with_a_reason(resolver: Resolver) -> None:
    result = evaluate("maclocal.example.net", "203.0.113.1", resolver)
    assert result.result == "neutral" and not result.evaluated
    assert "sender" in result.not_evaluated
    proven = evaluate("maclocal.example.net", "203.0.113.1", resolver,
                      sender="homestar@maclocal.example.net")
    assert proven.result == "fail" and proven.evaluated


def test_macro_lookups_count_towards_the_limit(resolver: Resolver) -> None:
    result = evaluate("macro.example.net", "203.0.113.1", resolver)
    assert result.lookups == 1


def test_a_bounce_sender_domain_alone_never_gives_an_unproven_fail(resolver: Resolver) -> None:
    # What explain's evidence does for an authfailure: the sender's domain and the first
    # IP, no local part. The record needs %{l}: the check must not say "does not cover".
    check = check_spf("maclocal.example.net", resolver, "203.0.113.1")
    assert check.status == "warn" and not check.failed
    assert "does not cover" not in check.summary
    assert check.summary == ("SPF of maclocal.example.net was not evaluated for 203.0.113.1 "
                             "(neutral: not evaluated): %{l} needs the sender's address "
                             "(MAIL FROM), which is not known here")
