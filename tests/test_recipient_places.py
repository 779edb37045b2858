"""Which addresses of a report failed: quoted local parts, addresses glued to CJK text,
addresses the report says were delivered or informed, and notices that name no
recipient at all. Every message here is written for this file."""

from __future__ import annotations

import pytest

from bouncefix.analysis import analyze_bytes
from bouncefix.parse.addresslist import read_address_list
from bouncefix.parse.codes import clean_address


def _addresses(raw: bytes) -> list[str | None]:
    return [r.finding.address for r in analyze_bytes(raw)[0].recipients]


def test_a_quoted_local_part_is_one_address() -> None:
    assert clean_address('rfc822; "front desk"@example.org') == '"front desk"@example.org'
    found = read_address_list('a@example.org, "front desk"@example.org')
    assert found.addresses == ["a@example.org", '"front desk"@example.org']
    # still one address at the domain after the quotes
    assert clean_address('"a@example.org"@other.example') == '"a@example.org"@other.example'


def test_an_address_after_cjk_words_is_read_in_its_sentence() -> None:
    raw = """From: postmaster@example.com
To: li@example.com
Subject: =?utf-8?b?6YCA5L+h?=
Content-Type: text/plain; charset=utf-8

邮件未能投递给以下收件人：

  wu@example.org（原因：收件人不存在）

对方服务器返回：550 5.1.1 User unknown
抄送给he@example.com的副本已正常送达。
""".encode()
    assert _addresses(raw) == ["wu@example.org"]


def test_addresses_said_to_be_unaffected_or_informed_are_no_recipients() -> None:
    raw = b"""From: mailer@mail.example.net
To: sam@example.net
Subject: Message undeliverable: plans

These recipient(s) could not be reached:

ida@example.org
   Remote server replied: 550 5.1.1 Unknown user

The other recipients of this message (kim@example.net,
lou@example.net) were not affected. Your administrator
(admin@example.net) has been informed.
"""
    assert _addresses(raw) == ["ida@example.org"]


def test_a_policy_notice_naming_nobody_is_read_from_its_paragraphs() -> None:
    raw = b"""From: "Data Guard" <guard-notify@example.com>
To: jo@example.com
Subject: Your email was blocked

Your email "Payroll" was blocked and not delivered.

It matched the company policy "Bank details" (3 account numbers found).

The privacy team (privacy@example.com) has been informed.
"""
    report = analyze_bytes(raw)[0]
    assert report.kind.value == "bounce"
    assert [r.finding.address for r in report.recipients] == [None]
    assert report.recipients[0].diagnosis.reason.value == "policyviolation"


def test_a_person_writing_about_a_failed_parcel_is_no_bounce() -> None:
    raw = b"""From: Rui Costa <rui@example.com>
To: office@example.org
Subject: Delivery failure - parcel 12 returned

Our driver could not deliver parcel 12 (the gate was locked); it is back at the depot.
"""
    assert analyze_bytes(raw)[0].kind.value == "not-bounce"


def test_every_address_of_a_labelled_list_is_a_recipient() -> None:
    raw = b"""From: "Gateway Notice" <gw-notify@example.com>
To: kai@example.com
Subject: Your message was not delivered: security risk found

The message you sent below was NOT delivered. A virus was found in an attachment.

  Recipients:  ann@example.org; bob@example.org
  Subject:     invoice
  Rule:        Outbound virus scan
  Action:      Delete entire message
"""
    report = analyze_bytes(raw)[0]
    assert [r.finding.address for r in report.recipients] == ["ann@example.org", "bob@example.org"]
    assert {r.diagnosis.reason.value for r in report.recipients} == {"virusdetected"}


def test_an_address_heading_the_lines_below_is_the_recipient_not_a_help_contact() -> None:
    pasted = b"""Campaign report, contact lena.berg@example.org:

Hard bounce - address rejected
550 5.1.1 The mailbox you tried to reach does not exist.
"""
    assert _addresses(pasted) == ["lena.berg@example.org"]
    # an address to write to for help stays out
    help_line = b"550 5.1.1 No such mailbox here. Questions? Contact help.desk@example.net today.\n"
    assert _addresses(help_line) == [None]


