"""probe_command: the ``bouncefix check --smtp`` / ``--submission`` command worth running
for a diagnosis, with the host taken from the bounce, and None where a probe would not
help."""

from __future__ import annotations

import pytest

from bouncefix import analyze
from bouncefix.smtp.suggest import probe_command


def suggest(text: str) -> str | None:
    [report] = analyze(text)
    item = report.recipients[0]
    return probe_command(item.finding, item.diagnosis)


@pytest.mark.parametrize("text,command", [
    # TLS failures: the receiving server the bounce names
    ("host mx.example.org[192.0.2.1] said: 454 4.7.0 TLS not available due to local problem "
     "(in reply to STARTTLS command)", "bouncefix check --smtp mx.example.org"),
    ("Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.7.10\n"
     "Remote-MTA: dns; mx2.example.org\n"
     "Diagnostic-Code: smtp; 530 5.7.10 Must issue a STARTTLS command first",
     "bouncefix check --smtp mx2.example.org"),
    # connection failures: the recipient's domain when no server is named
    ("Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 4.4.1\n"
     "Diagnostic-Code: smtp; connect to mx.example.org: Connection timed out",
     "bouncefix check example.org --smtp"),
    ("<bob@example.com>: host mx.example.com[203.0.113.5] said: 421 4.7.0 Try again later, "
     "closing connection (in reply to RCPT TO command)", "bouncefix check --smtp mx.example.com"),
    # logins refused at submission
    ("535 5.7.8 Username and Password not accepted. For more information, go to "
     "https://support.google.com/mail/?p=BadCredentials - gsmtp",
     "bouncefix check --submission smtp.gmail.com --user YOUR-LOGIN"),
    ("host smtp.example.net[192.0.2.7] said: 535 5.7.8 Error: authentication failed "
     "(in reply to AUTH command)", "bouncefix check --submission smtp.example.net --user YOUR-LOGIN"),
    ("534 5.7.9 Application-specific password required.",
     "bouncefix check --submission YOUR-SMTP-SERVER --user YOUR-LOGIN"),
    ("530 5.7.0 Authentication required",
     "bouncefix check --submission YOUR-SMTP-SERVER --user YOUR-LOGIN"),
    ("530 5.7.0 Must issue a STARTTLS command first",
     "bouncefix check --submission YOUR-SMTP-SERVER"),
])
def test_commands_for_diagnoses_a_probe_helps(text: str, command: str) -> None:
    assert suggest(text) == command


@pytest.mark.parametrize("text", [
    "550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown",
    "552 5.2.2 <ann@example.org>: Mailbox full",
    "550 5.7.1 <ann@example.org>: Message rejected due to DMARC policy",
    "421 4.7.0 Too many connections",  # no host in the bounce
])
def test_none_where_a_probe_does_not_help(text: str) -> None:
    assert suggest(text) is None


def test_hosts_from_the_bounce_are_validated() -> None:
    from bouncefix.model import Diagnosis, Finding, Reason

    diagnosis = Diagnosis(Reason.FAILEDSTARTTLS, False, "4.7.0", False, "x")
    for hostile in ("mx.example.org; rm -rf ~", "$(reboot)", "127.0.0.1", "\x1b[2Jmx.org",
                    "10.1.2.3", "localhost"):
        command = probe_command(Finding(address="ann@example.org", remote_mta=hostile),
                                diagnosis)
        assert command == "bouncefix check example.org --smtp", hostile
    assert probe_command(Finding(remote_mta="mx.example.org[192.0.2.1]"), diagnosis) == \
        "bouncefix check --smtp mx.example.org"
    assert probe_command(Finding(address="ann@bad domain"), diagnosis) is None


def test_explain_shows_the_probe_in_text_and_json() -> None:
    from bouncefix.render import plain

    [report] = analyze("host mx.example.org[192.0.2.1] said: 454 4.7.0 TLS not available "
                       "(in reply to STARTTLS command)")
    assert "    test the server: bouncefix check --smtp mx.example.org" in (
        plain.render_reports([report]).splitlines())
    assert report.to_dict()["recipients"][0]["probe"] == "bouncefix check --smtp mx.example.org"
    [unknown] = analyze("550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown")
    assert unknown.to_dict()["recipients"][0]["probe"] is None
    assert "test the server" not in plain.render_reports([unknown])


@pytest.mark.parametrize("text", [
    # a 421 whose words name a cause other than the server working: no probe
    "host mx.example.com[203.0.113.5] said: 421-4.7.28 Our system has detected an unusual "
    "rate of unsolicited mail originating from your IP address; mail from it is rate "
    "limited for now (in reply to end of DATA command)",
    "host mx.example.com[203.0.113.5] said: 421 4.7.0 [TSS04] Messages from 192.0.2.9 "
    "temporarily deferred due to unexpected volume or user complaints (in reply to MAIL FROM "
    "command)",
])
def test_no_probe_for_a_421_about_reputation(text: str) -> None:
    assert suggest(text) is None
