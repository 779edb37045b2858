"""explain as a person reads it (issue 14, items 1-10): which message bounced, a delay
headed as a delay, auto-replies as delivered, typo'd domains, advice about the sender's
own account, hanging indents, Markdown code spans, one source only."""

from __future__ import annotations

import pytest

from bouncefix import analyze
from bouncefix.render import markdown, plain, rich_view
from bouncefix.render.grouping import verdict
from helpers import invoke

RETURNED = b"""From: MAILER-DAEMON@mx.example.net
To: ann@example.com
Subject: Undelivered Mail Returned to Sender
Date: Thu, 5 Mar 2026 14:31:00 +0100
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

<bo@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1 No such user here
    (in reply to RCPT TO command)

--b
Content-Type: message/rfc822

From: Ann <ann@example.com>
To: Bo <bo@example.org>
Subject: Quarterly figures
Date: Thu, 5 Mar 2026 14:30:00 +0100

Hello.
--b--
"""


def test_the_returned_message_is_named_in_every_text_output() -> None:
    [report] = analyze(RETURNED)
    for text in (plain.render_report(report),
                 markdown.render_reports([report]).replace("\\<", "<").replace("\\>", ">")):
        assert '"Quarterly figures"' in text and "Bo <bo@example.org>" in text
        assert "Thu, 5 Mar 2026 14:30:00 +0100" in text
    result = invoke("explain", "--offline", "--color", "never", input=RETURNED,
                    env={"COLUMNS": "120"})
    assert 'your message "Quarterly figures", to Bo <bo@example.org>' in result.output


def test_the_bounce_date_is_in_the_json() -> None:
    [report] = analyze(RETURNED)
    assert report.to_dict()["date"] == "2026-03-05T14:31:00+01:00"


@pytest.mark.parametrize(("text", "heading", "headline"), [
    (b"Subject: Delivery delayed\nFrom: postmaster@example.net\n\nDelivery to the "
     b"following recipient has been delayed; we will keep trying.\n  ann@example.org\n"
     b"451 4.4.1 no answer from host\n", "DELAYED - will be retried", "Delayed, will be retried"),
    (b"450 4.2.0 <bo@example.org>: Recipient address rejected: greylisted, come back in "
     b"five minutes\n", "DELAYED - will be retried", "Delayed, will be retried"),
    (b"From: ann@example.org\nSubject: Automatic reply: hello\nAuto-Submitted: auto-replied"
     b"\n\nI am away until Monday and will read your mail then.\n",
     "AUTOMATIC REPLY - not a bounce", "not a bounce: your message was delivered"),
])
def test_delays_and_auto_replies_are_headed_as_what_they_are(text: bytes, heading: str,
                                                            headline: str) -> None:
    [report] = analyze(text)
    assert headline in verdict(report.recipients[0])
    assert "do not retry" not in verdict(report.recipients[0])
    result = invoke("explain", "--offline", "--color", "never", input=text,
                    env={"BOUNCEFIX_FORCE_RICH": "1", "COLUMNS": "120"})
    assert result.output.startswith(heading)


def test_a_pasted_temporary_reply_that_gave_up_stays_a_bounce() -> None:
    [report] = analyze(b"Delivery has failed permanently after 5 days: 451 4.4.1 no answer "
                       b"from host for <bo@example.org>\n")
    assert report.kind.value == "bounce"


@pytest.mark.parametrize(("address", "meant"), [
    ("jane@gmial.com", "gmail.com"), ("jane@hotmial.com", "hotmail.com"),
    ("jane@yahooo.com", "yahoo.com"), ("jane@outlok.com", "outlook.com"),
    ("jane@gmail.con", "gmail.com"),
])
def test_a_typod_domain_gets_a_suggestion(address: str, meant: str) -> None:
    for words in (f"550 5.1.2 <{address}>: Recipient address rejected: Domain not found",
                  f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"):
        [report] = analyze(words)
        fix = report.recipients[0].diagnosis.fix
        local = address.split("@")[0]
        assert f"did you mean {local}@{meant}?" in fix[0]
        assert not any("before the @" in step for step in fix)  # the domain is wrong


@pytest.mark.parametrize("address", ["jane@gmail.com", "jane@mail.com", "jane@example.org",
                                     "jane@gmx.at", "jane@me.com"])
def test_real_domains_get_no_suggestion(address: str) -> None:
    [report] = analyze(f"550 5.1.1 <{address}>: Recipient address rejected: User unknown")
    assert not any("did you mean" in step for step in report.recipients[0].diagnosis.fix)


def test_sender_address_not_owned_is_about_the_sending_account() -> None:
    [report] = analyze("553 5.7.1 <me@example.com>: Sender address rejected: not owned by "
                       "user me@example.net")
    assert [r.finding.address for r in report.recipients] in ([None], [])
    [item] = report.recipients
    advice = " ".join(item.diagnosis.fix).lower()
    assert "log in" in advice and "password" not in advice
    assert "sender" in item.diagnosis.who


def test_external_forwarding_refusal_is_for_the_senders_own_admin() -> None:
    [report] = analyze("550 5.7.520 Access denied, Your organization does not allow external "
                       "forwarding. Please contact your administrator for further "
                       "assistance. AS(7555)")
    diagnosis = report.recipients[0].diagnosis
    assert diagnosis.who == ("sender-admin",)
    assert "recipient" not in " ".join(diagnosis.who)


def test_gmail_spam_rate_points_to_reputation() -> None:
    [report] = analyze("421-4.7.28 [192.0.2.5 15] Gmail has detected an unusual rate of "
                       "unsolicited mail originating from your IP address. To protect our "
                       "users from spam, mail sent from your IP address has been temporarily "
                       "rate limited.")
    advice = " ".join(report.recipients[0].diagnosis.fix)
    assert "Postmaster Tools" in advice


def test_a_dropped_connection_is_transient() -> None:
    [report] = analyze("421 4.4.2 mx.example.org Error: timeout exceeded, connection dropped")
    item = report.recipients[0]
    assert report.kind.value == "delay" and not item.diagnosis.hard_bounce
    assert "gave up" not in verdict(item).lower()


def test_rich_fix_steps_keep_a_hanging_indent() -> None:
    [report] = analyze("550 5.1.2 <jane@gmial.com>: Recipient address rejected: Domain not "
                       "found, and these are words that go on long enough to wrap")
    from rich.console import Console

    console = Console(width=60, record=True, color_system=None)
    rich_view.render_report(console, report)
    lines = console.export_text().splitlines()
    first = next(i for i, line in enumerate(lines) if " 1. " in line)
    text_column = lines[first].index(" 1. ") + 4
    continuation = lines[first + 1]
    assert continuation[text_column - 2:text_column].strip() == ""  # not under the number
    assert continuation[text_column:text_column + 1].strip()


def test_markdown_puts_server_words_in_code_spans() -> None:
    [report] = analyze("550 5.1.1 <jane.doe@example.org>: user-unknown at mx-1.example.org")
    text = markdown.render_reports([report])
    assert "`550 5.1.1 <jane.doe@example.org>: user-unknown at mx-1.example.org`" in text
    assert "\\." not in text and "\\-" not in text


def test_explain_with_two_files_points_to_scan(tmp_path: object) -> None:
    result = invoke("explain", "a.eml", "b.eml")
    assert result.exit_code == 2
    assert "bouncefix scan a.eml b.eml" in result.output
