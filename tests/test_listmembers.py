"""Notices of list and newsletter software about MEMBERS whose mail bounces
(parse/listmembers.py), and a quarantine's digest that is no bounce at all. The failed
recipients are the members; the list stopping is `suppressed` and never hard; a server
reply the notice quotes decides the cause. Written for these tests."""

from __future__ import annotations

from bouncefix import analyze


def _read(text: str) -> list[tuple[str | None, str, bool]]:
    [report] = analyze(text)
    return [(r.finding.address, r.diagnosis.reason.value, r.diagnosis.hard_bounce)
            for r in report.recipients]


def test_members_removed_for_bouncing_are_suppressed_not_hard() -> None:
    notice = """From: Bulletin robot <robot@lists.example.net>
To: editors@lists.example.net
Subject: Members taken off the Bulletin list

After too many bounces in a row, these members were removed from the Bulletin list:
  ivo.p@example.org
  mara.s@example.com
"""
    assert _read(notice) == [("ivo.p@example.org", "suppressed", False),
                             ("mara.s@example.com", "suppressed", False)]


def test_a_notice_to_the_member_names_the_member() -> None:
    notice = """From: hikers-request@lists.example.net
To: noor@example.org
Subject: Your Hikers delivery is paused

Our messages to you kept bouncing, so your subscription to Hikers has been
disabled because of excessive bounces. Write to hikers-owner@lists.example.net
if you want it back.
"""
    assert _read(notice) == [("noor@example.org", "suppressed", False)]


def test_the_quoted_reply_decides_the_cause() -> None:
    notice = """From: Group notices <groups-noreply@example.net>
To: choir-managers@example.net
Subject: Delivery problems for members of choir@example.net

Messages the group sent to its members could not be delivered.

Member: abe@example.org
Their server replied:
  550 5.1.1 <abe@example.org>: no mailbox by that name here
"""
    assert _read(notice) == [("abe@example.org", "userunknown", True)]


def test_a_pasted_list_notice_is_about_the_member_not_the_list() -> None:
    pasted = """chess@lists.example.org: member kay@example.com's delivery was disabled
after repeated bounces. Last bounce:

  Final-Recipient: rfc822; kay@example.com
  Diagnostic-Code: smtp; 552 5.2.2 kay's mailbox is over its quota
"""
    [report] = analyze(pasted)
    assert [(r.finding.address, r.diagnosis.reason.value) for r in report.recipients] == [
        ("kay@example.com", "mailboxfull")]


def test_a_quarantine_digest_is_no_bounce() -> None:
    digest = """From: Mail filter <quarantine@filter.example.net>
To: pat@example.org
Subject: Quarantine summary for pat@example.org - 2 new messages

These messages were stopped by your email filter and have not been delivered to your
inbox. Release any you were expecting.

From                          Subject                       Reason
promo@deals.example.com       Last chance: 80% off          Spam
it-desk@login.example.net     Mailbox size exceeded         Phishing
"""
    [report] = analyze(digest)
    assert report.kind.value == "not-bounce"
    assert not report.recipients


def test_a_restricted_help_desk_names_the_address_it_refused_for() -> None:
    notice = """From: Acme Help <help@example.net>
To: rui@example.org
Subject: [Acme Help] We could not accept your email
Auto-Submitted: auto-replied

We received an email from rui@example.org addressed to
help@example.net, but it was not turned into a ticket.

This help desk is restricted: only registered customers may open requests by email.
"""
    assert _read(notice) == [("help@example.net", "filtered", False)]


def test_a_pasted_quarantine_digest_with_a_question_is_no_bounce() -> None:
    pasted = """Is this a problem? It came in overnight.

Spam quarantine summary for desk@example.org (2 new)

The messages below were held by the spam filter and have not been delivered to your inbox.

promo@deals.example.com       Last chance: 80% off          8.7   [Release]
ann@example.net               Re: our meeting               5.1   [Release]
"""
    [report] = analyze(pasted)
    assert report.kind.value == "not-bounce"


def test_a_lists_notice_of_a_new_member_is_no_bounce() -> None:
    notice = (b"From: chess-bounces@lists.example.org\nTo: chess-owner@lists.example.org\n"
              b"Subject: Chess subscription notification\nMessage-ID: <n1@lists.example.org>\n\n"
              b"piet@example.com has been successfully subscribed to Chess.\n")
    assert analyze(notice)[0].kind.value == "not-bounce"
    # leaving after bounces is still the list's account of a failure
    removed = notice.replace(b"successfully subscribed to Chess.",
                             b"unsubscribed from Chess after too many bounces.")
    assert analyze(removed)[0].kind.value != "not-bounce"


def test_the_list_a_member_was_taken_off_is_no_recipient() -> None:
    # the bounce that triggered the removal pasted below it, without a code
    notice = """From: Club news <news-owner@lists.example.net>
To: editors@example.net
Subject: lou@old.example.org unsubscribed from news@lists.example.net

lou@old.example.org has been unsubscribed from news@lists.example.net after
excessive bounces. The last bounce:

<lou@old.example.org>: Host or domain name not found. Name service error for
    name=old.example.org type=MX: Host not found
"""
    assert _read(notice) == [("lou@old.example.org", "hostunknown", True)]


def test_a_member_whose_mail_kept_bouncing_is_switched_off() -> None:
    notice = """From: band-bounces@lists.example.com
To: ola@example.net
Subject: Your subscription to Band has been disabled

Sending Band list mail to ola@example.net was switched off because mail to
that address kept bouncing.
"""
    assert _read(notice) == [("ola@example.net", "suppressed", False)]


def test_a_table_of_removed_members_with_their_last_status() -> None:
    notice = """From: SYMPA <sympa@lists.example.org>
To: chess-request@lists.example.org
Subject: [chess] bouncing subscribers removed

These subscribers went over the list's bounce score and were removed:

  Subscriber              Score  Last bounce   Status
  rui@example.com           100  2024-04-30    5.1.1
  ada@example.net           100  2024-05-01    4.2.2
"""
    assert [(a, r) for a, r, _ in _read(notice)] == [("rui@example.com", "userunknown"),
                                                    ("ada@example.net", "mailboxfull")]
