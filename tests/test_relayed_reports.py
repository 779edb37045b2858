"""Reports written by a relay or a forwarder about a refusal further on, and reports
whose family text names fewer recipients than their DSN fields. Every message here is
written for this file."""

from __future__ import annotations

from bouncefix.analysis import analyze_bytes
from bouncefix.model import Action, Finding, MessageReport
from bouncefix.parse.driver import merge
from bouncefix.parse.text import finding_from_words

_FORWARDER = b"""From: "Alias Service" <mailer-daemon@alias.example.net>
To: sales@shop.example.com
Subject: Undeliverable: spring catalogue
Date: Tue, 4 Mar 2025 08:00:00 +0000
Content-Type: text/plain; charset=utf-8

We could not pass on a message sent to kai@club.example.net.

The alias kai@club.example.net forwards to kai.berg@example.org.
The next server did not take it.

Status: 5.4.0 (onward delivery failed)

The next server answered:

  550 5.7.1 Message refused: the sending IP 198.51.100.7 is listed on a DNS
  blocklist we use
"""


def _only(raw: bytes) -> MessageReport:
    reports = analyze_bytes(raw)
    assert len(reports) == 1
    return reports[0]


def test_a_forwarded_failure_is_one_recipient_the_forwarding_target() -> None:
    report = _only(_FORWARDER)
    assert [r.finding.address for r in report.recipients] == ["kai.berg@example.org"]
    assert report.recipients[0].finding.original_recipient == "kai@club.example.net"


def test_the_next_servers_reply_outweighs_the_relays_generic_status() -> None:
    diagnosis = _only(_FORWARDER).recipients[0].diagnosis
    assert diagnosis.reason.value == "blocked"
    assert diagnosis.hard_bounce is False


def test_two_reply_paragraphs_are_not_guessed_between() -> None:
    twice = _FORWARDER + b"\nAn earlier try was answered:\n\n  451 4.7.1 Greylisted\n"
    diagnosis = _only(twice).recipients[0].diagnosis
    assert diagnosis.reason.value != "blocked"  # which reply belongs to it is not said


def _finding(address: str, action: str, words: str) -> Finding:
    return finding_from_words(words, address, "test").with_changes(action=Action(action))


def test_dsn_recipients_the_family_text_missed_are_added() -> None:
    primary = [_finding("ann@example.org", "delayed", "421 4.7.0 too many connections")]
    standard = [_finding("ann@example.org", "delayed", "421 4.7.0 too many connections"),
                _finding("bo@example.org", "delayed", "421 4.7.0 too many connections")]
    got = merge(primary, standard)
    assert [f.address for f in got] == ["ann@example.org", "bo@example.org"]


def test_delayed_dsn_recipients_stay_out_of_a_failure_report() -> None:
    primary = [_finding("ann@example.org", "failed", "550 5.1.1 unknown")]
    standard = [_finding("ann@example.org", "failed", "550 5.1.1 unknown"),
                _finding("bo@example.org", "delayed", "421 4.4.2 timed out")]
    assert [f.address for f in merge(primary, standard)] == ["ann@example.org"]


def test_a_dsn_naming_a_recipient_differently_adds_no_duplicate() -> None:
    primary = [_finding("ann@example.org", "failed", "550 5.1.1 unknown"),
               _finding("bo@example.org", "failed", "550 5.1.1 unknown")]
    standard = [_finding("ann@example.org", "failed", "550 5.1.1 unknown"),
                _finding("bo@example.com", "failed", "550 5.1.1 unknown")]
    got = merge(primary, standard)
    assert [f.address for f in got] == ["ann@example.org", "bo@example.org"]


def test_postfix_entries_without_a_blank_line_between_are_two_recipients() -> None:
    raw = b"""From: MAILER-DAEMON@out.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender

This is the mail system at host out.example.com.

<ana@example.org>: host mx.example.org[192.0.2.4] said: 550 5.1.1
    <ana@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO
    command)
<ben@example.org>: host mx.example.org[192.0.2.4] said: 552 5.2.2 Mailbox
    full (in reply to RCPT TO command)
"""
    got = [(r.finding.address, r.diagnosis.reason.value) for r in _only(raw).recipients]
    assert got == [("ana@example.org", "userunknown"), ("ben@example.org", "mailboxfull")]


def test_a_dsn_field_with_one_line_of_a_reply_takes_the_whole_reply_from_the_text() -> None:
    raw = b"""From: MDaemon@mail.example.org
To: ana@example.org
Subject: Permanent Delivery Failure
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

 --> RCPT To:<tom@example.net>
 <-- 554-5.7.1 Service unavailable
 <-- 554-5.7.1 Client host [203.0.113.9] blocked using bl.example.com;
 <-- 554 5.7.1 see https://bl.example.com/query?ip=203.0.113.9

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org

Final-Recipient: rfc822; tom@example.net
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp; 554-5.7.1 Service unavailable

--b1--
"""
    recipient = _only(raw).recipients[0]
    assert recipient.finding.address == "tom@example.net"
    assert recipient.diagnosis.reason.value == "blocked"


def test_a_dsn_without_diagnostic_takes_the_lines_under_its_address() -> None:
    # a template translated into Swedish: no English words, no code, only the entry
    raw = """From: Postmaster <mailer-daemon@post.example.se>
To: eva@example.se
Subject: Leveransfel
Content-Type: multipart/report; report-type=delivery-status; boundary="q7"

--q7
Content-Type: text/plain; charset=utf-8

Ditt meddelande kunde inte levereras till följande mottagare:

  nils@example.org
    kunde inte ansluta till mx.example.org [192.0.2.44]:
    Connection refused

--q7
Content-Type: message/delivery-status

Reporting-MTA: dns; post.example.se

Final-Recipient: rfc822; nils@example.org
Action: delayed
Status: 4.0.0

--q7--
""".encode()
    recipient = _only(raw).recipients[0]
    assert recipient.finding.address == "nils@example.org"
    assert recipient.finding.diagnostic is not None
    assert "Connection refused" in recipient.finding.diagnostic
    assert recipient.diagnosis.reason.value == "networkerror"
    assert recipient.diagnosis.hard_bounce is False