def test_a_group_that_writes_its_own_refusal_is_the_failed_recipient() -> None:
    # From is the group itself, the greeting names the sender, Auto-Submitted is set:
    # still a bounce, and the group is the recipient that failed
    raw = b"""Return-Path: <>
From: Harbour Rowing Crew <crew@groups.example.org>
To: coach@example.net
Subject: Regatta entries
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Hi coach@example.net,

Your message to crew@groups.example.org was not delivered to the group:
only people who belong to the group can post to it.
"""
    report = analyze_bytes(raw)[0]
    assert report.kind.value == "bounce"
    assert _addresses(raw) == ["crew@groups.example.org"]
    assert report.recipients[0].diagnosis.reason.value == "filtered"


def test_a_recipient_named_in_prose_after_a_noun_and_in_a_failed_to_list() -> None:
    member = b"""From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>
To: owner-chess@example.org
Subject: Returned mail: member not accepting your mail

The member kingside77@example.com has chosen to receive mail only from
people on an approved list, so mail from owner-chess@example.org was turned away.
"""
    assert _addresses(member) == ["kingside77@example.com"]
    listed = b"""From: Virus Guard <virus-guard@mail.example.com>
To: kim@mail.example.com
Subject: [VIRUS BLOCKED] your message was not sent

The message was not sent to:
    ray@example.net
    info@example.org

Virus found: W32.Example.B
"""
    assert sorted(_addresses(listed)) == ["info@example.org", "ray@example.net"]


def test_a_forwarding_address_given_for_correspondents_is_no_recipient() -> None:
    raw = b"""From: Postmaster <postmaster@old.example.com>
To: ada@example.net
Subject: Undeliverable: Re: minutes

The member who used the address 70011.22@old.example.com has moved and no
longer reads mail sent there. The member left this forwarding
information for correspondents:

    ada.l@new.example.com

551 User not local; please try <ada.l@new.example.com>
"""
    report = analyze_bytes(raw)[0]
    assert _addresses(raw) == ["70011.22@old.example.com"]
    assert report.recipients[0].diagnosis.reason.value == "hasmoved"


def test_numbered_flagged_entries_and_failed_lists_name_recipients() -> None:
    digest = b"""From: List Robot <robot@lists.example.com>
To: owners@lists.example.com
Subject: Bounce summary for club@lists.example.com

1. [X] ana@example.org
   diagnostic: 550 5.1.1 no such mailbox
2. [X] ben@example.net
   diagnostic: 550 5.1.1 recipient unknown
"""
    assert sorted(_addresses(digest)) == ["ana@example.org", "ben@example.net"]
    pasted = b"550 5.1.10 recipient not found\nFailed: team-list@example.org; cy@example.com\n"
    assert sorted(_addresses(pasted)) == ["cy@example.com", "team-list@example.org"]


def test_the_person_who_reported_a_ticket_is_no_recipient() -> None:
    ticket = b"""Ticket 4411 - mail to a client keeps coming back
Reported by: Ines Moro (ines.moro@example.com)

  Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

Failed recipient in the one I attached: dora@example.org
"""
    assert _addresses(ticket) == ["dora@example.org"]


def test_a_recipient_named_by_its_local_part_is_completed_from_the_returned_message() -> None:
    raw = b"""From: Mail Delivery Subsystem <MAILER-DAEMON@host.example.org>
To: ana@host.example.org
Subject: Returned mail: User unknown

   ----- The following addresses had permanent fatal errors -----
pjonse

   ----- Transcript of session follows -----
550 pjonse... User unknown

   ----- Unsent message follows -----
From: Ana <ana@example.org>
To: pjonse@example.org
Cc: kim@example.org
Subject: lab schedule
"""
    assert _addresses(raw) == ["pjonse@example.org"]


def test_addresses_listed_as_delivered_are_no_recipients() -> None:
    raw = """From: "Sistema di posta" <MAILER-DAEMON@mail.example.it>
To: gino@example.it
Subject: Messaggio non recapitato

Destinatario: rita@example.org
Esito: 550 5.1.1 utente sconosciuto

Il messaggio è stato invece consegnato correttamente a:
   ufficio@example.org
""".encode()
    assert _addresses(raw) == ["rita@example.org"]
    # "was not / delivered to the following" (wrapped) is a failure label, not a success
    wrapped = b"""From: LISTSERV@lists.example.org
Subject: Delivery error report

The message you posted was not
delivered to the following subscriber(s):

  ola@example.com
  ERROR: 550 5.1.1 unknown user
"""
    assert _addresses(wrapped) == ["ola@example.com"]


