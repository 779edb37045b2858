"""Several notices about one message pasted as one text (parse/notices.py): a final
failure after a delay warning decides for its recipient; anything else reads as one text.
The notices are written for these tests."""

from __future__ import annotations

import pytest

from bouncefix.analysis import analyze_bytes
from bouncefix.model import Action, Kind
from bouncefix.parse import notices

WARNING_THEN_FAILURE = """\
Got two notices about the same mail, one on Monday and one today:

Delivery delayed
We could not reach the server for rosa@example.net yet and will keep trying for 3 more days.
Last reply: 451 4.4.1 Temporary lookup failure, try again later

--------

Message not delivered
We gave up delivering your message to rosa@example.net.
Reply from the server: 550 5.1.1 <rosa@example.net>: mailbox unknown here

What now?
"""


def test_a_failure_after_a_warning_decides() -> None:
    [report] = analyze_bytes(WARNING_THEN_FAILURE.encode())
    assert report.kind is Kind.BOUNCE
    [recipient] = report.recipients
    assert recipient.finding.address == "rosa@example.net"
    assert recipient.finding.action is Action.FAILED
    assert recipient.diagnosis.reason.value == "userunknown"
    assert any("latest one decides" in note for note in report.notes)


def test_quoted_notices_with_words_between() -> None:
    text = """\
my mail to my brother gave this first:

> Delivery is delayed to tom@example.org.
> 452 4.2.2 Mailbox over quota, we will retry for 48 hours

and this morning the next one:

> Undeliverable: tom@example.org
> 552 5.2.2 Mailbox over quota, giving up
"""
    [report] = analyze_bytes(text.encode())
    [recipient] = report.recipients
    assert recipient.finding.action is Action.FAILED
    assert recipient.diagnosis.reason.value == "mailboxfull"
    assert not recipient.diagnosis.hard_bounce


def test_header_blocks_part_notices_and_others_stay_delayed() -> None:
    text = """\
From: MAILER-DAEMON@relay.example.com
Subject: Delay warning

Still trying to deliver to these addresses, no need to resend:
<kim@example.org>: 421 4.4.2 connection dropped by mx.example.org
<lee@example.org>: 421 4.4.2 connection dropped by mx.example.org

From: MAILER-DAEMON@relay.example.com
Subject: Mail delivery failed

Delivery to this address failed permanently:
<kim@example.org>: 550 5.1.1 no mailbox by that name
"""
    [report] = analyze_bytes(text.encode())
    actions = {r.finding.address: r.finding.action for r in report.recipients}
    assert actions == {"kim@example.org": Action.FAILED, "lee@example.org": Action.DELAYED}
    assert report.kind is Kind.BOUNCE


def test_a_later_warning_never_undoes_a_failure() -> None:
    text = WARNING_THEN_FAILURE.replace("--------", "~~~~~~~~")
    reversed_order = "\n--------\n".join(reversed(text.split("\n~~~~~~~~\n")))
    [report] = analyze_bytes(reversed_order.encode())
    [recipient] = report.recipients
    assert recipient.finding.action is Action.FAILED


def test_one_notice_with_an_underlined_heading_reads_as_one() -> None:
    text = """\
Undeliverable message
---------------------
Your message to ivy@example.com could not be delivered.
ivy@example.com: 550 5.1.1 user unknown
"""
    assert notices.parts(text.encode()) == []
    [report] = analyze_bytes(text.encode())
    assert not any("notices" in note for note in report.notes)


def test_a_real_message_is_never_cut() -> None:
    raw = (b"Received: from mx.example.com by relay.example.net\n"
           b"From: MAILER-DAEMON@example.net\nSubject: Undelivered\n\n"
           b"a@example.org: 451 try later\n\n--------\n\n"
           b"From: MAILER-DAEMON@example.net\nSubject: failed\n\n"
           b"a@example.org: 550 5.1.1 unknown\n")
    assert notices.parts(raw) == []


def test_several_esp_events_pasted_one_after_another_are_all_read() -> None:
    from bouncefix.api import analyze

    text = """\
the two webhook calls we got for the renewal mail:

{"RecordType": "Bounce", "Type": "Transient", "TypeCode": 2, "Email": "max@example.com",
 "Details": "smtp;421 4.4.2 connection lost, will retry", "BouncedAt": "2026-11-30T08:00:00Z"}

{"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "Email": "max@example.com",
 "Details": "smtp;550 5.1.1 <max@example.com>: no such user", "BouncedAt": "2026-12-01T08:00:00Z"}
"""
    reports = analyze(text)
    assert [r.esp for r in reports] == ["postmark", "postmark"]
    assert [r.recipients[0].finding.action for r in reports] == [Action.DELAYED, Action.FAILED]
    assert reports[1].recipients[0].diagnosis.reason.value == "userunknown"



def test_a_challenge_to_confirm_the_sending_is_no_out_of_office_reply() -> None:
    # the recipient's filter holds the message until the sender confirms: nothing was
    # delivered yet, so it must not be read as an away notice ("your message was delivered")
    head = ("From: Filter <guard@example.net>\nTo: shop@example.com\n"
            "Subject: Held: confirm your message\nAuto-Submitted: auto-replied\n"
            "Content-Type: text/plain; charset=utf-8\n\n")
    for words in ("Your message to kim@example.net is on hold and will be delivered once "
                  "you confirm it at the link below.",
                  "A sua mensagem para kim@example.net será entregue assim que você "
                  "confirmar o envio no endereço abaixo.",
                  "Ihre Nachricht an kim@example.net wird zugestellt, sobald Sie den "
                  "Versand über den Link bestätigen."):
        report = analyze_bytes((head + words + "\n").encode())[0]
        assert report.kind is not Kind.AUTO_REPLY, words


@pytest.mark.parametrize("notice", [
    # a person gone for good, quoted by whoever pasted it
    "> Thank you for writing. I retired from the practice last month and this inbox\n"
    "> is no longer being monitored. Please contact reception@example.org instead.\n",
    # a help desk's acknowledgement
    "Your support request has been received and assigned case number 7741.\n"
    "One of our agents will be in touch.\n",
    # copied from a mail program, which shows a few headers but not the automatic ones
    "From: Ola Berg <ola@example.net>\nSent: Monday, 2 March 2026 08:10\nTo: desk@example.com\n"
    "Subject: Re: your order\n\nHello, I will be back at my desk on 16 March and will answer"
    " then.\n(vacation message)\n",
    # an automatic reply whose away words are wrapped, and which says it forwarded nothing
    "From: Ola Berg <ola@example.net>\nTo: desk@example.com\nSubject: Re: your order\n"
    "Auto-Submitted: auto-replied\n\nHello, I no longer work here and this mailbox is no\n"
    "longer monitored. Your message has not been forwarded to anyone.\n",
], ids=["quoted-retiree", "help-desk", "copied-from-a-client", "wrapped"])
def test_automatic_replies_known_by_their_words(notice: str) -> None:
    [report] = analyze_bytes(notice.encode())
    assert report.kind is Kind.AUTO_REPLY