def test_a_report_quoted_below_a_list_managers_own_line_is_read() -> None:
    # no "Forwarded message" separator: the quoted report's own header block after a
    # blank line is where it starts
    raw = b"""From: owner-chess@lists.example.org
To: chess-admin@example.org
Subject: BOUNCE chess@lists.example.org: returned mail

== passed on by the list server for chess@lists.example.org ==

>From: Mail Delivery Subsystem <MAILER-DAEMON@lists.example.org>
>To: owner-chess@lists.example.org
>Subject: Returned mail: see transcript for details
>
>   ----- The following addresses had permanent fatal errors -----
><rook@example.com>
>    (reason: 552 5.2.2 Mailbox over quota)
"""
    recipient = _only(raw).recipients[0]
    assert recipient.finding.address == "rook@example.com"
    assert recipient.diagnosis.reason.value == "mailboxfull"


def test_the_dsn_reply_outranks_the_family_texts_pointer_to_it() -> None:
    # the text part only says the answer is below; the DSN field holds the reply
    raw = b"""From: Mail Delivery Subsystem <mailer-daemon@out.example.org>
To: news@example.org
Subject: Delivery Status Notification (Failure)
Content-Type: multipart/report; report-type=delivery-status; boundary="z"

--z
Content-Type: text/plain

Delivery to the following recipient failed permanently:

     lea@example.com

Technical details of permanent failure:
The recipient's server refused the message; its answer is in the report below.

--z
Content-Type: message/delivery-status

Reporting-MTA: dns; out.example.org

Final-Recipient: rfc822; lea@example.com
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp; 550 5.7.1 Service refused: the sending address range
 198.51.100.0/24 is on our block list

--z--
"""
    recipient = _only(raw).recipients[0]
    assert recipient.finding.diagnostic is not None
    assert recipient.finding.diagnostic.startswith("550 5.7.1")
    assert recipient.diagnosis.reason.value == "blocked"


def test_a_forwarded_out_of_office_reply_is_an_auto_reply() -> None:
    raw = b"""From: Lena Kraft <lena.kraft@example.com>
To: IT Desk <it@example.com>
Subject: FW: Automatic reply: budget meeting

Did this bounce?

-----Original Message-----
From: Tom Vale <tom.vale@example.net>
Sent: Monday, 3 June 2024 09:12
To: Lena Kraft <lena.kraft@example.com>
Subject: Automatic reply: budget meeting

I am out of the office until 10 June with limited access to email.
"""
    assert _only(raw).kind.value == "auto-reply"


def test_a_person_quoting_an_mta_entry_without_a_code_is_read() -> None:
    raw = b"""From: "Tracker (IT)" <tracker@it.example.org>
To: Rosa Lind <rosa.lind@example.org>
Subject: [TRACK-88] Mails to a supplier come back

Rosa commented:

<sales@suplier.example.com>: Host or domain name not found. Name service error
    for name=suplier.example.com type=MX: Host not found

I copied the address from their invoice.
"""
    recipient = _only(raw).recipients[0]
    assert recipient.finding.address == "sales@suplier.example.com"
    assert recipient.diagnosis.reason.value == "hostunknown"


def test_reports_about_traffic_and_phishing_dressed_as_bounces_are_no_bounces() -> None:
    tls_report = b"""From: tlsrpt@example.net
To: tls@example.com
Subject: Report Domain: example.com Submitter: example.net
Content-Type: multipart/report; report-type="tlsrpt"; boundary="t"

--t
Content-Type: text/plain

Aggregate TLS report.

--t
Content-Type: application/tlsrpt+json

{"policies":[{"summary":{"total-failure-session-count":2},"failure-details":[
{"result-type":"certificate-expired","failed-session-count":2}]}]}
--t--
"""
    assert _only(tls_report).kind.value == "not-bounce"
    phishing = b"""From: "Mail Delivery System" <postmaster@mailbox-center.example.net>
To: billing@example.com
Subject: Undelivered Mail: 3 incoming messages failed

Your mailbox has 3 pending messages that were not delivered.
Verify your account within 24 hours to release the messages, otherwise your mailbox
will be suspended.
"""
    assert _only(phishing).kind.value == "not-bounce"


def test_a_pasted_log_reports_the_later_bounce_after_a_deferral() -> None:
    from bouncefix.api import analyze

    log = (
        "Jun  2 08:00:01 relay postfix/smtp[10]: 3A4B5C6D7E: to=<pat@example.com>, "
        "relay=mx.example.com[192.0.2.5]:25, delay=300, dsn=4.4.2, status=deferred "
        "(conversation with mx.example.com[192.0.2.5] timed out while sending end of data)\n"
        "Jun  2 08:20:01 relay postfix/smtp[11]: 3A4B5C6D7E: to=<pat@example.com>, "
        "relay=mx.example.com[192.0.2.5]:25, delay=1500, dsn=5.3.4, status=bounced "
        "(host mx.example.com[192.0.2.5] said: 552 5.3.4 Message too big for this system "
        "(in reply to end of DATA command))\n")
    kinds = [(r.kind.value, r.recipients[0].diagnosis.reason.value) for r in analyze(log)]
    assert kinds == [("delay", "networkerror"), ("bounce", "mesgtoobig")]