def test_labels_with_wide_spaces_and_japanese_failure_wording() -> None:
    raw = """From: postmaster@gw.example.jp
To: desk@example.jp
Subject: =?utf-8?b?6YWN5L+h5LiN6IO9?=
Content-Type: text/plain; charset=utf-8

下記の宛先へのメール配送に失敗しました。

  宛先\u3000\u3000：mika@example.net
  エラー\u3000：受信者の端末で「PCメール拒否」が設定されています。
""".encode()
    report = analyze_bytes(raw)[0]
    assert _addresses(raw) == ["mika@example.net"]
    assert report.recipients[0].diagnosis.reason.value == "filtered"


def test_a_failed_recipient_label_takes_the_reason_below_it() -> None:
    raw = b"""From: System Administrator <postmaster@example.com>
To: orders@example.com
Subject: Undeliverable Mail

Could not deliver message to the following recipient(s):

Failed Recipient: rui@example.net
Reason: Remote host said: 552 5.2.2 Mailbox over quota
"""
    recipient = analyze_bytes(raw)[0].recipients[0]
    assert recipient.finding.address == "rui@example.net"
    assert recipient.diagnosis.reason.value == "mailboxfull"


def test_a_new_address_given_in_spanish_is_no_recipient() -> None:
    raw = """From: "Sistema de correo" <postmaster@correo.example.net>
To: ventas@example.com
Subject: Mensaje no entregado

Su mensaje para jgil@example.net no se ha entregado. El destinatario ya no utiliza esta
dirección; a partir de ahora le escriban a javier.gil@example.org.

551 5.1.6 <jgil@example.net>: user no longer here
""".encode()
    assert _addresses(raw) == ["jgil@example.net"]


def test_someone_else_who_reads_the_mail_meanwhile_is_no_recipient() -> None:
    for offered in ("my colleague Mira reads office@example.net while I am away",
                    "Real people: frontdesk@example.net"):
        paste = (f"550 5.2.1 <tom@example.net> This mailbox is switched off until March. "
                 f"{offered}.\n").encode()
        assert _addresses(paste) == ["tom@example.net"], offered


def test_a_list_member_named_only_by_the_verp_return_path() -> None:
    from bouncefix.analysis import analyze_bytes

    raw = (b"Return-Path: <>\nFrom: Filter <filter@gw.example.net>\n"
           b"To: club-bounces+ines.ortega=example.com@lists.example.org\n"
           b"Subject: Message blocked\n\n"
           b"Your message was not delivered: it was classified as spam.\n")
    [report] = analyze_bytes(raw)
    assert [r.finding.address for r in report.recipients] == ["ines.ortega@example.com"]


def test_a_forward_target_refused_keeps_the_member_the_verp_path_names() -> None:
    # the member's address forwards elsewhere; the target is what failed, the member is
    # the address on the list (the original recipient)
    raw = (b"Return-Path: <>\nFrom: Mail Delivery Subsystem <mailer-daemon@mx.example.net>\n"
           b"To: news-bounces+kim.li=alumni.example.org@lists.example.com\n"
           b"Subject: Delivery Status Notification (Failure)\n"
           b"X-Failed-Recipients: kimli@isp.example.net\n\n"
           b"Your message wasn't delivered to kimli@isp.example.net because the address "
           b"couldn't be found.\n\n550 5.1.1 <kimli@isp.example.net> no such user\n")
    [report] = analyze_bytes(raw)
    [recipient] = report.recipients
    assert recipient.finding.address == "kimli@isp.example.net"
    assert recipient.finding.original_recipient == "kim.li@alumni.example.org"


