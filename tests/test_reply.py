"""The server's words out of the sending MTA's wrapper (parse/reply.py): "server said"
quotes the reply alone, the host and the command go to their own fields."""

from __future__ import annotations

import pytest

from bouncefix import analyze
from bouncefix.parse.reply import unwrap


@pytest.mark.parametrize(("diagnostic", "text", "host", "command"), [
    ("<ann@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1 No such person "
     "here (in reply to RCPT TO command)", "550 5.1.1 No such person here",
     "mx.example.org", "RCPT"),
    ("host mx2.example.net[2001:db8::25] said: 452-4.2.2 The box is over its limit "
     "(in reply to end of DATA command)", "452 4.2.2 The box is over its limit",
     "mx2.example.net", "DATA"),
    ("SMTP error from remote mail server after RCPT TO:<bo@example.net>: "
     "host mx.example.net [198.51.100.7]: 550 5.1.1 <bo@example.net>: unknown user",
     "550 5.1.1 <bo@example.net>: unknown user", "mx.example.net", "RCPT"),
    ("SMTP error from remote mail server after pipelined MAIL FROM:<news@example.com> "
     "SIZE=2048: 550 5.7.1 Sender refused", "550 5.7.1 Sender refused", None, "MAIL"),
    ("Remote host said: 554 5.7.1 We do not take mail from your network",
     "554 5.7.1 We do not take mail from your network", None, None),
    # a Java mail library's own headline around the server's reply
    ("javax.mail.SendFailedException: Invalid Addresses; nested exception is:\n"
     "\tcom.sun.mail.smtp.SMTPAddressFailedException: 501 5.5.4 Bad parameter in RCPT",
     "501 5.5.4 Bad parameter in RCPT", None, None),
    # nothing to take off
    ("550 5.1.1 The person you wrote to said: no such mailbox",
     "550 5.1.1 The person you wrote to said: no such mailbox", None, None),
    ("421 4.4.2 mx.example.org connection dropped", "421 4.4.2 mx.example.org connection "
     "dropped", None, None),
    # a wrapper and nothing else stays as it is
    ("<ann@example.org>:", "<ann@example.org>:", None, None),
])
def test_unwrap(diagnostic: str, text: str, host: str | None, command: str | None) -> None:
    reply = unwrap(diagnostic)
    assert (reply.text, reply.host, reply.command) == (text, host, command)


def test_pasted_postfix_line_in_every_output() -> None:
    pasted = (b"<jane@partner.example>: host mx.partner.example[198.51.100.20] said:\n"
              b"    550-5.1.1 Nobody by that name receives mail here. Check the\n"
              b"    550-5.1.1 spelling of the address and\n"
              b"    550 5.1.1 try again. (in reply to RCPT TO command)\n")
    [report] = analyze(pasted)
    [item] = report.recipients
    assert item.finding.diagnostic == ("550 5.1.1 Nobody by that name receives mail here. "
                                      "Check the spelling of the address and try again.")
    assert item.finding.remote_mta == "mx.partner.example"
    assert item.finding.smtp_command == "RCPT"
    assert item.diagnosis.reason.value == "userunknown"


def test_unwrapping_takes_linear_time() -> None:
    import time

    start = time.perf_counter()
    unwrap("<" + "a" * 60 + "@" + "b." * 50_000 + ">" + " said:" * 10_000)
    unwrap("host " + "x." * 100_000 + "[1.2.3.4 said:")
    assert time.perf_counter() - start < 1.0
