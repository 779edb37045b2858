"""``bouncefix check --smtp`` and ``--submission`` against SMTP servers the tests start on
loopback addresses (tests/smtp_server.py), with certificates made in the test."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from dns_server import LocalOnly
from helpers import invoke
from smtp_server import Behaviour, Certificates, StartServer

LOCAL = ("--allow-private",)
HOSTILE = ("220 \x1b]8;;http://evil.example/\x07mail.probe.example\x1b]8;;\x07 "
           "\x1b[31mESMTP\x1b[0m \u202egnp.exe [bold]x[/bold] \x1b]52;c;ZWNobyBoaQ==\x07\x9b2J")
BAD = ("\x1b", "\x07", "\u202e", "\x9b", "\\u001b", "\\u0007", "\\u202e", "\\u009b")


def checks_of(stdout: str, index: int = 0) -> dict[str, dict[str, Any]]:
    """The checks of one target in JSON output, by name."""
    return {check["name"]: check for check in json.loads(stdout)[index]["checks"]}


def probe(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, dict[str, Any]]]:
    result = invoke("check", *LOCAL, "--json", *args, env=env)
    assert "Traceback" not in result.output
    return result.exit_code, checks_of(result.stdout)


# -- a good server ----------------------------------------------------------------------

def test_a_good_server_passes_every_step(start: StartServer,
                                         certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.good)
    code, checks = probe("--smtp", server.address)
    assert code == 0
    assert list(checks) == ["connect", "greeting", "ehlo", "starttls", "cert", "ehlo-tls"]
    assert {c["status"] for c in checks.values()} == {"pass"}
    assert "STARTTLS, SIZE 10 MB, PIPELINING, 8BITMIME, SMTPUTF8" in checks["ehlo"]["summary"]
    assert "not offered: AUTH, REQUIRETLS" in " ".join(checks["ehlo"]["details"])
    assert checks["starttls"]["summary"].startswith("127.0.0.1 speaks TLS 1.3")
    assert "issued by bouncefix test CA" in checks["cert"]["summary"]
    assert server.log == [(False, "EHLO [127.0.0.1]"), (False, "STARTTLS"),
                          (True, "EHLO [127.0.0.1]"), (True, "QUIT")]


def test_plain_text_lists_the_steps(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.good)
    result = invoke("check", *LOCAL, "--smtp", server.address)
    lines = result.stdout.splitlines()
    assert lines[0] == f"{server.address} (smtp)"
    assert lines[1].startswith(f"  PASS   connect  connected to {server.address}")
    assert any(line.startswith("  PASS   starttls 127.0.0.1 speaks TLS") for line in lines)


def test_rich_output_on_a_terminal(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(greeting=HOSTILE), certificates.good)
    result = invoke("check", *LOCAL, "--smtp", server.address,
                    env={"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1", "COLUMNS": "140"})
    assert f"{server.address} (smtp)" in result.stdout and "starttls" in result.stdout
    assert "[bold]x[/bold]" in result.stdout  # printed literally, never as markup
    for bad in BAD[:4]:
        assert bad not in result.stdout


def test_ipv6_is_probed(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.good, host="::1")
    code, checks = probe("--smtp", server.address)
    assert code == 0, checks
    assert "(::1)" in checks["connect"]["summary"]


def test_ipv4_refused_then_ipv6_answers(start: StartServer, certificates: Certificates,
                                        local_only: LocalOnly) -> None:
    server = start(Behaviour(), certificates.good, host="::1")
    local_only.allow("127.0.0.3", server.port)  # nothing listens there: refused
    code, checks = probe("--smtp", f"both.probe.example:{server.port}")
    assert code == 0, checks
    assert checks["connect"]["details"][0] == "127.0.0.3: connection refused"
    assert checks["connect"]["details"][1].startswith("::1: connected in")
    assert checks["cert"]["status"] == "pass"  # the name both.probe.example is on it


# -- the scenarios of issue 16 ------------------------------------------------------------

def test_no_starttls_is_a_warning_for_a_mail_server(start: StartServer) -> None:
    server = start(Behaviour())  # no TLS context: STARTTLS not offered
    code, checks = probe("--smtp", server.address)
    assert code == 0
    assert checks["starttls"]["status"] == "warn"
    assert "does not offer STARTTLS: mail to it travels unencrypted" in \
        checks["starttls"]["summary"]
    assert "cert" not in checks and "STARTTLS" not in server.commands()


def test_expired_certificate_fails(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.expired)
    code, checks = probe("--smtp", server.address)
    assert code == 1
    assert checks["starttls"]["status"] == "pass"  # TLS itself works for lenient senders
    cert = checks["cert"]
    assert cert["status"] == "fail"
    assert "expired on" in cert["summary"] and "days ago" in cert["summary"]
    assert any("certificate has expired" in line for line in cert["details"])
    assert server.connections == 2  # a second, lenient handshake to read the certificate
    assert checks["ehlo-tls"]["status"] == "pass"


def test_wrong_host_name_warns_for_smtp_and_fails_for_submission(
        start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(auth_after_tls="PLAIN LOGIN"), certificates.wrong_name)
    code, checks = probe("--smtp", f"mail.probe.example:{server.port}")
    cert = checks["cert"]
    assert (code, cert["status"]) == (0, "warn")
    assert cert["summary"] == "certificate of mail.probe.example does not name mail.probe.example"
    assert "names: elsewhere.example" in cert["details"]
    code, checks = probe("--submission", f"mail.probe.example:{server.port}")
    assert (code, checks["cert"]["status"]) == (1, "fail")


def test_self_signed_certificate_is_not_trusted(start: StartServer,
                                                certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.self_signed)
    code, checks = probe("--smtp", f"mail.probe.example:{server.port}")
    assert checks["cert"]["status"] == "warn"
    assert "is not trusted (self-signed certificate)" in checks["cert"]["summary"]
    assert code == 0


def test_certificate_about_to_expire_warns(start: StartServer,
                                           certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.expiring)
    _, checks = probe("--smtp", server.address)
    assert checks["cert"]["status"] == "warn" and "expires in" in checks["cert"]["summary"]


def test_421_greeting_is_explained(start: StartServer) -> None:
    server = start(Behaviour(greeting="421 4.7.0 mail.probe.example Too many connections "
                                      "from your IP, closing"))
    code, checks = probe("--smtp", server.address)
    assert code == 1 and list(checks) == ["connect", "greeting"]
    greeting = checks["greeting"]
    assert greeting["status"] == "fail"
    assert greeting["summary"].startswith("127.0.0.1 refuses connections for now: 421 4.7.0")
    assert "meaning: Too many connections or recipients (toomanyconn)" in greeting["details"]
    assert any(line.startswith("fix 1: ") for line in greeting["details"])


def test_554_greeting_is_a_refusal_of_this_client(start: StartServer) -> None:
    server = start(Behaviour(greeting="554 5.7.1 Service unavailable; Client host "
                                      "[192.0.2.9] blocked using zen.spamhaus.org"))
    _, checks = probe("--smtp", server.address)
    assert checks["greeting"]["summary"].startswith("127.0.0.1 refuses this client: 554")
    assert any("Spamhaus" in line for line in checks["greeting"]["details"])
    assert server.commands() == ["QUIT"]


def test_a_server_that_stalls_after_ehlo_ends_within_the_budget(start: StartServer) -> None:
    server = start(Behaviour(stall_after_ehlo=True))
    started = time.monotonic()
    code, checks = probe("--smtp", server.address)  # default --timeout 2, --budget 4
    elapsed = time.monotonic() - started
    assert code == 1 and elapsed < 4.0, elapsed
    assert checks["ehlo"]["status"] == "fail"
    assert checks["ehlo"]["summary"] == "127.0.0.1 stalls: no answer to EHLO within 2.0 s"


def test_the_budget_bounds_a_stall_whatever_the_step_limit(start: StartServer) -> None:
    server = start(Behaviour(stall_after_ehlo=True))
    started = time.monotonic()
    code, checks = probe("--smtp", server.address, "--timeout", "30", "--budget", "1")
    elapsed = time.monotonic() - started
    assert code == 1 and elapsed < 1.8, elapsed
    assert checks["ehlo"]["status"] == "error"
    assert "time budget ran out" in checks["ehlo"]["summary"]


@pytest.mark.parametrize("behaviour,what", [
    (Behaviour(greeting=None), "no greeting within"),
    (Behaviour(drip=True), "no greeting within"),
])
def test_silent_and_dripping_greetings_end_in_time(start: StartServer, behaviour: Behaviour,
                                                   what: str) -> None:
    server = start(behaviour)
    started = time.monotonic()
    _, checks = probe("--smtp", server.address, "--timeout", "0.8")
    assert time.monotonic() - started < 2.5
    assert checks["greeting"]["status"] == "fail" and what in checks["greeting"]["summary"]


def test_auth_only_after_tls(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(auth_after_tls="PLAIN LOGIN"), certificates.good)
    code, checks = probe("--submission", server.address)
    assert code == 0, checks
    assert checks["auth"]["status"] == "pass"
    assert checks["auth"]["summary"] == "127.0.0.1 offers AUTH PLAIN LOGIN only after TLS"
    assert "AUTH" not in server.commands()  # no login without --user


def test_auth_before_tls_warns(start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(auth_before_tls="PLAIN LOGIN", auth_after_tls="PLAIN LOGIN"),
                   certificates.good)
    _, checks = probe("--submission", server.address)
    assert checks["auth"]["status"] == "warn"
    assert "before TLS too" in checks["auth"]["summary"]


def test_submission_without_starttls_fails(start: StartServer) -> None:
    server = start(Behaviour(auth_before_tls="PLAIN"))
    code, checks = probe("--submission", server.address, "--user", "ann",
                         env={"BOUNCEFIX_SMTP_PASSWORD": "secret"})
    assert code == 1
    assert checks["starttls"]["status"] == "fail"
    assert "passwords would travel unencrypted" in checks["auth"]["summary"]
    assert checks["login"]["status"] == "error"  # never sent in clear
    assert "AUTH" not in server.commands()


def test_auth_failing_with_535_is_explained(start: StartServer,
                                            certificates: Certificates) -> None:
    server = start(Behaviour(auth_after_tls="PLAIN LOGIN", users={"ann": "right"}),
                   certificates.good)
    result = invoke("check", *LOCAL, "--json", "--submission", server.address,
                    "--user", "ann", env={"BOUNCEFIX_SMTP_PASSWORD": "wrong-secret"})
    assert result.exit_code == 1
    assert "wrong-secret" not in result.output
    login = checks_of(result.stdout)["login"]
    assert login["status"] == "fail"
    assert login["summary"].startswith("127.0.0.1 refused the login of ann: 535 5.7.8")
    assert "meaning: Security or authentication error at submission (securityerror)" in \
        login["details"]
    assert any("user name and password" in line for line in login["details"])
    assert [tls for tls, line in server.log if line.startswith("AUTH")] == [True]


def test_no_password_is_sent_to_a_server_that_cannot_be_verified(
        start: StartServer, certificates: Certificates) -> None:
    for context in (certificates.expired, certificates.self_signed, certificates.wrong_name):
        server = start(Behaviour(auth_after_tls="PLAIN", users={"ann": "right"}), context)
        code, checks = probe("--submission", f"mail.probe.example:{server.port}", "--user",
                             "ann", env={"BOUNCEFIX_SMTP_PASSWORD": "right"})
        assert code == 1
        assert checks["login"]["status"] == "error"
        assert "could not be verified" in checks["login"]["summary"]
        assert "AUTH" not in server.commands()


def test_auth_succeeds_with_a_password_typed_at_the_prompt(
        start: StartServer, certificates: Certificates) -> None:
    server = start(Behaviour(auth_after_tls="LOGIN", users={"ann": "right"}),
                   certificates.good)
    result = invoke("check", *LOCAL, "--json", "--submission", server.address,
                    "--user", "ann", input="right\n")
    assert result.exit_code == 0, result.output
    assert "Password for ann" in result.stderr and "right" not in result.stdout
    assert checks_of(result.stdout)["login"]["summary"] == \
        "ann logged in to 127.0.0.1 (AUTH LOGIN)"


def test_recipient_refused_with_550_5_1_1(start: StartServer,
                                          certificates: Certificates) -> None:
    server = start(Behaviour(), certificates.good)
    code, checks = probe("--smtp", server.address, "--rcpt", "nobody@probe.example")
    assert code == 1
    rcpt = checks["rcpt"]
    assert rcpt["status"] == "fail"
    assert rcpt["summary"].startswith("127.0.0.1 refuses nobody@probe.example: 550 5.1.1")
    assert "meaning: Recipient address does not exist (userunknown)" in rcpt["details"]
    assert server.commands()[-4:] == ["MAIL", "RCPT", "RSET", "QUIT"]
    assert "DATA" not in server.commands()
    assert (True, "MAIL FROM:<>") in server.log  # asked over TLS


def test_recipient_accepted(start: StartServer) -> None:
    server = start(Behaviour())
    code, checks = probe("--smtp", server.address, "--rcpt", "ann@probe.example")
    assert code == 0 and checks["rcpt"]["status"] == "pass"
    assert "does not prove that the mailbox exists" in " ".join(checks["rcpt"]["details"])


def test_no_mail_transaction_without_rcpt(start: StartServer) -> None:
    server = start(Behaviour())
    probe("--smtp", server.address)
    assert not {"MAIL", "RCPT", "DATA", "AUTH"} & set(server.commands())


def test_ehlo_refused_falls_back_to_helo(start: StartServer) -> None:
    server = start(Behaviour(ehlo_reply="502 5.5.1 EHLO not implemented"))
    _, checks = probe("--smtp", server.address)
    assert checks["ehlo"]["status"] == "warn" and "accepts HELO" in checks["ehlo"]["summary"]


# -- banners ------------------------------------------------------------------------------

def test_banner_that_names_another_host_warns(start: StartServer) -> None:
    server = start(Behaviour(greeting="220 gateway.elsewhere.example ESMTP"))
    _, checks = probe("--smtp", f"mail.probe.example:{server.port}")
    greeting = checks["greeting"]
    assert greeting["status"] == "warn"
    assert greeting["summary"] == \
        "mail.probe.example greets as gateway.elsewhere.example, not as mail.probe.example"


def test_masked_banner_warns(start: StartServer) -> None:
    server = start(Behaviour(greeting="220 ****************************"))
    _, checks = probe("--smtp", server.address)
    assert "masked banner" in checks["greeting"]["summary"]


def test_hostile_banner_is_sanitised_in_text_and_json(start: StartServer) -> None:
    server = start(Behaviour(greeting=HOSTILE))
    for args in ((), ("--json",)):
        result = invoke("check", *LOCAL, *args, "--smtp", server.address)
        for bad in BAD:
            assert bad not in result.stdout, (args, bad)
        assert "mail.probe.example" in result.stdout and "[bold]x[/bold]" in result.stdout


def test_hostile_extensions_and_replies_are_sanitised(start: StartServer) -> None:
    server = start(Behaviour(
        extensions=("SIZE 1000", "X-\x1b]0;owned\x07TITLE \u202eevil", "\x1b[2J\x1b[HCLEAR"),
        unknown_reply="550 5.1.1 <{address}> \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 "
                      "\u202eUser unknown [red]x[/red]"))
    for args in ((), ("--json",)):
        result = invoke("check", *LOCAL, *args, "--smtp", server.address, "--rcpt",
                        "kim@probe.example")
        for bad in BAD:
            assert bad not in result.stdout, (args, bad)
        assert "[red]x[/red]" in result.stdout


def test_multiline_banner_and_overlong_lines(start: StartServer) -> None:
    server = start(Behaviour(greeting="220-mail.probe.example first\n220-" + "x" * 3000))
    _, checks = probe("--smtp", server.address)
    assert checks["greeting"]["status"] == "fail"
    assert "reply line longer than 1000 bytes" in checks["greeting"]["summary"]


# -- targets, MX hosts and safety -----------------------------------------------------------

def test_mx_hosts_are_probed_in_order(start: StartServer, local_only: LocalOnly) -> None:
    server = start(Behaviour())
    local_only.allow("127.0.0.3", server.port)
    result = invoke("check", *LOCAL, "--json", "probe.example", "--smtp",
                    "--port", str(server.port))
    data = json.loads(result.stdout)
    assert [(d["target"], d["kind"]) for d in data] == [
        ("probe.example", "domain"), (f"mx1.probe.example:{server.port}", "smtp"),
        (f"mx2.probe.example:{server.port}", "smtp")]
    first, second = data[1]["checks"], data[2]["checks"]
    assert first[0]["status"] == "fail" and "connection refused" in first[0]["summary"]
    assert "reached as MX 10 of probe.example" in first[0]["details"]
    assert second[1]["summary"] == "mx2.probe.example greets as mail.probe.example, " \
                                   "not as mx2.probe.example"
    assert result.exit_code == 1


def test_implicit_mx_and_null_mx(start: StartServer) -> None:
    server = start(Behaviour(greeting="220 implicit.probe.example ESMTP"))
    result = invoke("check", *LOCAL, "--json", "implicit.probe.example", "nullmx.probe.example",
                    "--smtp", "--port", str(server.port))
    data = json.loads(result.stdout)
    assert [d["target"] for d in data] == ["implicit.probe.example",
                                           f"implicit.probe.example:{server.port}",
                                           "nullmx.probe.example"]
    assert data[1]["checks"][1]["status"] == "pass"


def test_private_addresses_need_allow_private(start: StartServer) -> None:
    server = start(Behaviour())
    result = invoke("check", "--smtp", server.address)
    assert result.exit_code == 2
    assert "loopback address" in result.stderr and "--allow-private" in result.stderr
    assert server.connections == 0
    result = invoke("check", "--json", "--smtp", f"mail.probe.example:{server.port}")
    connect = checks_of(result.stdout)["connect"]
    assert connect["status"] == "fail" and "no address that may be connected to" in \
        connect["summary"]
    assert server.connections == 0


@pytest.mark.parametrize("args,message", [
    (("--smtp", "smtp://mail.probe.example:25"), "is a URL: give the domain, mail.probe.example"),
    (("--smtp", "mail.probe.example:0"), "bad port"),
    (("--smtp", "10.1.2.3"), "private address"),
    (("--smtp", "ann@probe.example"), "e-mail address"),
    (("--rcpt", "ann@probe.example", "probe.example"), "--rcpt needs --smtp"),
    (("--user", "ann", "probe.example"), "--user needs --submission"),
    (("--smtp",), "give a TARGET"),
    (("--smtp", "mail.probe.example", "--rcpt", "not an address"), "is not an address"),
    (("--submission", "0.0.0.0"), "unspecified"),
])
def test_bad_probe_requests_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = invoke("check", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_no_password_is_a_usage_error() -> None:
    result = invoke("check", "--submission", "mail.probe.example", "--user", "ann", input="")
    assert result.exit_code == 2 and "BOUNCEFIX_SMTP_PASSWORD" in result.stderr


def test_submission_checks_both_ports_and_logs_in_once(
        start: StartServer, certificates: Certificates) -> None:
    from bouncefix.dns.resolver import Resolver
    from bouncefix.smtp.deadline import Deadline
    from bouncefix.smtp.options import Credentials, ProbeOptions
    from bouncefix.smtp.probes import probe_submission

    plain = start(Behaviour(auth_after_tls="PLAIN"), certificates.good)
    implicit = start(Behaviour(implicit_tls=True, auth_after_tls="PLAIN"), certificates.good)
    options = ProbeOptions(allow_private=True, credentials=Credentials("ann", "bad"))
    reports = probe_submission("127.0.0.1", (plain.port, implicit.port), options,
                               Deadline.after(4, 2), Resolver(budget=1),
                               implicit_ports=(implicit.port,))
    first, second = ({c.name: c for c in r.checks} for r in reports)
    assert first["login"].status == "fail"
    assert "login" not in second  # the same password is not tried twice
    assert list(second)[:3] == ["connect", "tls", "cert"]
    assert second["auth"].summary == "127.0.0.1 offers AUTH PLAIN on the TLS connection"
    assert implicit.log[0][1].startswith("EHLO")


def test_one_line_per_server_kind_in_json(start: StartServer) -> None:
    server = start(Behaviour())
    result = invoke("check", *LOCAL, "--json", "--smtp", server.address, "--submission",
                    server.address)
    assert [d["kind"] for d in json.loads(result.stdout)] == ["smtp", "submission"]