def test_the_sender_named_in_another_language_is_no_recipient() -> None:
    # a certified-mail style receipt in Italian, and a Spanish relay's notice: the
    # message's sender is named beside the recipient it failed for
    italian = """Ricevuta di mancata consegna
Il messaggio "Preventivo 12" proveniente da "ufficio@example.com"
e indirizzato a "segreteria@example.net" non è stato consegnato.
Errore: 5.1.1 - la casella di destinazione non esiste
""".encode()
    assert _addresses(italian) == ["segreteria@example.net"]
    spanish = b"""Mensaje enviado por <ventas@example.com> para <lucia@example.org>:
no se pudo entregar. 550 5.1.1 usuario desconocido
"""
    assert _addresses(spanish) == ["lucia@example.org"]


def test_a_complaint_event_of_an_unknown_service_is_feedback() -> None:
    for raw in (b'{"event": "spam_complaint", "email": "moe@example.org", "at": "2026-11-02"}',
                b'{"type":"complaint","rcpt":"moe@example.org","feedback_type":"abuse"}'):
        report = analyze_bytes(raw)[0]
        assert report.kind.value == "feedback"
        assert [r.finding.address for r in report.recipients] == ["moe@example.org"]
    # a bounce event is still a bounce
    bounce = analyze_bytes(b'{"event": "bounce", "email": "moe@example.org", '
                           b'"reason": "550 5.1.1 no such user"}')[0]
    assert bounce.kind.value == "bounce"


def test_postfix_subject_above_the_recipient_names_no_sender() -> None:
    # "Returned to Sender" is where the message went, not a label of the address below
    [report] = analyze_bytes(
        b"my phone showed this after I wrote to the garage:\n\n"
        b"Undelivered Mail Returned to Sender\n"
        b"<desk@garage.example.net>: Host or domain name not found. Name service error\n"
        b"    for name=garage.example.net type=A: Host not found\n")
    assert [r.finding.address for r in report.recipients] == ["desk@garage.example.net"]
    assert report.recipients[0].diagnosis.reason.value == "hostunknown"


def test_a_probes_recipient_under_test_is_the_recipient() -> None:
    # a monitoring probe's alert: the MAIL FROM was refused, so no RCPT names the address
    raw = ("From: smtp-synthetics <synthetics@example.net>\nTo: noc@example.net\n"
           "Subject: [CRITICAL] outbound check to mx.example.org: MAIL FROM refused\n"
           "Date: Tue, 3 Jun 2025 08:00:00 +0000\nMessage-ID: <chk-1@example.net>\n"
           "Content-Type: text/plain; charset=utf-8\n\n"
           "Monitor:  outbound SMTP (UTF-8 address)\nTarget:   mx.example.org:25\n\n"
           "Transcript:\n  S: 220 mx.example.org ESMTP\n  C: EHLO bot.example.net\n"
           "  S: 250-mx.example.org\n  S: 250 8BITMIME\n"
           "  C: MAIL FROM:<synthetics@example.net> SMTPUTF8\n"
           "  S: 555 5.5.4 Unsupported option: SMTPUTF8\n  C: QUIT\n  S: 221 2.0.0 Bye\n\n"
           "Recipient under test: zoë@example.org\n").encode()
    assert _addresses(raw) == ["zoë@example.org"]


def test_an_alias_a_recipient_was_reached_through_is_no_sender() -> None:
    # Postfix names the alias even when it is the address itself; Exim names it under
    # the forwarding target, which is the recipient, written to as the alias
    postfix = (b"<rui@example.org> (expanded from <rui@example.org>): Command died with\n"
               b"    status 127: \"/opt/bin/filter\". Command output: filter: not found\n")
    assert _addresses(postfix) == ["rui@example.org"]
    exim = (b"Delivery to the following address has been given up on:\n\n"
            b"  rui.costa@example.net\n    (generated from rc1999@alumni.example.org)\n"
            b"    retry timeout exceeded\n")
    [recipient] = analyze_bytes(exim)[0].recipients
    assert (recipient.finding.address, recipient.finding.original_recipient) == (
        "rui.costa@example.net", "rc1999@alumni.example.org")


def test_the_small_line_opening_pattern_decides_as_the_full_one_without_letters() -> None:
    import random

    from bouncefix.parse import generic

    pieces = [" ", "\t", "\u3000", "-", "*", "\u2022", "1", "22", "4096", "12345", ".", ")",
              "[", "]", "R", "<", '"', "'", "\u300c", "\u3010", "\uff08", ":", "=", ";", "/",
              "550 ", "5.1.1 ", "#", "\u2014"]
    rng = random.Random(7)
    for _ in range(20000):
        opening = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        full = generic._LINE_OPENING.fullmatch(opening) is not None and len(opening) < 60
        assert generic._opens_line(opening) == full, repr(opening)


def test_the_sender_box_of_a_microsoft_report_picture_is_no_recipient() -> None:
    # the report's picture copied as text: sender's box, the service, the recipient's name
    pasted = b"""Your message to orders@example.com couldn't be delivered.

The group orders accepts mail from its own company only.

kim@example.net        Office 365        orders
Action Required                          Recipient

Remote Server returned '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required'
"""
    assert _addresses(pasted) == ["orders@example.com"]


def test_an_address_a_wrapped_postfix_reply_quotes_is_no_recipient() -> None:
    # Postfix wrapped the server's reply right after its code: the next line opens with
    # the envelope sender the reply is about, inside the first recipient's entry
    pasted = (b"<kim@example.net>: host mx2.example.net[192.0.2.8] said: 554\n"
              b"    <shop@example.com>: Refused by sender policy framework: this host\n"
              b"    may not send for the sending domain (in reply to MAIL FROM command)\n\n"
              b"<lee@example.net>: host mx2.example.net[192.0.2.8] said: 550 5.1.1\n"
              b"    <lee@example.net>: Recipient address rejected: no such mailbox (in\n"
              b"    reply to RCPT TO command)\n")
    [report] = analyze_bytes(pasted)
    assert [r.finding.address for r in report.recipients] == ["kim@example.net",
                                                                "lee@example.net"]
    first = report.recipients[0]
    assert "sender policy framework" in (first.finding.diagnostic or "")
    assert first.diagnosis.reason.value == "authfailure"


def test_the_sender_an_api_error_quotes_is_no_recipient() -> None:
    pasted = (b"API error 422: The 'From' address you supplied (desk@example.com) is not a"
              b" confirmed sender signature on your account.")
    [report] = analyze_bytes(pasted)
    assert [r.finding.address for r in report.recipients] == [None]
    assert report.recipients[0].diagnosis.reason.value == "securityerror"


def test_a_microsoft_365_notice_about_a_forward_names_the_forwarding_target() -> None:
    raw = b"""From: postmaster@corp.example.org
To: eve@example.com
Subject: Undeliverable: Minutes

Your message to tom.private@example.net couldn't be delivered.

The recipient's organization doesn't allow its mail to be forwarded outside.

More Info for Email Admins
Status code: 550 5.7.520

Original Message Details
Sender Address:    eve@example.com
Recipient Address: tom@corp.example.org
Subject:           Minutes

Error Details
Reported error:  550 5.7.520 Access denied, external forwarding is turned off for this organization.
"""
    [recipient] = analyze_bytes(raw)[0].recipients
    assert recipient.finding.address == "tom.private@example.net"
    assert recipient.finding.original_recipient == "tom@corp.example.org"
    assert recipient.diagnosis.reason.value == "policyviolation"


@pytest.mark.parametrize("shown", [
    "Von: Mail Delivery System <mailer@relay.example.net>\nAn: gerd@example.net\n"
    "Betreff: Unzustellbar: Angebot\nDatum: 3. März 2026 um 10:12",
    "件名: 配信エラー\n差出人: システム管理者 <mailer@relay.example.net>\n宛先: gerd@example.net\n"
    "日付: 2026年3月3日 10:12",
    "보낸 사람: 메일 시스템 <mailer@relay.example.net>\n받는 사람: gerd@example.net\n제목: 반송",
], ids=["german", "japanese", "korean"])
def test_the_header_lines_a_mail_program_shows_name_no_recipient(shown: str) -> None:
    # the notice as copied from a mail program, its header lines in the reader's language
    pasted = (f"{shown}\n\nYour message could not be delivered.\n\n"
              "  Recipient: ute@example.org\n"
              "  Server reply: 550 5.1.1 <ute@example.org>: mailbox does not exist\n")
    assert _addresses(pasted.encode()) == ["ute@example.org"]
