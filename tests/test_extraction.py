"""Extraction: the parsers report exactly the failed recipients and the server's own reply
for each. Every bounce here is written for this file.

Each test names the general problem it guards (the numbers follow the extraction brief):
the whole per-recipient block, no reply code from other numbers, the innermost remote
reply, 5.0.0 as "no detail", mbox separators, "> " quoting, addresses in CJK text, only
failed recipients, a diagnosis with no per-recipient block, bounce structure over
auto-reply headers, pasted feedback reports and out-of-office notices.
"""

from __future__ import annotations

from typing import Any

import pytest

from bouncefix import api, ingest
from bouncefix.analysis import analyze_bytes
from bouncefix.mail import Mail, unquote
from bouncefix.parse import codes, generic, text
from bouncefix.render.data import report_dict
from bouncefix.rules.safety import problems

HEAD = """From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
To: sender@example.com
Subject: Mail delivery failed
Date: Tue, 3 Mar 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

"""


def report(data: str | bytes) -> dict[str, Any]:
    """The one report of `data`, as JSON data."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    reports = analyze_bytes(raw)
    assert len(reports) == 1
    return report_dict(reports[0])


def recipients(data: str | bytes) -> list[dict[str, Any]]:
    return report(data)["recipients"]


def addresses(data: str | bytes) -> list[str]:
    return [r["address"] for r in recipients(data)]


# -- 1. the whole per-recipient block -----------------------------------------------------


def test_the_server_reply_in_a_paragraph_of_its_own_joins_the_entry() -> None:
    # the report's own words name the cause, the server's reply stands further down
    (found,) = recipients(HEAD + """系统退信

您发送的邮件被退回

收件人：li.wei@example.org

邮件主题：季度图纸

退信原因：邮件大小超过对方服务器允许的上限。

服务器返回：552 5.3.4 Message size exceeds fixed limit

本邮件由系统自动发出，请勿回复。
""")
    assert (found["address"], found["reply_code"], found["status"]) == (
        "li.wei@example.org", "552", "5.3.4")
    assert found["reason"] == "mesgtoobig"


def test_cause_line_below_a_bare_address_line() -> None:
    found = recipients(HEAD + """A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error.

  jane@example.org
    mailbox is full
""")
    assert [r["address"] for r in found] == ["jane@example.org"]
    assert found[0]["diagnostic"] == "mailbox is full"
    assert found[0]["reason"] == "mailboxfull"


def test_explanatory_sentence_before_the_coded_line_is_kept() -> None:
    (found,) = recipients(HEAD + """Delivery to the following recipient failed permanently:

  bob@example.org

The recipient's server refused the message because of what it contains.
550 5.7.1 Message rejected due to content restrictions
""")
    assert found["address"] == "bob@example.org"
    assert (found["reply_code"], found["status"]) == ("550", "5.7.1")
    assert "refused the message because" in found["diagnostic"]
    assert "550 5.7.1 Message rejected due to content restrictions" in found["diagnostic"]


def test_each_recipient_gets_its_own_block() -> None:
    found = recipients(HEAD + """The following addresses failed:

  jane@example.org
    The mailbox has been disabled for inactivity.
    550 5.2.1 Mailbox disabled
  bob@example.org
    552 5.2.2 Quota exceeded
""")
    assert [(r["address"], r["reply_code"], r["status"]) for r in found] == [
        ("jane@example.org", "550", "5.2.1"), ("bob@example.org", "552", "5.2.2")]
    assert "disabled for inactivity" in found[0]["diagnostic"]
    assert "Quota" not in found[0]["diagnostic"]
    assert "inactivity" not in found[1]["diagnostic"]


def test_code_wrapped_onto_the_next_line() -> None:
    (found,) = recipients(HEAD + """<jane@example.org>: host mx.example.org[192.0.2.7] said:
    550 5.1.1 No such user here
""")
    assert (found["reply_code"], found["status"]) == ("550", "5.1.1")
    assert found["diagnostic"] == "550 5.1.1 No such user here"
    assert found["remote_mta"] == "mx.example.org"


def test_continuation_prefix_kept_when_the_code_was_not_seen_before() -> None:
    # an IP address (192.0.2.41) is no status code, and the reply on the second line
    # is no continuation of anything
    words = text.server_words("<ann@example.org>: host mx.example.org[192.0.2.41] said:\n"
                              "    550 5.7.133 Sender not authenticated for group")
    assert codes.find_reply_code(words) == "550"
    assert codes.find_status(words) == "5.7.133"
    assert codes.unwrap_reply("host said: 550-5.1.1 The account\n550-5.1.1 does not exist") == (
        "host said: 550-5.1.1 The account does not exist")


@pytest.mark.parametrize("tail", ["", " Additional SMTP info: 4.7.0"])
def test_a_labelled_code_line_takes_the_words_above_it(tail: str) -> None:
    # PHPMailer puts the server's words under "Detail:" and the codes on a line below
    words = text.server_words("SMTP Error: data not accepted.\n"
                              "SMTP server error: DATA END command failed Detail: Slow down,"
                              " this account sent too much today\n"
                              f"SMTP code: 451{tail}")
    assert "Slow down, this account sent too much today" in words
    assert codes.find_reply_code(words) == "451"


# -- 2. no reply code from other numbers --------------------------------------------------


@pytest.mark.parametrize("words", [
    "local delivery failed: pipe to |/usr/local/bin/filter exit 255",
    "the command returned status 554 and gave up",
    "Delivery failed after 450 attempts",
    "child process exited with exit code 255",
    "message of 250 bytes refused by the local filter (errno 255)",
    "the API answered\nHTTP/1.1 422 Unprocessable Entity\n{\"error\": \"inactive\"}",
    "yesterday about 400 runs of the workflow went through",
    "we mailed roughly 550 donors and 421 members this month",
    "the far end kept giving a temporary (400-level) answer until we gave up",
    "Reason:\n500-series replies mean the server refused the command",
])
def test_exit_statuses_and_counts_are_no_reply_codes(words: str) -> None:
    assert codes.find_reply_code(words) is None


@pytest.mark.parametrize(("words", "code"), [
    ("552 Message size exceeds maximum value", "552"),
    ("554 Mail from sender@example.com rejected for policy reasons", "554"),
    ("host said: 550 5.1.1 user unknown", "550"),
    ("Remote server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'", "550"),
    ("配信できませんでした（550 5.1.1 user unknown）", "550"),
])
def test_replies_are_still_read(words: str, code: str) -> None:
    assert codes.find_reply_code(words) == code


def test_exit_status_gives_no_reply_code_in_a_bounce() -> None:
    (found,) = recipients(HEAD + """The following address failed:

  jane@example.org
    local delivery failed: pipe to |/usr/local/bin/filter exit 255
""")
    assert found["address"] == "jane@example.org"
    assert found["reply_code"] is None


# -- 3. and 4. the innermost remote reply; 5.0.0 is no detail -------------------------


def test_relay_error_around_a_quoted_reply() -> None:
    (found,) = recipients(HEAD + """Your message did not reach some or all of the intended recipients.

  jane@example.org
    Unknown address error 5.1.0 ('550 5.7.1 <jane@example.org>: Relay access denied')
""")
    assert (found["reply_code"], found["status"]) == ("550", "5.7.1")
    assert found["diagnostic"] == "550 5.7.1 <jane@example.org>: Relay access denied"


def test_service_unavailable_wrapper_around_the_remote_reply() -> None:
    (found,) = recipients(HEAD + """Delivery to the following recipient failed:

  jane@example.org
    554 5.0.0 Service unavailable; the remote server answered: 550 5.7.1 Refused by policy
""")
    assert (found["reply_code"], found["status"]) == ("550", "5.7.1")
    assert found["diagnostic"].startswith("550 5.7.1 Refused by policy")


def test_innermost_reply_leaves_single_replies_alone() -> None:
    for words in ("550 5.1.1 <jane@example.org>... User unknown",
                  "554 5.7.1 Service unavailable; Client host [198.51.100.9] blocked",
                  "550 5.1.1 user unknown (in reply to RCPT TO command) 550 5.1.1 again"):
        assert text.innermost_reply(words) == words


SENDMAIL = """From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>
To: sender@example.com
Subject: Returned mail: see transcript for details
Date: Tue, 3 Mar 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: text/plain

The original message was received at Tue, 3 Mar 2026 10:14:00 +0100
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<jane@example.org>
    (reason: 554 5.0.0 Service unavailable)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 550 5.7.1 Message rejected: spam content detected
554 5.0.0 Service unavailable
"""


def test_sendmail_summary_line_is_not_the_server_reply() -> None:
    (found,) = recipients(SENDMAIL)
    assert (found["reply_code"], found["status"]) == ("550", "5.7.1")
    assert found["diagnostic"] == "550 5.7.1 Message rejected: spam content detected"
    assert found["remote_mta"] == "mx.example.org"


def test_vague_status_gives_way_to_the_reply_detail() -> None:
    assert codes.find_status("554 5.0.0 Service unavailable (550 5.2.2 mailbox full)") == "5.2.2"
    assert codes.find_status("550 5.1.1 unknown; 554 5.0.0 Service unavailable") == "5.1.1"
    assert codes.find_status("451 4.0.0 try later; 550 5.7.1 refused") == "4.0.0"


DSN_VAGUE = """From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Tue, 3 Mar 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

This is the mail system at host mail.example.net.

<jane@example.org>: host mx.example.org[192.0.2.7] said: 552 5.2.2 Mailbox over quota
    (in reply to RCPT TO command)

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; jane@example.org
Action: failed
Status: 5.0.0

--b--
"""


def test_dsn_status_5_0_0_does_not_override_the_reply() -> None:
    (found,) = recipients(DSN_VAGUE)
    assert (found["reply_code"], found["status"]) == ("552", "5.2.2")


# -- 5. mbox separators -------------------------------------------------------------------

MBOX = b"""From MAILER-DAEMON Tue Mar  3 10:15:00 2026
From: MAILER-DAEMON@mail.example.net
To: sender@example.com
Subject: Undelivered Mail Returned to Sender

<jane@example.org>: host mx.example.org[192.0.2.7] said: 550 5.1.1 User unknown
From MAILER-DAEMON Tue Mar  3 10:16:00 2026
From: MAILER-DAEMON@mail.example.net
To: sender@example.com
Subject: Undelivered Mail Returned to Sender

<bob@example.org>: host mx.example.org[192.0.2.7] said: 552 5.2.2 Mailbox full
From the desk of the postmaster: 10:30 meeting
From Monday 09:00 the relay moves.
"""


def test_mbox_splits_at_separator_without_blank_line_before() -> None:
    messages = ingest.split_messages(MBOX)
    assert len(messages) == 2
    assert b"From the desk" in messages[1] and b"From Monday" in messages[1]
    reports = [report_dict(r) for r in analyze_bytes(MBOX)]
    assert [[r["address"] for r in rep["recipients"]] for rep in reports] == [
        ["jane@example.org"], ["bob@example.org"]]
    assert reports[0]["recipients"][0]["diagnostic"] == "550 5.1.1 User unknown"


def test_streamed_mbox_splits_the_same_way() -> None:
    import io

    assert list(ingest.iter_mbox_file(io.BytesIO(MBOX))) == ingest.split_messages(MBOX)


# -- 6. "> " quoting ----------------------------------------------------------------------


def test_unquote_keeps_sendmail_command_marks() -> None:
    assert unquote("> > <jane@example.org>:\n>>> DATA\n> <<< 550 no\n>> x") == (
        "<jane@example.org>:\n>>> DATA\n<<< 550 no\nx")


def test_quoted_pasted_bounce_is_read_with_its_headers() -> None:
    found = report("""> From: Mail Delivery System <MAILER-DAEMON@mail.example.net>
> To: sender@example.com
> Subject: Undelivered Mail Returned to Sender
> Message-ID: <20260303101500.ABC123@mail.example.net>
>
> > <jane@example.org>: host mx.example.org[192.0.2.7] said: 550 5.1.1
> >     <jane@example.org>: Recipient address rejected: User unknown (in reply to
> >     RCPT TO command)
""")
    assert found["subject"] == "Undelivered Mail Returned to Sender"
    assert [(r["address"], r["reply_code"], r["status"]) for r in found["recipients"]] == [
        ("jane@example.org", "550", "5.1.1")]
    assert not found["recipients"][0]["diagnostic"].startswith(">")


def test_forwarded_quoted_report_names_no_message_id() -> None:
    found = recipients("""From: Ann <ann@example.com>
To: helpdesk@example.com
Subject: Fwd: Returned mail
Date: Tue, 3 Mar 2026 11:00:00 +0100
Content-Type: text/plain

Can you check this?

> From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>
> Subject: Returned mail
> Message-Id: <202603031015.ab12cd34@mail.example.net>
>
> Delivery to the following recipient failed permanently:
>
>      jane@example.org
>
>     550 5.1.1 The email account that you tried to reach does not exist.
""")
    assert [r["address"] for r in found] == ["jane@example.org"]
    assert found[0]["reply_code"] == "550"


# -- 7. addresses in CJK text ------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "jane@example.org宛のメールは配信できませんでした。",
    "宛先：jane@example.org、配信に失敗しました。",
    "「jane@example.org」へのメールは配信できませんでした（550 5.1.1）",
    "【jane@example.org】",
    "宛先jane@example.org",
    "收件人 jane@example.org的邮件无法投递",
    "jane@example.org：ユーザーが見つかりません",
])
def test_addresses_stop_at_cjk_text_and_punctuation(line: str) -> None:
    assert codes.find_addresses(line) == ["jane@example.org"]


def test_international_addresses_stay_whole() -> None:
    assert codes.find_addresses("to josé@bücher.example and 用户@例子.中国 failed") == [
        "josé@bücher.example", "用户@例子.中国"]


def test_cjk_bounce_names_the_bare_address() -> None:
    (found,) = recipients(HEAD + """jane@example.org宛のメールは配信できませんでした。
550 5.1.1 User unknown
""")
    assert (found["address"], found["reply_code"], found["status"]) == (
        "jane@example.org", "550", "5.1.1")


def test_a_cjk_sentence_around_an_address_is_no_address_line() -> None:
    # (written with no spaces, the sentence once looked like one long address and was
    # skipped as a list of recipients: the cause in it was lost)
    paste = ("メールを送信できません\n\n"
             "このアカウント（ken@example.com）からの送信は、1時間あたりの上限を超えたため"
             "拒否されました。\n\n[OK]\n")
    words = text.explanation(text.paragraphs(paste))
    assert "上限を超えた" in words


# -- 8. only failed recipients --------------------------------------------------------


def test_envelope_sender_in_the_reply_is_no_recipient() -> None:
    found = recipients(HEAD + """Delivery to the following recipient failed permanently:

  jane@example.org

Remote server said: 553 5.1.8 MAIL FROM:<me@example.com> Sender address rejected:
<me@example.com> Domain not found
""")
    assert [r["address"] for r in found] == ["jane@example.org"]
    assert found[0]["reply_code"] == "553"


def test_postfix_style_sender_rejection_names_no_sender() -> None:
    assert addresses(HEAD + """I could not deliver your message to kim@example.org:

553 5.1.8 <me@example.com>: Sender address rejected: Domain not found
""") == ["kim@example.org"]


def test_list_footers_role_addresses_and_urls_are_no_recipients() -> None:
    assert addresses(HEAD + """Your mail could not be delivered to jane@example.org (550 5.1.1).

--
To unsubscribe, e-mail: announce-unsubscribe@lists.example.com
For help: announce-request@lists.example.com, or the owner at owner-announce@lists.example.com
Bounces go to announce-bounces@lists.example.com; listserv@lists.example.com has commands.
Archives: https://archive@www.example.com/announce
Questions: contact postmaster@relay.example.net or abuse@relay.example.net.
""") == ["jane@example.org"]


def test_addresses_of_the_returned_message_are_no_recipients() -> None:
    assert addresses(HEAD + """This is a permanent error. The following address failed:

  jane@example.org
    550 5.1.1 user unknown

Received: from client.example.com (client.example.com [198.51.100.3])
From: sender@example.com
To: jane@example.org, carol@example.net
Cc: dave@example.net
Subject: Meeting notes
Message-ID: <notes-17@client.example.com>

Hi Jane, please pass this on to erin@example.net as well.
""") == ["jane@example.org"]


def test_x_failed_recipients_come_first() -> None:
    assert addresses("""From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
To: sender@example.com
Subject: Mail delivery failed
X-Failed-Recipients: bob@example.org
Content-Type: text/plain

A message that you sent could not be delivered. bob@example.org: mailbox unavailable
""") == ["bob@example.org"]


def test_pasted_reply_names_only_the_recipient() -> None:
    assert addresses(
        "550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown; "
        "from=<me@example.com> to=<jane@example.org>\n") == ["jane@example.org"]


@pytest.mark.parametrize("address", [
    "announce-request@lists.example.com", "owner-announce@lists.example.com",
    "announce-bounces@lists.example.com", "listserv@lists.example.com",
    "majordomo@lists.example.com", "unsubscribe-x1@lists.example.com",
    "postmaster@example.net", "abuse@example.net",
])
def test_list_and_role_addresses(address: str) -> None:
    assert text.is_list_or_role_address(address)


def test_people_are_not_list_or_role_addresses() -> None:
    assert not any(text.is_list_or_role_address(a) for a in (
        "jane@example.org", "requests@example.org", "bob.owner@example.org"))


# -- 9. a diagnosis without a per-recipient block or Diagnostic-Code ---------------------


def test_dsn_without_diagnostic_code_takes_the_explanation() -> None:
    (found,) = recipients("""From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: sender@example.com
Subject: Delivery Status Notification (Failure)
Date: Tue, 3 Mar 2026 10:15:00 +0100
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

This is an automatically generated Delivery Status Notification.

Your message could not be delivered because the recipient's mailbox is full.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; jane@example.org
Action: failed
Status: 5.0.0

--b--
""")
    assert found["address"] == "jane@example.org"
    assert found["diagnostic"] == ("Your message could not be delivered because the "
                                   "recipient's mailbox is full.")
    assert found["reason"] == "mailboxfull"


def test_report_without_recipient_block_takes_the_explanation() -> None:
    (found,) = recipients("""From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: sender@example.com
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message was rejected because the recipient's mailbox is over its quota.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

--b
Content-Type: text/rfc822-headers

From: sender@example.com
To: jane@example.org
Subject: hello

--b--
""")
    assert found["address"] == "jane@example.org"
    assert "over its quota" in found["diagnostic"]
    assert found["reason"] == "mailboxfull"


# -- 10. bounce structure over auto-reply headers ----------------------------------------


@pytest.mark.parametrize("auto", ["auto-replied", "auto-generated"])
def test_bounce_with_auto_submitted_header_is_a_bounce(auto: str) -> None:
    found = report(f"""From: Office <office@example.org>
To: sender@example.com
Subject: Automatic reply: your message
Auto-Submitted: {auto}
Date: Tue, 3 Mar 2026 10:15:00 +0100
Content-Type: text/plain

Delivery has failed to these recipients or groups:

jane@example.org
The email address you entered couldn't be found. 550 5.1.1 RESOLVER.ADR.RecipNotFound
""")
    assert found["kind"] == "bounce"
    assert [(r["address"], r["status"]) for r in found["recipients"]] == [
        ("jane@example.org", "5.1.1")]


def test_real_auto_reply_stays_an_auto_reply() -> None:
    found = report("""From: Jane <jane@example.org>
To: sender@example.com
Subject: Automatic reply: your message
Auto-Submitted: auto-replied
Content-Type: text/plain

I am out of the office until Monday 9 March with limited access to email.
For urgent matters please contact bob@example.org.
""")
    assert found["kind"] == "auto-reply"
    assert [r["address"] for r in found["recipients"]] == ["jane@example.org"]


def test_away_notice_mentioning_an_old_address_is_an_auto_reply() -> None:
    # it says it is away first; "could not be delivered" is about an address it left
    found = report("""From: Omar Haddad <omar.haddad@example.org>
To: sender@example.com
Subject: Auto: Spring catalogue
Auto-Submitted: auto-replied

I'm on annual leave until 2 April.

My old mailbox omar@branch.example.org has been closed; mail to it could not be
delivered any more, so please write to this address from now on.
""")
    assert found["kind"] == "auto-reply"
    assert [r["address"] for r in found["recipients"]] == ["omar.haddad@example.org"]


def test_away_notice_quoting_a_reply_code_as_a_warning_is_an_auto_reply() -> None:
    # away first, then a warning that quotes what an old address now answers
    found = report("""From: Lena Voss <lena.voss@example.org>
To: sender@example.com
Subject: Auto-Reply: Re: Quote 118

Thank you - I am attending a conference until Thursday and will answer after that.

Please note: mail to our former domain old.example.net is refused with
"550 5.1.1 mailbox unknown", so use lena.voss@example.org only.
""")
    assert found["kind"] == "auto-reply"
    assert [r["address"] for r in found["recipients"]] == ["lena.voss@example.org"]


def test_a_sieve_vacation_reply_to_a_forwarded_bounce_is_an_auto_reply() -> None:
    # Sieve's "Auto: " before the subject it answers, which names a delivery report
    found = report("""From: Lea Voss <lea.voss@example.org>
To: it@example.org
Subject: Auto: Fwd: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied (vacation)

I am on leave until 3 June; your mail about a bounce has not been passed on to anyone.
""")
    assert found["kind"] == "auto-reply"
    assert [r["address"] for r in found["recipients"]] == ["lea.voss@example.org"]


def test_help_desk_confirmation_of_a_reply_is_an_auto_reply() -> None:
    # "Re: Delivery failed ..." repeats the reader's own subject, it is no report title
    found = report("""From: Help Desk <help@desk.example.net>
To: shop@example.com
Subject: [Case opened] Re: Delivery failed for order 5521
Auto-Submitted: auto-generated

We received your message and opened ticket no. 90412 for it.
An agent will answer within two working days.
""")
    assert found["kind"] == "auto-reply"
    assert [r["address"] for r in found["recipients"]] == ["help@desk.example.net"]


# -- 11. pasted feedback reports and out-of-office notices -------------------------------


def test_pasted_abuse_report_is_feedback() -> None:
    found = report("""Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <news@example.com>
Original-Rcpt-To: <jane@example.org>
Arrival-Date: Tue, 3 Mar 2026 10:15:00 +0100
Reported-Domain: example.com
""")
    assert found["kind"] == "feedback"
    (recipient,) = found["recipients"]
    assert recipient["address"] == "jane@example.org"
    assert recipient["reason"] == "feedback"
    assert recipient["feedback_type"] == "abuse"


@pytest.mark.parametrize(("pasted", "kind"), [
    ("Complaint received from ann@example.org via feedback loop", "feedback"),
    # the same words beside a refusal explain the bounce, which is what was pasted
    ("421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to user complaints"
     "\nOur FBL reports went up sharply last week.", "delay"),
])
def test_complaint_words_beside_a_refusal_are_no_feedback_report(pasted: str,
                                                                 kind: str) -> None:
    assert report(pasted)["kind"] == kind


def test_a_platform_complaint_event_is_feedback() -> None:
    found = report("Marked Email as Spam\nCampaign: Spring sale\nProfile: ola@example.org\n"
                   "The profile will get no more email (reason: Spam complaint).\n")
    assert (found["kind"], [r["address"] for r in found["recipients"]]) == (
        "feedback", ["ola@example.org"])


def test_a_line_that_only_labels_the_codes_gives_way_to_the_reply_with_them() -> None:
    # a forwarded notice whose first coded line is a summary ("Status code: ...") and
    # whose server reply comes further down with the same code
    found = report("Fwd: message not delivered\n\nFor admins\nStatus code: 550 5.7.350\n\n"
                   "Our server passed the message on; the next one refused it.\n\n"
                   "Details\nReported error: 550 5.7.350 Remote server returned "
                   "mailbox unavailable -> 550 5.2.2 Mailbox full, over quota\n")
    assert [r["reason"] for r in found["recipients"]] == ["mailboxfull"]


def test_a_complaint_with_an_adverb_before_its_verb_is_feedback() -> None:
    found = report("Complaint\nThe reader deliberately flagged this newsletter as junk.\n"
                   "Address: ola@example.org\n")
    assert (found["kind"], [r["address"] for r in found["recipients"]]) == (
        "feedback", ["ola@example.org"])


def test_console_labels_that_share_a_header_name_are_no_header_block() -> None:
    # "Date:" among labels a console invented is no message header: the lines are read
    found = report("Event: Soft bounce\nEmail: ola@example.org\nDate: 21-02-2024 09:47\n"
                   "Reason: 451 4.3.0 <ola@example.org>: Temporary lookup failure\n")
    assert found["kind"] == "delay"
    assert [(r["address"], r["reason"]) for r in found["recipients"]] == [
        ("ola@example.org", "systemerror")]


def test_a_trace_table_names_only_its_failed_row() -> None:
    pasted = ("Received              RecipientAddress        Status\n"
              "6/3/2025 9:01:10 AM   ann@example.org         Delivered\n"
              "6/3/2025 9:01:10 AM   ola@example.org         Failed\n\n"
              "Detail : 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found\n")
    assert [(r["address"], r["reason"]) for r in recipients(pasted)] == [
        ("ola@example.org", "userunknown")]


def test_a_report_whose_only_reply_is_a_success_is_a_delivery() -> None:
    found = report("Subject: Return receipt\n"
                   "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>\n\n"
                   "This is a delivery report for your message to ola@example.org.\n"
                   "The receiving server said: 250 2.0.0 Ok: queued as 4XyZ1q2W3e\n")
    assert found["kind"] == "delivered"
    assert [(r["address"], r["action"]) for r in found["recipients"]] == [
        ("ola@example.org", "delivered")]


def test_abuse_desk_complaint_by_mail_is_feedback_from_the_customer_it_names() -> None:
    found = report("""From: Network Abuse <abuse@carrier.example.net>
To: abuse@example.com
Subject: Unsolicited mail report, ticket 7781

Hello, our subscriber lars@example.org filed a complaint about bulk mail from
203.0.113.9 in your range; we got a complaint from our customer lars@example.org
on 3 March. Please stop mailing this person.
""")
    assert found["kind"] == "feedback"
    assert [r["address"] for r in found["recipients"]] == ["lars@example.org"]


def test_person_forwarding_spam_to_the_abuse_address_is_feedback() -> None:
    found = report("""From: Lars Berg <lars@example.org>
To: abuse@example.com
Subject: Fwd: Last chance: 70 % off

Stop sending me this, I never signed up.

-------- Forwarded Message --------
From: Shop <offers@example.com>
To: lars@example.org
Subject: Last chance: 70 % off
""")
    assert found["kind"] == "feedback"
    assert [r["address"] for r in found["recipients"]] == ["lars@example.org"]


def test_an_ordinary_mail_to_the_abuse_address_is_no_complaint() -> None:
    found = report("""From: Lars Berg <lars@example.org>
To: abuse@example.com
Subject: Question about your privacy policy

Hello, who do I ask about deleting my account data?
""")
    assert found["kind"] == "not-bounce"


@pytest.mark.parametrize("notice", [
    "I am out of the office until 9 March with no access to email. For urgent\n"
    "matters please contact my colleague Bob at bob@example.org.\n",
    "Automatic reply: Quarterly figures\n\nThank you for your email. I'm currently away "
    "and will respond when I return on Monday.\n",
    "Vielen Dank für Ihre Nachricht. Ich bin bis zum 9. März nicht im Büro.\n",
    "Ich bin bis 12.03. im Urlaub. In dringenden Fällen: anna@example.de.\n",
    "Bonjour, je suis absent du bureau jusqu'au 9 mars. Contact : paul@example.fr.\n",
    "Gracias por su mensaje. Estoy fuera de la oficina hasta el 9 de marzo.\n",
])
def test_pasted_out_of_office_is_an_auto_reply(notice: str) -> None:
    found = report(notice)
    assert found["kind"] == "auto-reply"
    assert all(r["address"] is None for r in found["recipients"])


def test_pasted_bounce_mentioning_absence_stays_a_bounce() -> None:
    found = report("Your message to jane@example.org couldn't be delivered. She is out of "
                   "the office and her mailbox is full: 552 5.2.2 Mailbox full\n")
    assert found["kind"] == "bounce"
    assert [r["address"] for r in found["recipients"]] == ["jane@example.org"]


# -- the contract: linear-time patterns, cheap checks ------------------------------------


@pytest.mark.parametrize("pattern", [
    codes.ADDRESS, codes.REPLY_AT_START, text._CODE_LINE, text._WRAPPER, text._INNER_LEAD,
    text._QUOTED_HEADER, generic._SENDER_BEFORE, generic._SENDER_AFTER, generic._LINE_OPENING,
    text._REMOTE_HOST, text._HOST_LINE, ingest.mbox._STRICT_FROM_LINE,
], ids=repr)
def test_new_patterns_have_no_backtracking_construct(pattern: Any) -> None:
    source = pattern.pattern
    assert problems(source if isinstance(source, str) else source.decode("latin-1")) == []


def test_generic_reader_is_linear_on_long_lists() -> None:
    import time

    lines = "".join(f"  user{n}@example.org\n    550 5.1.1 user unknown\n" for n in range(400))
    start = time.perf_counter()
    found = recipients(HEAD + "The following addresses failed:\n\n" + lines)
    assert len(found) == 400
    assert time.perf_counter() - start < 5


def test_mail_without_quoting_is_unchanged() -> None:
    data = b"550 5.1.1 <jane@example.org>: user unknown\n"
    assert Mail(data).text == data.decode()


# -- a person's message about a bounce is no bounce -------------------------------------

PERSON = """From: Rosa Ortega <rosa@example.org>
To: helpdesk@example.com
Subject: {subject}
Date: Tue, 3 Mar 2026 10:15:00 +0100
{extra}
{body}
"""


@pytest.mark.parametrize(("subject", "extra", "body"), [
    ("Re: our mail to the supplier keeps coming back", "",
     "The server answers \"550 5.1.1 user unknown\" every time; the mailbox was\n"
     "created last week, so delivery should work. Any idea?"),
    ("Five ways to lower your bounce rate", "List-Unsubscribe: <mailto:off@example.org>",
     "A full mailbox is a soft bounce; an unknown user is a hard one. Remove those\n"
     "addresses after the first failure, and watch your spam complaint rate."),
    ("Quick question", "",
     "Our newsletter to ann@example.net was rejected, the log shows deferred delivery.\n"
     "Can you check your side?"),
])
def test_person_writing_about_a_bounce_is_not_one(subject: str, extra: str,
                                                   body: str) -> None:
    message = PERSON.format(subject=subject, extra=extra, body=body)
    assert generic.from_a_person(Mail(message.encode()))
    found = report(message)
    assert found["kind"] == "not-bounce", found


def test_an_announcement_about_bounces_that_mentions_codes_is_no_report() -> None:
    # the subject reads like a report's, but a team wrote it, it names no recipient,
    # and its codes are mentioned, not replied
    message = PERSON.format(
        subject="[Fixed] Bounced messages after the weekend upgrade", extra="",
        body="Some of you got undeliverable notices when writing to the Accounts mailbox,\n"
             "saying it was over quota or unknown (codes like 5.2.2 or 5.1.1). The limit is\n"
             "raised now; please send those messages again.")
    found = report(message)
    assert found["kind"] == "not-bounce", found


def test_server_reply_quoted_by_a_person_still_names_its_recipient() -> None:
    message = PERSON.format(
        subject="Fwd: what the server said", extra="",
        body="See below, from our outbound log:\n\n"
             "<ann@example.net>: host mx.example.net[192.0.2.7] said: 552 5.2.2 Mailbox\n"
             "    over quota (in reply to RCPT TO command)\n")
    found = report(message)
    assert found["kind"] == "bounce"
    assert [r["address"] for r in found["recipients"]] == ["ann@example.net"]
    assert found["recipients"][0]["reason"] == "mailboxfull"


@pytest.mark.parametrize(("header", "value"), [
    ("From", "Mail Delivery Subsystem <mailer-daemon@example.org>"),
    ("From", "post_master@example.org"),
    ("Return-Path", "<>"),
    ("Auto-Submitted", "auto-generated"),
    ("Subject", "Message could not be delivered"),
    ("X-Failed-Recipients", "ann@example.net"),
])
def test_machine_headers_mean_a_report(header: str, value: str) -> None:
    headers = {"From": "Rosa Ortega <rosa@example.org>", "Subject": "hello"}
    headers[header] = value
    raw = "".join(f"{k}: {v}\n" for k, v in headers.items()) + "\nbody\n"
    assert not generic.from_a_person(Mail(raw.encode()))


# -- report shapes met in the held-out whole bounces (other wording here) -------------

def test_non_english_exchange_report_outranks_auto_submitted() -> None:
    found = report(
        "From: Microsoft Outlook <MicrosoftExchange0a1b2c3d@example.com>\n"
        "To: einkauf@example.com\nSubject: Non remis : Commande 88\n"
        "Auto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\n"
        "La remise aux destinataires suivants a échoué :\n\nmarc@example.org\n\n"
        "Le serveur distant a retourné '550 5.1.1 <marc@example.org>: boîte inexistante'\n")
    assert found["kind"] == "bounce"
    assert [r["address"] for r in found["recipients"]] == ["marc@example.org"]
    assert found["recipients"][0]["reason"] == "userunknown"


def test_family_report_that_keeps_trying_is_a_delay() -> None:
    found = report(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>\n"
        "To: shop@example.com\nSubject: Warning: could not send message for past 1 hour\n\n"
        "   ----- Transcript of session follows -----\n"
        "<pia@example.org>... Deferred: Connection refused by mx.example.org.\n"
        "Warning: message still undelivered after 1 hour\n"
        "Will keep trying until message is 3 days old\n")
    assert found["kind"] == "delay"
    assert found["recipients"][0]["hard_bounce"] is False


def test_cause_paragraph_below_a_bare_address_is_its_words() -> None:
    found = report(
        HEAD + "Your message could not be delivered to the following recipient:\n"
        "    tom@example.org\n\n"
        "Details:\n    This mailbox was suspended by its owner's organisation.\n\n"
        "Original subject: Invoice\n")
    assert [r["address"] for r in found["recipients"]] == ["tom@example.org"]
    assert found["recipients"][0]["reason"] == "suspend"


def _exchange_delay(attempts: str) -> dict[str, Any]:
    """An Exchange delay notice for ann@example.org whose history ends with `attempts`."""
    return report(
        "From: Microsoft Outlook <MicrosoftExchange@example.com>\nTo: hr@example.com\n"
        "Subject: Delivery delayed: Payroll\nContent-Type: text/plain\n\n"
        "Delivery is delayed to these recipients or groups:\n\nann@example.org\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: EX9.example.com\n\n"
        "ann@example.org\n"
        "Remote Server at mx.example.org (192.0.2.44) returned '400 4.4.7 Message delayed'\n"
        + attempts)


def test_exchange_attempt_history_beats_its_summary_line() -> None:
    found = _exchange_delay(
        "12/1/2026 9:00:00 AM - Remote Server at mx.example.org (192.0.2.44) returned\n"
        "'452 4.2.2 The mailbox of this user is over its storage limit'\n")
    assert found["kind"] == "delay"
    assert found["recipients"][0]["reason"] == "mailboxfull"


def test_exchange_attempt_broken_before_returned_is_read_whole() -> None:
    # the attempt's line broken before "returned", its quoted reply over two more lines
    found = _exchange_delay(
        "12/1/2026 9:00:00 AM - Remote Server at mx.example.org (192.0.2.44)\n"
        "returned '452 4.2.2 <ann@example.org>: the mailbox of this\n"
        "user is over its storage limit'\n")
    assert found["kind"] == "delay"
    assert found["recipients"][0]["reason"] == "mailboxfull"
    assert "storage limit" in found["recipients"][0]["diagnostic"]


def test_a_sending_service_not_trying_a_suppressed_address_is_a_bounce() -> None:
    found = report(
        "From: Sending Service <alerts@esp.example.net>\nTo: team@example.com\n"
        "Subject: 2 recipients skipped\nAuto-Submitted: auto-generated\n\n"
        "Your campaign was not sent to:\n\n  old@example.org\n\n"
        "The address is on the suppression list of your account after an earlier "
        "hard bounce.\n")
    assert [r["address"] for r in found["recipients"]] == ["old@example.org"]
    assert found["recipients"][0]["reason"] == "suppressed"
    assert found["recipients"][0]["hard_bounce"] is False


@pytest.mark.parametrize("notice", [
    "Delivery has been delayed", "delivery is delayed", "we will retry", "We'll try again",
    "I'll keep retrying", "continue to try", "keep trying", "THIS IS A WARNING MESSAGE ONLY",
    "You do not need to resend", "Delivery incomplete", "not yet been delivered",
    "still in the queue", "Still pending", "will be retried", "continue retrying",
    "delivery will be tried again", "The mail stays in the queue", "remains in queue",
])
def test_still_trying_pre_check_never_hides_a_notice(notice: str) -> None:
    assert text.STILL_TRYING.search(notice)
    assert text._may_still_try(notice)


# -- list-era report shapes (held-out set bounces/fresh2; other wording here) ----------

def test_recipient_named_only_in_the_subject() -> None:
    found = report(
        "From: Postmaster <postmaster@example.net>\nTo: shop@example.com\n"
        "Subject: Returned mail: kim@example.net - account disabled\n\n"
        "Your message could not be delivered: the account was suspended by its owner.\n")
    assert [r["address"] for r in found["recipients"]] == ["kim@example.net"]
    assert found["recipients"][0]["reason"] == "suspend"


def test_local_part_named_in_the_failure_line_and_address_in_the_returned_to() -> None:
    found = report(
        "From: Gateway Postmaster <postmaster@gw.example.com>\nTo: ann@example.org\n"
        "Subject: Undeliverable Message\n\n"
        "To: 31337.42@gw.example.com\nSubject: Meeting\n\n"
        "Addressee unknown: 31337.42\n\nYour message could not be delivered as addressed.\n")
    assert [r["address"] for r in found["recipients"]] == ["31337.42@gw.example.com"]
    assert found["recipients"][0]["reason"] == "userunknown"


def test_report_account_of_the_failure_in_paragraphs_before_the_recipient_list() -> None:
    found = report(
        HEAD + "This message was undeliverable due to the following reason:\n\n"
        "Delivery was not possible because the receiving host could not be reached.\n\n"
        "Your message was not delivered within 4 days:\n    Host mx.example.org is not "
        "responding.\n\nThe following recipients did not receive this message:\n\n"
        "     <lee@example.org>\n")
    assert [r["address"] for r in found["recipients"]] == ["lee@example.org"]
    assert found["recipients"][0]["reason"] in ("expired", "networkerror")


def test_sendmail_program_entry_is_reported_as_the_address_it_expanded_from() -> None:
    found = report(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@box.example.org>\nTo: ann@example.com\n"
        "Subject: Returned mail: see transcript for details\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "\"|/usr/bin/deliver-filter --user pat\"\n    (expanded from: <pat@example.org>)\n\n"
        "   ----- Transcript of session follows -----\n"
        "554 \"|/usr/bin/deliver-filter --user pat\"... unknown mailer error 2\n")
    assert [r["address"] for r in found["recipients"]] == ["pat@example.org"]
    assert found["recipients"][0]["reason"] == "mailererror"
    assert found["recipients"][0]["reply_code"] == "554"


def test_a_sendmail_warning_is_a_delay_even_when_its_status_part_is_not_mime() -> None:
    # a warning copied out of a mail client: the DSN fields are text, not a MIME part
    found = report(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@out.example.com>\nTo: ann@example.com\n"
        "Subject: Warning: could not send message for past 4 hours\n\n"
        "    **  THIS IS A WARNING MESSAGE ONLY  **\n\n"
        "   ----- Transcript of session follows -----\n"
        "<lee@example.org>... Deferred: Connection timed out with mx.example.org.\n"
        "Warning: message still undelivered after 4 hours\n\n"
        "Final-Recipient: RFC822; lee@example.org\nAction: delayed\nStatus: 4.4.1\n")
    assert found["kind"] == "delay"
    assert [(r["action"], r["reason"]) for r in found["recipients"]] == [
        ("delayed", "networkerror")]


def test_a_gmail_delay_notice_in_another_language_is_a_delay_by_its_status_part() -> None:
    found = report(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: ana@example.com\n"
        "Subject: Delivery Status Notification (Delay)\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain; charset=UTF-8\n\n** Entrega demorada **\n\n"
        "Gmail seguirá intentando entregar tu mensaje a luis@example.org.\n\n"
        "La respuesta del servidor remoto fue:\n"
        "451 4.7.1 Please try again later, you are greylisted\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\n"
        "Final-Recipient: rfc822; luis@example.org\nAction: delayed\nStatus: 4.7.1\n\n--b--\n")
    assert found["kind"] == "delay"
    assert [r["action"] for r in found["recipients"]] == ["delayed"]


@pytest.mark.parametrize("opening", [
    "Nie można dostarczyć Twojej wiadomości do jan.nowak@example.net.",
    "Su mensaje para jan.nowak@example.net no se pudo entregar.",
])
def test_a_localised_report_names_its_recipient_beside_the_forwarding_headers(
        opening: str) -> None:
    # a report forwarded from a mail client: its header lines name the sender and the
    # report's own writer, the first sentence the recipient
    paste = ("Od: Microsoft Outlook <postmaster@example.com>\n"
             "Do: Ewa Lis <ewa.lis@example.com>\n\n"
             f"{opening}\n\n"
             "550 5.4.310 DNS domain example.net does not exist\n")
    assert addresses(paste) == ["jan.nowak@example.net"]


def test_an_exchange_report_with_one_diagnostic_fails_every_recipient_it_lists() -> None:
    found = report(
        "From: Microsoft Outlook <postmaster@outlook.com>\nTo: kai@example.com\n"
        "Subject: Undeliverable: Team sheet\n\n"
        "Delivery has failed to these recipients or groups:\n\n"
        "ann@example.org\nBo Li (bo@example.net)\n"
        "Your message couldn't be sent from this account right now.\n\n"
        "Diagnostic information for administrators:\n\n"
        "Generating server: AB1PR01MB0001.eurprd01.prod.outlook.com\n\n"
        "ann@example.org\n"
        "Remote Server returned '554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; "
        "verdict is RefuseQuota'\n")
    assert [r["address"] for r in found["recipients"]] == ["ann@example.org", "bo@example.net"]
    assert {r["reason"] for r in found["recipients"]} == {found["recipients"][0]["reason"]}


def test_challenge_to_prove_you_are_a_person_is_no_auto_reply() -> None:
    found = report(
        "From: Filter for Sam <verify@example.net>\nTo: ann@example.com\n"
        "Subject: Auto: please confirm your mail\nAuto-Submitted: auto-replied\n\n"
        "Your message is being held until you verify that you are a real person.\n"
        "Reply to this mail once and it will be delivered.\n")
    assert found["kind"] == "not-bounce"


def test_a_question_about_bounces_from_a_person_is_no_report() -> None:
    mail = Mail(b"From: Kai <kai@example.org>\nTo: list-admin@example.org\n"
                b"Subject: Delivery failure for half the list?\n\nhello\n")
    assert generic.from_a_person(mail)


def test_pasted_sendmail_transcript_names_the_stage_it_refused() -> None:
    assert codes.transcript_command(
        ">>> MAIL From:<me@example.com>\n<<< 553 5.1.8 <me@example.com>... Domain of sender "
        "address does not exist") == "MAIL"
    assert codes.transcript_command(">>> RCPT To:<a@example.org>\n<<< 250 ok\n>>> DATA\n"
                                    "<<< 554 5.7.1 spam") == "DATA"
    assert codes.transcript_command("550 5.1.1 no transcript here") is None


@pytest.mark.parametrize("advice", [
    "contact postmaster-help@example.net to clarify",
    "please write to abuse-desk@example.net with the full error",
    "send a request to unblock@example.net",
    "or mailto:helpdesk@example.net",
])
def test_an_address_to_write_to_for_help_is_no_recipient(advice: str) -> None:
    found = report(f"<ann@example.org>: host mx.example.net[192.0.2.5] said: 554 5.7.1 "
                   f"Mail from your IP is refused; {advice}.\n")
    assert [r["address"] for r in found["recipients"]] == ["ann@example.org"]


@pytest.mark.parametrize("notice", [
    "Zustellung verzögert. Es wird weiterhin versucht, die Nachricht zuzustellen.",
    "Nous continuerons à essayer de remettre votre message.",
])
def test_still_trying_in_other_languages(notice: str) -> None:
    assert text.STILL_TRYING.search(notice)
    assert text._may_still_try(notice)


def test_a_question_states_no_cause_but_the_reply_after_it_does() -> None:
    assert report("why do my emails go to spam?")["kind"] == "not-bounce"
    found = report("Is this a spam thing? 550 5.7.1 Message rejected as spam by the filter.")
    assert found["recipients"][0]["reason"] == "spamdetected"


@pytest.mark.parametrize("notice", [
    'A subscriber marked your newsletter "Week 49" as spam; we removed them from your list.',
    "Complaint by lee@example.net came in through the ISP's feedback loop on 3 March.",
    "FBL complaints today: 2 (see the dashboard)",
    # a contact's record in a mailing tool
    "Contact: lee@example.net\nState: opted out\nWhy: spam complaint, received via Yahoo",
    "Reason: abuse complaint (filed through the mailbox provider's feedback loop)",
])
def test_pasted_complaint_notice_is_feedback(notice: str) -> None:
    assert report(notice)["kind"] == "feedback"


@pytest.mark.parametrize("subject", [
    "系统退信 / Mail delivery failed", "メール配信エラー", "[Postmaster] Undeliverable: offer",
    "Unzustellbar: Angebot",
])
def test_report_subjects_in_other_scripts(subject: str) -> None:
    assert text.REPORT_SUBJECT.search(subject)


@pytest.mark.parametrize("subject", ["Re: returned mail", "bounces on the list?",
                                     "Hello from the team"])
def test_subjects_that_are_no_reports(subject: str) -> None:
    mail = Mail(f"From: Kim <kim@example.org>\nSubject: {subject}\n\nhi\n".encode())
    assert generic.from_a_person(mail)


def test_recipient_label_in_japanese_names_the_failed_recipient() -> None:
    found = report(
        "From: Mail Delivery Subsystem <mailer-daemon@example.jp>\nTo: info@example.com\n"
        "Subject: =?UTF-8?B?44Oh44O844Or6YWN5L+h44Ko44Op44O8?=\nContent-Type: text/plain; "
        "charset=UTF-8\n\n以下の宛先へのメールは配信できませんでした。\n\n宛先: taro@example.jp\n\n"
        "The mailbox of the recipient is full.\n")
    assert [r["address"] for r in found["recipients"]] == ["taro@example.jp"]
    assert found["recipients"][0]["reason"] == "mailboxfull"


# -- pasted exceptions ---------------------------------------------------------------------


def test_printed_smtplib_refusal_gives_each_recipient_its_own_reply() -> None:
    pasted = ("smtplib.SMTPRecipientsRefused: {'lena@example.org': (550, b'5.1.1 No such "
              "mailbox here'), 'omar@example.net': (452, b'4.2.2 Quota exceeded, try later')}")
    found = {r["address"]: (r["reason"], r["hard_bounce"], r["reply_code"])
             for r in recipients(pasted)}
    assert found == {"lena@example.org": ("userunknown", True, "550"),
                     "omar@example.net": ("mailboxfull", False, "452")}


@pytest.mark.parametrize("pasted", [
    # a platform's export, quoted cells, a date column
    'Recipient,Type,Message,Time\n"lena@example.org","bounce","550 5.1.1 No such mailbox",'
    '"2026-03-02 08:00"\n"omar@example.net","deferral","452 4.2.2 Quota exceeded",'
    '"2026-03-02 08:01"\n',
    # semicolons, as spreadsheets in many locales write them
    "E-mail;Reason\nlena@example.org;mailbox does not exist\nomar@example.net;mailbox full\n",
    # tab-separated, copied from a web table
    "Email address\tStatus\nlena@example.org\tunknown user\nomar@example.net\tinbox full\n",
])
def test_pasted_table_gives_each_row_its_own_recipient(pasted: str) -> None:
    found = {r["address"]: r["reason"] for r in recipients(pasted)}
    assert found == {"lena@example.org": "userunknown", "omar@example.net": "mailboxfull"}


def test_a_first_line_with_an_address_or_no_address_column_is_no_table() -> None:
    from bouncefix.parse import pasted

    assert pasted._table_rows("To: lena@example.org, cc\n550 5.1.1 No such mailbox\n") == []
    assert pasted._table_rows("Date,Count\n2026-03-02,4\n") == []


def test_printed_dict_key_is_a_clean_address() -> None:
    assert codes.clean_address("{'lena@example.org'") == "lena@example.org"
    assert addresses("Refused: {'lena@example.org': (550, b'5.1.1 unknown user')}") == [
        "lena@example.org"]


def test_recipient_named_once_beside_replies_that_name_nobody() -> None:
    pasted = ("2026-12-03 09:00:01 SERVER -> CLIENT: 554 5.7.1 Relay access denied\n"
              "2026-12-03 09:00:01 SMTP ERROR: RCPT TO command failed: 554 5.7.1 Relay access denied\n"
              "Mailer Error: The following recipients failed: ruth@example.net: Relay access denied\n")
    assert addresses(pasted) == ["ruth@example.net"]


def test_log_fields_name_the_recipient_not_the_sender_or_a_new_address() -> None:
    assert codes.clean_address("to=vera@example.org") == "vera@example.org"
    line = ("Dec  3 14:00:07 mail sm-mta[3321]: 2B3E0A1x003319: to=<ines@example.org>, "
            "ctladdr=<web@example.com> (33/33), delay=00:00:02, mailer=esmtp, dsn=5.1.6, "
            "stat=User has moved; please try <ines@example.net>")
    assert addresses(line) == ["ines@example.org"]


def test_transcript_failure_is_the_refusal_not_the_accepted_steps() -> None:
    session = ("<~  250-smtp.example.com\n<~  250 AUTH PLAIN LOGIN\n ~> AUTH LOGIN\n"
               "<~  334 VXNlcm5hbWU6\n ~> dGVzdA==\n"
               "<~* 535 5.7.8 Error: authentication failed: bad credentials\n ~> QUIT\n")
    found = recipients(session)[0]
    assert (found["reply_code"], found["status"], found["reason"]) == (
        "535", "5.7.8", "securityerror")


def test_role_address_is_a_recipient_where_a_field_says_so() -> None:
    line = ("Dec  1 06:25:00 app postfix/smtp[7710]: B0C1D2E3F4: to=<postmaster@example.com>, "
            "relay=none, dsn=5.4.6, status=bounced (mail for example.com loops back to myself)")
    assert addresses(line) == ["postmaster@example.com"]
    # but a role address in prose is one to write to, not a failed recipient
    prose = "550 5.1.1 <lea@example.org>: User unknown. Questions? postmaster@example.net\n"
    assert addresses(prose) == ["lea@example.org"]


def test_role_or_group_address_under_a_label_of_failed_recipients() -> None:
    # a group's address is the failed recipient when the report lists it under its label
    report_text = ("Delivery has failed to these recipients or groups:\n"
                   "Sales Team (sales@example.org)\n"
                   "Only people inside the organisation may send to this group.\n")
    assert addresses(report_text) == ["sales@example.org"]
    assert addresses("Your message to info@example.net could not be delivered: "
                     "550 5.1.1 no such mailbox") == ["info@example.net"]


def test_an_address_to_send_to_instead_is_no_recipient() -> None:
    line = ("hard bounce for nora@example.org: 551 5.1.6 recipient left; "
            "please send to nora.b@example.net instead")
    assert addresses(line) == ["nora@example.org"]
    # a quoted JSON field naming the Message-ID is no address of anyone
    event = ('{"status": "failed", "message-id": "<a1b2@mail.example.com>", '
             '"recipient": "nora@example.org", "reason": "550 5.1.1 unknown user"}')
    assert addresses(event) == ["nora@example.org"]


@pytest.mark.parametrize("words", [
    "/srv/app/vendor/mail-2.8.1/lib/smtp.rb:88:in `deliver'",
    "Plugin: Easy SMTP\nVersion: 5.2.2\nHost: smtp.example.net",
    "Mailer v4.4.1 (build 5.1.3) could not connect",
    "Client: 4.7.1\nPort: 587",
])
def test_version_numbers_are_no_status(words: str) -> None:
    assert codes.find_status(words) is None


@pytest.mark.parametrize(("words", "status"), [
    ("Status: 5.1.1", "5.1.1"),
    ("Remote server returned: 5.4.1", "5.4.1"),
    ("Library 2.1.0\nDetail: 5.7.26 Unauthenticated mail refused", "5.7.26"),
    ("550-5.1.1 The account does not exist", "5.1.1"),
])
def test_statuses_beside_versions_are_still_read(words: str, status: str) -> None:
    assert codes.find_status(words) == status


def test_key_value_fields_name_the_recipient() -> None:
    assert codes.clean_address("Mailbox=ivo@example.org") == "ivo@example.org"
    assert codes.clean_address("rcpt=ivo@example.org") == "ivo@example.org"


def test_table_rows_name_the_sender_in_their_from_column() -> None:
    listing = ("Time      From                  To                  Status\n"
               "09:12:44  shop@example.com      rosa@example.org    rejected 550 5.1.1 no such user\n")
    assert addresses(listing) == ["rosa@example.org"]
    # a log row without a header: time stamp, sender, recipient
    row = "2026-12-01 09:12:44  shop@example.com  rosa@example.org  deferred 451 4.7.1 greylisted\n"
    assert addresses(row) == ["rosa@example.org"]


def test_csv_rows_take_the_recipient_column() -> None:
    export = ('"date-time","sender-address","recipient-address","recipient-status","message-id"\n'
              '"2026-12-01T09:12:44Z","shop@example.com","rosa@example.org",'
              '"550 5.1.1 unknown recipient","<x1@mail.example.com>"\n')
    assert addresses(export) == ["rosa@example.org"]


def test_powershell_braces_are_no_part_of_the_address() -> None:
    assert codes.clean_address("{rosa@example.org}") == "rosa@example.org"


def test_a_bounce_attached_as_an_eml_file_is_read() -> None:
    import base64
    inner = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
             b"Subject: Mail delivery failed: returning message to sender\n\n"
             b"This message was created automatically by mail delivery software.\n\n"
             b"  rosa@example.org\n    SMTP error from remote mail server after RCPT TO:"
             b"<rosa@example.org>:\n    550 5.1.1 <rosa@example.org>: unknown user\n")
    outer = (b"From: Kim <kim@example.net>\nTo: help@example.com\nSubject: FW: why?\n"
             b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n'
             b"--b1\nContent-Type: text/plain\n\nWhy did this bounce?\n"
             b'--b1\nContent-Type: application/octet-stream; name="bounce.eml"\n'
             b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(inner) + b"--b1--\n")
    found = recipients(outer.decode())
    assert [(r["address"], r["reason"]) for r in found] == [("rosa@example.org", "userunknown")]


def test_a_label_in_two_languages_names_the_recipient() -> None:
    bounce = ("From: MAILER-DAEMON@mail.example.net\nSubject: Mail delivery failed\n\n"
              "Zustellung fehlgeschlagen.\n\n"
              "Empfänger / Recipient : tomas@example.org\n"
              "Grund / Reason : the mailbox is over its storage limit\n")
    found = recipients(bounce)
    assert [(r["address"], r["reason"]) for r in found] == [("tomas@example.org", "mailboxfull")]


def test_a_still_trying_sentence_folded_over_two_lines_is_a_delay() -> None:
    bounce = ("From: MAILER-DAEMON@relay.example.net\nSubject: Delivery warning\n\n"
              "We could not deliver your message to these recipients yet:\n\n"
              "maria@example.org: 451 4.7.1 too many messages from you this hour\n\n"
              "No action is needed; delivery is still being\nretried for two more days.\n")
    assert report(bounce)["kind"] == "delay"


def test_an_address_in_brackets_after_a_host_name_is_the_host_not_the_sender() -> None:
    line = ("Remote host mx.example.org[192.0.2.40] rejected the message after DATA: "
            "554 5.7.1 scored as junk mail (11.0 points)")
    assert [r["reason"] for r in recipients(line)] == ["spamdetected"]


def test_an_address_only_listed_under_a_label_takes_the_pastes_reply() -> None:
    paste = ("Error: Message failed: 550 5.2.1 This mailbox is disabled by its owner\n"
             "    code: 'EENVELOPE',\n"
             "    rejected: [ 'otto@example.org' ]\n")
    assert [(r["address"], r["reason"]) for r in recipients(paste)] == [
        ("otto@example.org", "suspend")]


# -- pasted successes ----------------------------------------------------------------------


@pytest.mark.parametrize(("paste", "kind"), [
    # a log line whose status says the message went out
    ("Jun  2 08:00:01 gw postfix/smtp[77]: 1A2B3C: to=<ola@example.org>, relay=mx.example.org"
     "[192.0.2.9]:25, dsn=2.0.0, status=sent (250 2.0.0 Accepted, id 4411)", "delivered"),
    # an admin console's row
    ("Recipient   ola@example.org\nStatus      Delivered\nFolder      Junk\n", "delivered"),
    # accepted, then thrown away by the receiver: not a delivery
    ("to=<ola@example.org>, dsn=2.0.0, status=sent (250 2.0.0 accepted but discarded as bulk)",
     "bounce"),
    # "ready to start TLS" is no acceptance of the message
    ("CLIENT -> SERVER: STARTTLS\nSERVER -> CLIENT: 220 2.0.0 Go ahead\n"
     "SMTP Error: Could not connect to SMTP host. TLS handshake failed", "bounce"),
])
def test_a_pasted_success_is_a_delivery(paste: str, kind: str) -> None:
    assert report(paste)["kind"] == kind


# -- hedges: causes a report only offers as possible ------------------------------------------


def _dsn_with(diagnostic: str) -> str:
    return ("From: MAILER-DAEMON@relay.example.net\nSubject: Delivery Status Notification\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example.net\n\n"
            "Final-Recipient: rfc822; club@lists.example.org\nAction: failed\nStatus: 5.0.0\n"
            f"Diagnostic-Code: smtp; {diagnostic}\n\n--b--\n")


def test_a_report_that_only_guesses_gets_a_guess_never_a_hard_bounce() -> None:
    found = recipients(_dsn_with(
        "The list you wrote to might not exist any more, or you might need to join it "
        "before you can post to it."))
    assert [(r["reason"], r["confidence"], r["hard_bounce"]) for r in found] == [
        ("filtered", "low", False)]


def test_advice_in_quotes_ends_at_its_closing_quote() -> None:
    # 'Please try again later."' ends a sentence: what follows it is no longer advice
    from bouncefix.rules import hedges

    words = ('The form says "Sending failed. Please try again later." The log says: '
             "550 5.1.1 No such user here")
    spans = hedges.hedged_spans(words)
    assert spans and not hedges.is_hedged(spans, words.index("550"))


def test_a_stated_cause_beats_the_guesses_after_it() -> None:
    found = recipients(_dsn_with(
        "550 5.1.1 No mailbox by that name here. This may be caused by a typo, or the "
        "person may have left."))
    assert [(r["reason"], r["hard_bounce"]) for r in found] == [("userunknown", True)]


def test_a_pasted_question_is_no_bounce_even_if_it_names_a_cause() -> None:
    assert report("Could my mails be going to spam because of our new domain?")["kind"] == \
        "not-bounce"


@pytest.mark.parametrize("notice", [
    "Your message to kim@example.org is still waiting to be delivered: the server there "
    "does not answer.",
    "Your note to kim@example.org hasn't gone through yet; the receiving server does not "
    "respond.",
])
def test_a_notice_that_delivery_is_still_pending_is_a_delay(notice: str) -> None:
    assert report(notice)["kind"] == "delay"


def test_a_cause_the_server_rules_out_is_not_the_cause() -> None:
    found = recipients(_dsn_with(
        "554 5.7.1 Refused. This was not treated as spam: the attached file carries a "
        "malicious macro (O97M/Example.A)."))
    assert [r["reason"] for r in found] == ["virusdetected"]


def test_a_purpose_clause_names_no_cause() -> None:
    pasted = ("To cut down on junk mail, our service lets each account write to at most "
              "300 people a day. You reached today's limit; nothing was sent.")
    assert [r["reason"] for r in recipients(pasted)] == ["speeding"]


def test_advice_that_goes_on_to_give_the_reason_keeps_the_reason() -> None:
    found = recipients(_dsn_with(
        "550 5.7.1 Mail from 198.51.100.4 refused. Please ask your provider for help, since "
        "their address range is on our block list."))
    assert [r["reason"] for r in found] == ["blocked"]


def test_the_permanent_reply_after_temporary_attempts_decides() -> None:
    assert text.final_reply(
        "try 1: 451 4.7.1 Greylisted, come back later; try 2: 550 5.7.1 DMARC policy "
        "reject, message refused") == "550 5.7.1 DMARC policy reject, message refused"
    # a temporary wrapper around nothing permanent, and a permanent reply first, stay
    for words in ("451 4.4.1 no answer; 421 4.4.2 connection dropped",
                  "550 5.1.1 unknown user; 421 4.7.0 closing",
                  # a permanent reply the temporary one quotes is no later attempt
                  "450 4.1.1 <a@example.org>: unverified address: host store.example.org "
                  "said: 550 5.1.1 user unknown"):
        assert text.final_reply(words) == words


def test_chinese_and_japanese_sentences_wrapped_by_a_mailer_are_read_whole() -> None:
    raw = ("From: MAILER-DAEMON@mail.example.jp\nTo: sato@example.jp\n"
           "Subject: =?utf-8?b?6YWN6YCB5aSx5pWX?=\nContent-Type: text/plain; charset=utf-8\n\n"
           "宛先 mori@example.com へのメールは、48時間にわたって配送を試みましたが、配送が完了\n"
           "しなかったため返送します。\n").encode()
    assert Mail(raw).text.count("\n") == 1  # the wrap joined, the sentence end kept
    found = analyze_bytes(raw)[0].recipients
    assert [(r.finding.address, r.diagnosis.reason.value) for r in found] == [
        ("mori@example.com", "expired")]


def test_an_address_first_named_in_prose_takes_its_quoted_reply_further_down() -> None:
    pasted = """Your message to ola.berg@example.net could not be delivered.

Why this might have happened:
  * the address may be mistyped
  * your server may be on a block list

Server response: 550 5.2.1 <ola.berg@example.net>: account disabled by its owner's company
"""
    assert [(r["address"], r["reason"]) for r in recipients(pasted)] == [
        ("ola.berg@example.net", "suspend")]


_DSN_HEAD = """From: Mail Delivery <mailer-daemon@relay.example.com>
To: news@example.com
Subject: Delivery failure
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b0"

--b0
Content-Type: text/plain; charset=utf-8

"""
_DSN_TAIL = """
--b0
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Final-Recipient: rfc822; ola@example.org
Action: failed
Status: {status}
{diagnostic}
--b0--
"""


def test_a_diagnostic_code_without_words_takes_the_reply_the_text_quotes() -> None:
    body = ("Delivery to ola@example.org failed for good.\n\n"
            "The server mx.example.org answered after DATA:\n"
            "  550-5.7.1 This host refuses messages that carry no Message-ID\n"
            "  550 5.7.1 header; add one and send again.\n")
    raw = _DSN_HEAD + body + _DSN_TAIL.format(status="5.0.0",
                                              diagnostic="Diagnostic-Code: smtp; 550")
    found = recipients(raw)
    assert [(r["address"], r["reason"]) for r in found] == [("ola@example.org",
                                                             "notcompliantrfc")]
    assert "no Message-ID" in found[0]["diagnostic"]


def test_an_entry_reason_line_gives_the_words_a_dsn_leaves_out() -> None:
    body = ("Der Nachrichtenfilter hat eine Nachricht angehalten.\n\n"
            "  Empfänger: ola@example.org\n"
            "  Grund:     Schadsoftware im Anhang gefunden\n"
            "             (rechnung.xlsm)\n"
            "  Betreff:   Rechnung\n")
    raw = _DSN_HEAD + body + _DSN_TAIL.format(status="5.7.1", diagnostic="")
    found = recipients(raw)
    assert [(r["address"], r["reason"]) for r in found] == [("ola@example.org",
                                                             "virusdetected")]
    assert found[0]["diagnostic"] == "Schadsoftware im Anhang gefunden (rechnung.xlsm)"


def test_a_swedish_exchange_delay_takes_its_last_error() -> None:
    raw = """From: Microsoft Outlook <postmaster@bolag.example.se>
To: order@bolag.example.se
Subject: =?utf-8?q?F=C3=B6rdr=C3=B6jd:_Offert?=
Content-Type: text/plain; charset=utf-8

Leveransen till de här mottagarna eller grupperna är fördröjd:

kund@butik.example.org

Diagnostisk information för administratörer:

Genererande server: MAIL01.bolag.example.se

kund@butik.example.org
Fjärrservern returnerade '400 4.4.7 Message delayed'
Senaste felet: 451 4.4.0 Primary target IP address responded with: "452 4.2.2 mailbox {full}"

Ursprungliga meddelandehuvuden:

Received: from MAIL01.bolag.example.se by MAIL01.bolag.example.se
""".replace("{full}", "is over its quota, try again later.")
    found = report(raw)
    assert (found["kind"], found["parser"]) == ("delay", "exchange")
    assert [(r["address"], r["reason"]) for r in found["recipients"]] == [
        ("kund@butik.example.org", "mailboxfull")]


def test_a_pasted_postfix_line_names_the_alias_a_target_was_expanded_from() -> None:
    pasted = ("<pat.home@example.net> (expanded from <p.lee@alumni.example.org>): host "
              "mx.example.net[192.0.2.4] said: 550 5.1.1 <pat.home@example.net>: Recipient "
              "address rejected: User unknown (in reply to RCPT TO command)\n")
    assert [(r["address"], r["original_recipient"]) for r in recipients(pasted)] == [
        ("pat.home@example.net", "p.lee@alumni.example.org")]



@pytest.mark.parametrize("body", [
    "Please note that I have left Example Freight and this mailbox is no longer monitored.\n"
    "For bookings write to desk@example.net instead.\n",
    "Herr Jansen ist nicht mehr für die Example GmbH tätig; dieses Postfach wird nicht mehr\n"
    "gelesen. Bitte schreiben Sie an info@example.net.\n",
])
def test_an_auto_reply_from_someone_gone_for_good_says_to_stop_sending(body: str) -> None:
    found = report("From: Pat Jansen <pat@example.org>\nTo: news@example.com\n"
                   "Subject: Automatic reply: May newsletter\nAuto-Submitted: auto-replied\n\n"
                   + body)
    assert found["kind"] == "auto-reply"
    [recipient] = found["recipients"]
    assert recipient["reason"] == "vacation" and not recipient["hard_bounce"]
    assert any("stop sending to this one" in step for step in recipient["fix"])


def test_an_away_notice_keeps_the_usual_advice() -> None:
    found = report("From: Pat Jansen <pat@example.org>\nTo: news@example.com\n"
                   "Subject: Out of office\nAuto-Submitted: auto-replied\n\n"
                   "I am on leave until 3 June and will reply when I am back.\n")
    [recipient] = found["recipients"]
    assert not any("stop sending" in step for step in recipient["fix"])


def test_a_headline_takes_the_paragraph_that_says_why_before_the_summary() -> None:
    (found,) = recipients(HEAD + """Your message was NOT sent.

It was stopped by the outbound data protection policy: it seems to hold card numbers
and was addressed outside the company.

   Subject:    invoices March
   Recipient:  ap@example.net
   Sent:       2026-03-02 09:14
   Rule:       outbound_cards_block
   Action:     rejected (not delivered)
""")
    assert found["address"] == "ap@example.net"
    assert "data protection policy" in found["diagnostic"]
    assert found["reason"] == "policyviolation"


def test_a_dsn_block_without_action_that_names_a_retry_date_is_a_delay() -> None:
    head = ("From: MAILER-DAEMON@out.example.com\nTo: me@example.com\nSubject: Delayed Mail\n"
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
            " boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nStill trying.\n\n--b\n"
            "Content-Type: message/delivery-status\n\nReporting-MTA: dns; out.example.com\n\n"
            "Final-Recipient: rfc822; kai@example.net\nStatus: 4.4.1\n")
    tail = "\n--b--\n"
    delayed = analyze_bytes((head + "Will-Retry-Until: Mon, 10 Mar 2025 09:31:47 +0000\n"
                             + tail).encode())[0]
    assert (delayed.kind.value, delayed.recipients[0].finding.action.value) == ("delay", "delayed")
    failed = analyze_bytes((head + tail).encode())[0]
    assert failed.recipients[0].finding.action.value == "failed"


def test_an_address_masked_for_privacy_is_no_recipient() -> None:
    assert codes.clean_address("r.k*****@example.com") is None
    assert codes.clean_address("a*b@example.com") == "a*b@example.com"  # legal, not masked
    # a paste with the user's own masked address in its header lines: only the real one
    found = report('To: "9*******4@example.net"\nSubject: Undelivered\n\n'
                   "Recipient: kim@example.org\n"
                   "550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown\n")
    assert [r["address"] for r in found["recipients"]] == ["kim@example.org"]


def test_a_host_line_above_exims_error_names_the_remote_server() -> None:
    # Exim 4.9x: "host NAME [IP]" on its own line above "SMTP error from remote mail server"
    found = report("The following address failed:\n\n    host mx2.example.net [192.0.2.14]\n"
                   "    SMTP error from remote mail server after RCPT TO:<kai@example.net>:\n"
                   "    550 5.1.1 no such user\n")
    assert [(r["address"], r["remote_mta"]) for r in found["recipients"]] == [
        ("kai@example.net", "mx2.example.net")]


def test_a_time_stamped_transcript_names_the_stage_it_refused() -> None:
    assert codes.transcript_command(
        "[2025/02/03 08:00:01] >>> AUTH LOGIN\n[2025/02/03 08:00:01] <<< 235 2.7.0 ok\n"
        "[2025/02/03 08:00:02] >>> MAIL FROM:<cam@example.org>\n"
        "[2025/02/03 08:00:02] <<< 553 sender not allowed") == "MAIL"
    assert codes.transcript_command("10:04:11 >>> RCPT TO:<a@example.org>\n"
                                    "10:04:11 <<< 550 5.1.1 unknown") == "RCPT"


def test_the_address_a_form_puts_in_from_is_no_recipient() -> None:
    found = report(">     details at 550 5.7.26  https://help.example.net/dmarc\n"
                   "> The From is set to the visitor's address (client@example.org).\n")
    assert "client@example.org" not in [r["address"] for r in found["recipients"]]


def test_a_gateways_reason_below_the_message_summary_is_the_recipients_cause() -> None:
    # the entry names the recipient, then the returned message's subject and date, then
    # what happened, then why: the summary's lines do not use up the paragraphs looked at
    report = (b"From: Mail Gateway <postmaster@gw.example.org>\nTo: kai@example.org\n"
              b"Subject: Undeliverable: Order 12\n\n"
              b"Your message to:  lee@example.net\nSubject:  Order 12\n"
              b"Sent:     Tue, 3 Mar 2026 09:12:00 +0100\n\n"
              b"was blocked by the gateway at gw.example.org and was not delivered.\n\n"
              b"Reason: virus found in attachment \"order.docm\" (Example.Macro.Trojan)\n\n"
              b"Please check your computer for malware before you send it again.\n")
    [found] = analyze_bytes(report)
    [r] = found.recipients
    assert r.finding.address == "lee@example.net"
    assert r.diagnosis.reason.value == "virusdetected"


def test_a_greeting_after_a_persons_words_names_the_reader() -> None:
    # the greeting names the sender of the message; the group written to is the recipient
    found = report("Our choir's list keeps refusing one member, can anyone explain?\n\n"
                   "Hi tenor.two@example.net,\n"
                   "the group you tried to reach (choir-all@example.org)\n"
                   "might not exist, or you might not have permission to post to it.\n")
    assert [r["address"] for r in found["recipients"]] == ["choir-all@example.org"]
    assert found["recipients"][0]["reason"] == "filtered"
    assert found["recipients"][0]["hard_bounce"] is False


def test_an_entry_of_a_mail_queue_listing_is_still_queued() -> None:
    found = report("Two of these sit in our queue since this morning:\n\n"
                   "9C4E1B2A77*    5120 Wed Mar 11 07:15:40  alerts@example.com\n"
                   "(host mx.example.org[203.0.113.9] said: 421 4.7.0 All messages from "
                   "192.0.2.44 permanently deferred (in reply to MAIL FROM command))\n"
                   "                                         ops@example.org\n")
    assert found["kind"] == "delay"
    assert [r["address"] for r in found["recipients"]] == ["ops@example.org"]


def test_failure_words_must_stand_within_one_paragraph_of_a_paste() -> None:
    # a person's "... or not" above a delivery receipt's "Delivered:" says no failure
    found = report("She says she never saw it, did it arrive or not\n\n"
                   "Delivered: Minutes of the May meeting\n"
                   "Your message has been delivered to the following recipients:\n"
                   "Jo Hart (jo.hart@example.org)\n")
    assert found["kind"] == "not-bounce"
    # the same words wrapped within one paragraph still say it
    found = report("The message to jo.hart@example.org could not be\ndelivered, reason unclear\n")
    assert found["kind"] == "bounce"


def test_a_complaint_event_named_by_its_type_is_a_complaint() -> None:
    # an ESP's event copied as labelled lines, with the reader's question above it
    found = report("why did this customer stop getting our newsletter?\n\n"
                   "Event: Spam Report\nEmail: lena@example.org\n"
                   "Timestamp: 2025-04-02 10:12:40 UTC\n")
    assert found["kind"] == "feedback"
    assert [r["address"] for r in found["recipients"]] == ["lena@example.org"]


def test_a_multi_line_reply_a_log_wrote_on_one_line_reads_as_one_sentence() -> None:
    # Postfix keeps each line's prefix ("421-4.7.0") when it logs a multi-line reply
    line = ("Jun 3 10:00:01 mx postfix/smtp[811]: 3Ab9: to=<kai@example.org>, "
            "relay=mx.example.org[192.0.2.8]:25, delay=3, dsn=4.7.0, status=deferred (host "
            "mx.example.org[192.0.2.8] said: 421-4.7.0 We think this message is 421-4.7.0 "
            "spam because of what it contains, so it was 421-4.7.0 refused for now. "
            "421 4.7.0 See https://example.org/help (in reply to end of DATA command))\n")
    found = report(line)
    [recipient] = found["recipients"]
    assert "421-4.7.0" not in recipient["diagnostic"] and "421 4.7.0 See" not in recipient["diagnostic"]
    assert recipient["reason"] == "spamdetected" and recipient["reply_code"] == "421"
    # another code in the middle (a quoted inner reply) is kept
    assert codes.drop_inline_prefixes("451-4.4.0 relay said 550 5.1.1 no such user") == (
        "451-4.4.0 relay said 550 5.1.1 no such user")


def test_the_target_a_forward_is_set_to_is_a_recipient() -> None:
    found = report("We couldn't pass your message on to info@studio.example.net.\n"
                   "It is set to forward to maria.old@example.com, and that server answered:\n"
                   "552 5.2.2 The recipient's inbox is out of storage space.\n")
    assert {r["address"] for r in found["recipients"]} >= {"maria.old@example.com"}


def test_a_delivery_status_block_with_extension_fields_is_no_header_block() -> None:
    found = report("Final-Recipient: rfc822; pia@example.net\nAction: failed\nStatus: 5.2.2\n"
                   "X-Postfix-Queue-ID: 4QxZ1\n"
                   "Diagnostic-Code: smtp; 552 5.2.2 <pia@example.net> over quota\n")
    assert [r["address"] for r in found["recipients"]] == ["pia@example.net"]
    assert found["recipients"][0]["reason"] == "mailboxfull"


def test_a_complaint_report_never_names_the_senders_own_address() -> None:
    # an ARF report whose recipient is redacted: the returned headers' To is the list's
    # own address, the same as its From
    found = report(
        "From: Feedback <fbl@example.net>\nTo: fbl@lists.example.org\nSubject: FBL\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report;"
        " boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nA user reported spam.\n"
        "--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nVersion: 1\n"
        "Original-Rcpt-To: redacted\n\n--b\nContent-Type: text/rfc822-headers\n\n"
        "From: News <news@lists.example.org>\nTo: news@lists.example.org\nSubject: Hi\n\n--b--\n")
    assert found["kind"] == "feedback"
    assert [r["address"] for r in found["recipients"]] in ([], [None])


def test_a_complaint_label_quoted_from_a_contact_record_is_a_complaint() -> None:
    found = report('The contact record says "Marked your email as spam" after the June letter.\n')
    assert found["kind"] == "feedback"


def test_a_mail_queue_listing_names_its_recipients_not_its_senders() -> None:
    found = report("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
                   "5C2A9100B3*    1204 Tue Mar  3 09:12:40  app@host.example.org\n"
                   "(connect to mx.example.net[192.0.2.25]:25: Connection timed out)\n"
                   "                                         lou@example.net\n\n"
                   "7D14E2007F     2210 Tue Mar  3 09:10:02  web@host.example.org\n"
                   "(connect to mx.example.com[192.0.2.26]:25: Connection timed out)\n"
                   "                                         ana@example.com\n\n"
                   "-- 4 Kbytes in 2 Requests.\n")
    assert found["kind"] == "delay"
    assert sorted(r["address"] for r in found["recipients"]) == ["ana@example.com", "lou@example.net"]


def test_a_help_desks_automatic_acknowledgement_is_an_automatic_reply() -> None:
    found = report("From: Payables <ap@example.net>\nTo: billing@example.com\n"
                   "Subject: [AP-1] We got your email\nAuto-Submitted: auto-generated\n\n"
                   "This is an automatic acknowledgement, please do not answer it.\n"
                   "Your message has been logged in our queue as AP-1.\n")
    assert found["kind"] == "auto-reply"


# Pastes and the failed recipients they name (and no others)
_NAMED = [
    pytest.param("Your message to rita@example.com was not delivered.\n\n"
                 "The receiving server said:\n"
                 "550 5.7.1 <me@example.net> sender is blacklisted\n",
                 ["rita@example.com"], id="the-address-a-reply-calls-the-sender"),
    pytest.param("AVVISO DI MANCATA CONSEGNA\n"
                 'Il messaggio indirizzato a "acquisti@pec.example.org"\n'
                 "non è stato consegnato a causa del seguente errore:\n"
                 "5.1.1 - casella inesistente / user unknown\n"
                 "Identificativo messaggio: opec1.20240304.77@pec.example.com\n",
                 ["acquisti@pec.example.org"], id="a-message-id-labelled-in-italian"),
    # a stamped log row with the same address as a field and in the quoted reply
    pytest.param("2025-01-09 11:20:05,101 WARN [mailer] bounce type=Permanent "
                 "recipient=tom@example.org diagnostic=\"550 5.1.1 <tom@example.org>: "
                 "no such mailbox\"\n",
                 ["tom@example.org"], id="a-log-row-naming-its-recipient-twice"),
    pytest.param("551 5.1.6 <old@example.org>: no longer here; please redirect to office@example.org\n",
                 ["old@example.org"], id="the-address-to-redirect-mail-to"),
    # a label's list longer than a line's first 60 characters
    pytest.param("connect to mx.example.net[192.0.2.7]:25: Connection refused\n\n"
                 "Recipients affected: anna.k@example.net, ben.o@example.net, cleo.p@example.net\n",
                 ["anna.k@example.net", "ben.o@example.net", "cleo.p@example.net"],
                 id="a-long-list-after-recipients-affected"),
    # quoted-printable left undecoded: the line ends before the address are no part of it
    pytest.param("Delivery has failed to these recipients or groups:=0D=0A=0D=0Ateam@example.org"
                 "=0D=0A550 5.1.1 User unknown\n", ["team@example.org"], id="undecoded-qp-line-ends"),
    # the writer's own address, wrapped onto a line of its own, is not the failed one
    pytest.param("He says my mail bounced. My address is\nlee.b@example.com, so he mistyped it:\n\n"
                 "> 550 5.1.1 <leeb@example.com>: Recipient address rejected: User unknown\n",
                 ["leeb@example.com"], id="the-writers-own-address-wrapped"),
    # the server's reply, wrapped, names the quoted address the sender
    pytest.param("kim@example.org\nhost mx.example.org[192.0.2.8] said: 553 5.1.8 "
                 "<bounce-77@mail.example.com>:\nSender address rejected: Domain not found\n",
                 ["kim@example.org"], id="a-wrapped-reply-calling-the-address-the-sender"),
]


@pytest.mark.parametrize(("paste", "named"), _NAMED)
def test_a_paste_names_its_failed_recipients_and_no_others(paste: str, named: list[str]) -> None:
    assert [r["address"] for r in report(paste)["recipients"]] == named


@pytest.mark.parametrize("notice", [
    "Das Gateway versucht es automatisch weiter.",
    "Bitte die Nachricht nicht erneut senden, die Zustellung läuft noch.",
])
def test_a_german_notice_that_it_keeps_trying_is_a_delay(notice: str) -> None:
    found = report(f"{notice}\n<ole@example.org>: Host or domain name not found. Name service "
                   "error for name=example.org type=MX: Host not found, try again\n")
    assert found["kind"] == "delay"


def test_an_encrypted_attachment_refused_by_policy_is_no_tls_failure() -> None:
    found = report("Your message to ken@example.net was not delivered. Password-protected "
                   "(encrypted) ZIP files cannot be scanned and are refused by our security "
                   "policy. Please resend without encryption.\n")
    assert found["recipients"][0]["reason"] != "failedstarttls"


def test_a_returned_message_mark_above_everything_ends_no_report() -> None:
    # a quoted report whose first line is the mail program's "Original message" mark
    found = report("> ----- Original message -----\n"
                   "> Mail delivery failed: returning message to sender\n"
                   "> A message that you sent could not be delivered to one or more of its\n"
                   "> recipients. This is a permanent error. The following address(es) failed:\n"
                   ">\n>   desk@example.org\n"
                   ">     SMTP error from remote mail server after end of data:\n"
                   ">     552 5.3.4 Message size exceeds fixed maximum message size\n")
    assert [r["address"] for r in found["recipients"]] == ["desk@example.org"]
    assert found["recipients"][0]["reason"] == "mesgtoobig"


@pytest.mark.parametrize(("notice", "kind"), [
    ("Er is een tijdelijk probleem opgetreden. Gmail probeert het nog 45 uur opnieuw.",
     "delay"),
    ("Gmail riproverà per altre 45 ore.", "delay"),
    ("Gmail będzie ponawiać próby przez kolejne 45 godz.", "delay"),
    # no further attempt: the French notice of a permanent failure
    ("Ceci est une erreur permanente, aucune nouvelle tentative ne sera faite.", "bounce"),
    ("Tempo scaduto: il server non riproverà.", "bounce"),
    ("Gmail probeert het niet meer opnieuw.", "bounce"),
])
def test_notices_of_retries_in_more_languages(notice: str, kind: str) -> None:
    found = report(f"{notice}\n<ole@example.org>: Host or domain name not found. Name service "
                   "error for name=example.org type=MX: Host not found\n")
    assert found["kind"] == kind


def test_a_persons_guess_beside_the_notice_does_not_decide() -> None:
    found = report("My mail came back: the message was returned because the recipient has "
                   "blocked mail from my address. I think she did it after a phishing scare.\n")
    assert found["recipients"][0]["reason"] == "filtered"


@pytest.mark.parametrize(("paste", "code"), [
    # a code a person only mentions gives way to the reply quoted below it
    ("Our checkout page throws a 500 since Monday:\n\n"
     "SMTPDataError: (554, b'Message rejected: Email address is not verified.')\n", "554"),
    # a count in a sentence is no reply
    ("relay accepted 550 of 612 RCPT TO, then replied:\n"
     "452 4.5.3 Too many recipients for one message\n", "452"),
])
def test_the_quoted_reply_outranks_a_mentioned_code(paste: str, code: str) -> None:
    assert report(paste)["recipients"][0]["reply_code"] == code


def test_a_log_line_deferred_with_a_temporary_dsn_is_a_delay_whatever_it_quotes() -> None:
    # Postfix keeps the message queued (dsn=4.7.0): a delay, though the relay's reply is 535
    found = report("Mar  2 09:10:11 box postfix/smtp[77]: 1A2B3C4D5E: to=<ops@example.com>, "
                   "relay=smtp.example.net[192.0.2.9]:587, delay=1.2, dsn=4.7.0, status=deferred "
                   "(SASL authentication\nfailed; server smtp.example.net[192.0.2.9] said: 535 5.7.8 "
                   "Error: authentication failed)\n")
    assert found["kind"] == "delay"


def test_a_post_held_for_a_group_manager_is_a_delay() -> None:
    found = report("Your post to the Runners group (runners@example.org) is waiting for a "
                   "group manager to approve it.\n")
    assert (found["kind"], found["recipients"][0]["reason"]) == ("delay", "onhold")


def test_a_paragraph_ending_in_a_colon_takes_the_reason_below_it() -> None:
    found = report("Subject: Your message to walkers@lists.example.org was rejected\n\n"
                   "Your message to the walkers mailing list was refused for this reason:\n\n"
                   "    The message is not from a list member\n")
    assert found["recipients"][0]["reason"] == "filtered"


def test_a_servers_own_if_is_no_one_vouching_for_the_address() -> None:
    found = report("550 5.1.1 <kim@example.net>: No such user here. If you are sure the address "
                   "is correct, please contact the recipient another way.\n")
    assert found["recipients"][0]["hard_bounce"] is True


def test_a_reason_stated_after_a_list_of_possible_causes_counts() -> None:
    found = report("554 5.7.1 Not delivered. This can happen because of a virus, spam or a "
                   "blocked file type. Reason: attachments of type .js are not permitted by "
                   "example.org policy\n")
    assert found["recipients"][0]["reason"] == "policyviolation"
    assert found["recipients"][0]["confidence"] == "high"


def test_an_exchange_delay_without_an_address_line_reads_its_attempts() -> None:
    # the administrators' block lists the attempts under no address line: the DSN names
    # the one recipient, the last attempt the cause
    message = (
        "From: postmaster@example.com\nTo: ann@example.com\nSubject: Delivery delayed:Minutes\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; "
        "boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\n"
        "Delivery is delayed to these recipients or groups:\n\nbo@example.net\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: EX1.example.com\n\n"
        "Server at mx.example.net (192.0.2.4) returned '400 4.4.7 Message delayed'\n"
        "3/4/2025 10:00:00 AM - Server at mx.example.net (192.0.2.4) returned\n"
        "'451 4.4.0 Primary target IP address responded with: \"452 4.2.2 Mailbox over\n"
        "quota.\" Attempted failover to alternate host, but that did not succeed.'\n\n"
        "Original message headers:\n\nSubject: Minutes\n\n--b1\n"
        "Content-Type: message/delivery-status\n\nReporting-MTA: dns;EX1.example.com\n\n"
        "Final-Recipient: rfc822;bo@example.net\nAction: delayed\nStatus: 4.4.7\n"
        "Diagnostic-Code: smtp;400 4.4.7 Message delayed\n\n--b1--\n")
    found = report(message)
    assert found["kind"] == "delay"
    assert found["recipients"][0]["reason"] == "mailboxfull"


def test_a_reputation_protected_is_a_purpose_not_the_cause() -> None:
    found = report("Message to kim@example.org not sent: this contact is paused to protect "
                   "your sending reputation.\n")
    assert all(r["reason"] != "badreputation" for r in found["recipients"])


def test_only_a_warning_that_has_not_given_up_is_a_delay() -> None:
    found = report("The message has had temporary delivery errors. This is only a warning; "
                   "the server has not given up.\n"
                   "<ola@example.org>: host mx.example.org said: mailbox is full\n")
    assert found["kind"] == "delay"


@pytest.mark.parametrize("pasted", [
    # Korean: "Subject: Automatic reply: ..." / "I am on a business trip until Friday"
    "제목: 자동 회신: 회의 일정\n\n안녕하세요. 금요일까지 출장 중이라 답장이 늦을 수 있습니다.\n",
    # Japanese: "Automatic reply" as the subject line, "away on business until the 10th"
    "件名: 自動返信: 打ち合わせの件\n\n10日まで出張中のため、返信が遅れます。\n",
])
def test_a_pasted_away_notice_in_korean_or_japanese_is_an_auto_reply(pasted: str) -> None:
    found = report(pasted)
    assert found["kind"] == "auto-reply"


@pytest.mark.parametrize(("answer", "reason"), [
    ("timed out", "networkerror"),
    # the server answered the connection with a refusal that names its cause
    ("554 5.7.1 Service unavailable; client [198.51.100.7] blocked using bl.example.net",
     "blocked"),
])
def test_gmails_no_connection_sentence_gives_way_to_the_servers_own_refusal(
        answer: str, reason: str) -> None:
    raw = ("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
           "To: ops@example.com\nSubject: Delivery Status Notification (Failure)\n\n"
           "Delivery to the following recipient failed permanently:\n\n"
           "     sam@example.net\n\n"
           "Technical details of permanent failure:\n"
           "The recipient server did not accept our requests to connect. Learn more at "
           f"https://support.google.com/mail/answer/7720 [mx.example.net. 203.0.113.5: {answer}]\n")
    [recipient] = report(raw)["recipients"]
    assert (recipient["address"], recipient["reason"]) == ("sam@example.net", reason)


def test_a_sending_tools_record_quoted_in_a_persons_message_is_read() -> None:
    raw = ("From: Priya Natarajan <priya@example.com>\nTo: support@example.net\n"
           "Subject: One customer never gets our receipts\n\n"
           "Hi, the activity log in your dashboard shows this for him:\n\n"
           "    Recipient address: m.osei@example.org\n"
           "    Status:            Skipped\n"
           "    Why:               address is on the suppression list since a hard bounce in May\n\n"
           "Could you take him off that list? Thanks, Priya\n")
    found = report(raw)
    assert found["kind"] == "bounce"
    [recipient] = found["recipients"]
    assert (recipient["address"], recipient["reason"]) == ("m.osei@example.org", "suppressed")


def test_a_persons_message_naming_a_recipient_without_a_failure_is_no_report() -> None:
    raw = ("From: Priya Natarajan <priya@example.com>\nTo: support@example.net\n"
           "Subject: New contact\n\n"
           "Please add this one to the newsletter:\n\n"
           "    Recipient: m.osei@example.org\n    Since: May\n")
    assert report(raw)["kind"] == "not-bounce"


def test_a_recipient_without_a_reply_does_not_take_the_next_recipients_reply() -> None:
    raw = """From: Mail Delivery System <mailer-daemon@relay.example.com>
To: desk@example.com
Subject: Returned mail
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Two recipients could not be reached:

  lee@gone.example.org
    Mailbox quota exceeded for this user

  kim@example.net
    host mx.example.net [192.0.2.8]
    550 5.7.1 <kim@example.net>: Message refused as spam

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Final-Recipient: rfc822; lee@gone.example.org
Action: failed
Status: 5.0.0

Final-Recipient: rfc822; kim@example.net
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 5.7.1 <kim@example.net>: Message refused as spam

--b1--
"""
    assert [(r["address"], r["reason"]) for r in report(raw)["recipients"]] == [
        ("lee@gone.example.org", "mailboxfull"), ("kim@example.net", "spamdetected")]


def test_a_cause_someone_says_the_notice_does_not_name_does_not_count() -> None:
    pasted = ("My mail to a client came back. All the bounce says is that her address "
              "\"is not accepting mail from this sender\". It says nothing about spam, and "
              "the link in it doesn't mention anything about a blacklist either.\n")
    [recipient] = recipients(pasted)
    assert recipient["reason"] == "filtered"


def test_a_sending_services_bounce_with_no_reply_and_no_reason_is_open_not_undefined() -> None:
    event = ('{"notificationType": "Bounce", "bounce": {"bounceType": "Undetermined", '
             '"bounceSubType": "Undetermined", "bouncedRecipients": '
             '[{"emailAddress": "ravi@example.net"}], "timestamp": "2025-03-01T10:00:00Z"}}')
    [found] = api.analyze(event)  # (an event: the library's entry point reads it)
    [recipient] = report_dict(found)["recipients"]
    assert (recipient["reason"], recipient["hard_bounce"]) == ("onhold", False)


def test_part_of_a_sending_services_failed_event_pasted_alone_is_read() -> None:
    pasted = ('it says failed but there is no reply from any server:\n'
              '  "severity": "permanent",\n'
              '  "delivery-status": {"attempt-no": 6, "message": "Too old", "code": 498}\n')
    [recipient] = recipients(pasted)
    assert (recipient["reason"], recipient["hard_bounce"]) == ("expired", False)


def test_a_pasted_notice_that_someone_has_left_is_an_auto_reply_whatever_the_question_says() -> None:
    pasted = ("Subject: Auto: Re: spring catalogue\n\n"
              "Thanks for writing. Dana Okoro is no longer with Example Tools and this inbox is\n"
              "not monitored. For orders please write to sales@example.com.\n\n"
              "Should I take her off our list? It didn't say undeliverable anywhere.\n")
    found = report(pasted)
    assert found["kind"] == "auto-reply"


def test_a_dsn_field_folding_a_reply_without_enhanced_codes_reads_as_one_sentence() -> None:
    # the first line's "550-" already read as the reply's code; the later lines keep theirs
    assert codes.drop_inline_prefixes(
        "550 You must sign in before sending. 550-mx.example.net [192.0.2.4]:5123 may not "
        "550 relay through this host without it.") == (
        "550 You must sign in before sending. mx.example.net [192.0.2.4]:5123 may not "
        "relay through this host without it.")
    # a reply quoted inside another with other codes keeps its own
    assert codes.drop_inline_prefixes("550 5.1.1 no such user; the hop before said 550-busy") == (
        "550 5.1.1 no such user; the hop before said 550-busy")


def test_the_sender_in_a_pasted_exim_log_is_no_recipient() -> None:
    pasted = ("what our server logged for the quote that never arrived:\n\n"
              "2025-06-02 10:01:12 1uAbCd-0001Xy-7Q <= mo@example.com H=(pc-mo) [192.0.2.77] "
              "P=esmtpsa S=9120\n"
              "2025-06-02 10:01:14 1uAbCd-0001Xy-7Q ** ines@example.org R=dnslookup "
              "T=remote_smtp H=mx.example.org [198.51.100.9]: SMTP error from remote mail "
              "server after RCPT TO:<ines@example.org>: 550 5.1.1 <ines@example.org>: no such "
              "user here\n"
              "2025-06-02 10:01:14 1uAbCf-0001Y2-0B <= <> R=1uAbCd-0001Xy-7Q U=Debian-exim "
              "P=local S=11020 T=\"Mail delivery failed\" from <> for mo@example.com\n")
    assert addresses(pasted) == ["ines@example.org"]


def test_a_submission_log_of_a_failed_login_names_no_recipient_and_no_tls_problem() -> None:
    pasted = ("Jul  2 08:15:03 mail postfix/submission/smtpd[301]: warning: unknown[192.0.2.45]: "
              "SASL LOGIN authentication failed: authentication failure, "
              "sasl_username=kofi@example.com\n"
              "Jul  2 08:15:03 mail postfix/submission/smtpd[301]: disconnect from "
              "unknown[192.0.2.45] ehlo=2 starttls=1 auth=0/1 commands=3/4\n")
    [recipient] = recipients(pasted)
    assert (recipient["address"], recipient["reason"]) == (None, "securityerror")


def test_a_hosting_services_plain_delay_notice_folded_over_lines_is_read() -> None:
    notice = ("From: Outbound Mail <noreply@relay.example.net>\n"
              "To: ivo@example.net\n"
              "Subject: Your email hasn't been delivered yet\n"
              "Auto-Submitted: auto-generated\n\n"
              "Your email \"Board minutes\" to kemal@example.org has not been\n"
              "delivered yet, because the receiving mail server is not responding.\n\n"
              "You need not do anything: we retry for two more days.\n")
    found = report(notice)
    assert found["kind"] == "delay"
    [recipient] = found["recipients"]
    assert (recipient["address"], recipient["reason"]) == ("kemal@example.org", "networkerror")


def test_a_give_up_notice_with_no_code_says_expired_from_its_later_paragraph() -> None:
    notice = ("From: Outbound Mail <noreply@relay.example.net>\n"
              "To: ivo@example.net\n"
              "Subject: Not delivered: Board minutes\n\n"
              "Unfortunately your email could not be delivered.\n\n"
              "  To:    kemal@example.org\n"
              "  Sent:  3 Feb 2026 08:10\n\n"
              "For five days the other side would not take it, so we stopped trying.\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("kemal@example.org", "expired")


def test_a_group_that_could_not_take_a_post_is_the_failed_recipient() -> None:
    notice = ("From: Mail Delivery Subsystem <mailer-daemon@example.org>\n"
              "To: kim@example.net\n"
              "Subject: Delivery Status Notification (Failure)\n\n"
              "Your message to the group walkers@example.org could not be posted.\n"
              "Perhaps you typed the group's name wrongly, or only members may post.\n")
    assert addresses(notice) == ["walkers@example.org"]


def test_a_log_whose_deferrals_end_in_a_bounce_is_a_failure_with_the_last_reply() -> None:
    pasted = ("May  9 08:00:01 out postfix/smtp[71]: 7A1B2C3D4E: to=<sol@example.org>, "
              "relay=none, delay=31, dsn=4.4.1, status=deferred (connect to "
              "mx.example.org[192.0.2.8]:25: Connection refused)\n"
              "May  9 09:10:44 out postfix/smtp[90]: 7A1B2C3D4E: to=<sol@example.org>, "
              "relay=mx.example.org[192.0.2.8]:25, delay=4243, dsn=5.1.1, status=bounced "
              "(host mx.example.org[192.0.2.8] said: 550 5.1.1 <sol@example.org>: no "
              "mailbox by that name (in reply to RCPT TO command))\n")
    found = report(pasted)
    [recipient] = found["recipients"]
    assert found["kind"] == "bounce"
    assert (recipient["status"], recipient["reason"], recipient["hard_bounce"]) == (
        "5.1.1", "userunknown", True)


def test_a_read_receipt_pasted_as_text_is_no_bounce() -> None:
    receipt = ("Subject: Read: Budget\n"
               "Content-Type: multipart/report; report-type=disposition-notification\n\n"
               "Your message to Ivo was displayed on 3 March.\n\n"
               "Reporting-UA: webmail.example.org\n"
               "Final-Recipient: rfc822;ivo@example.org\n"
               "Disposition: manual-action/MDN-sent-manually; displayed\n")
    found = report(receipt)
    assert found["kind"] == "not-bounce" and not found["recipients"]


def test_a_newsletter_quoting_replies_as_examples_is_no_bounce() -> None:
    digest = ("Subject: Sender tips, issue 12\n\n"
              "Three replies worth knowing:\n"
              "  - \"550 5.1.1 no such user\": take the address off your list.\n"
              "  - \"452 4.2.2 mailbox full\": try again in a day or two.\n\n"
              "You are receiving this because you signed up at example.com.\n"
              "Unsubscribe: https://example.com/u/123\n")
    found = report(digest)
    assert found["kind"] == "not-bounce" and not found["recipients"]


def test_a_bounce_in_traditional_chinese_without_a_code_is_read() -> None:
    notice = ("From: postmaster@mail.example.net\n"
              "To: wen@example.net\n"
              "Subject: 郵件退回通知\n\n"
              "您寄出的郵件無法送達下列收件者。\n\n"
              "  收件者：hua@example.org\n"
              "  原因：收件者的信箱空間已滿。\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("hua@example.org", "mailboxfull")


def test_a_help_desks_notice_names_each_recipient_on_its_to_and_cc_lines() -> None:
    notice = ("From: Desk <desk@support.example.com>\n"
              "To: agent@support.example.com\n"
              "Subject: Reply on ticket #71 not delivered\n\n"
              "Your reply on ticket #71 did not reach these people.\n\n"
              "To:  ravi@example.org\n"
              "     Reason:  550 5.1.1 no mailbox by that name\n\n"
              "Cc:  lina@example.net\n"
              "     Reason:  552 5.2.2 the mailbox is over its storage limit\n")
    assert [(r["address"], r["reason"]) for r in recipients(notice)] == [
        ("ravi@example.org", "userunknown"), ("lina@example.net", "mailboxfull")]


def test_a_help_desks_failed_mail_to_the_requester_names_the_requester() -> None:
    notice = ("From: Desk <desk@support.example.com>\n"
              "To: agent@support.example.com\n"
              "Subject: Notification for request 4410 failed\n\n"
              "We could not send the update to the requester of request 4410.\n\n"
              "Requester:  Ravi Shah <ravi@example.org>\n"
              "Error:      550 5.1.1 no mailbox by that name\n")
    assert addresses(notice) == ["ravi@example.org"]


def test_a_forms_record_with_a_failed_result_names_the_address() -> None:
    notice = ("From: Forms <no-reply@forms.example.com>\n"
              "To: owner@example.net\n"
              "Subject: Confirmation email not sent\n\n"
              "The confirmation for your form could not go out.\n\n"
              "Email field:  lina@example.org\n"
              "Result:       failed\n"
              "Reason:       the domain example.org accepts no mail (null MX)\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("lina@example.org", "notaccept")


def test_an_mtas_own_entry_for_the_address_outranks_the_prose_naming_it() -> None:
    notice = ("From: Desk <desk@support.example.com>\n"
              "To: agent@support.example.com\n"
              "Subject: Delivery failure: Re: [#90] Parts\n\n"
              "Your reply on ticket #90 to the vendor address parts@example.net was accepted\n"
              "by their server but later returned. Their report is below.\n\n"
              "----- report from mx.example.net -----\n"
              "<parts@example.net>: Command died with status 75: \"/usr/bin/ticket-import\"\n\n"
              "Status: 5.3.0\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("parts@example.net", "mailererror")


def test_a_person_naming_the_customer_in_prose_names_the_recipient() -> None:
    pasted = ("our shop's order mails stopped arriving, this came back:\n\n"
              "<<< 553 5.1.8 <orders@oldname.example.net>... Domain of sender address "
              "does not exist\n\n"
              "the customer was mila@example.org\n")
    assert addresses(pasted) == ["mila@example.org"]


def test_a_daily_report_sent_to_an_address_is_no_contact_for_help() -> None:
    pasted = ("Subject: Cron <ops@web1> /usr/local/bin/mail-report\n\n"
              "mailing the weekly stock report to stock@example.org via smtp.example.net:587\n"
              "smtplib.SMTPRecipientsRefused: {'stock@example.org': (550, b'5.1.1 no such "
              "mailbox')}\n")
    assert addresses(pasted) == ["stock@example.org"]


def test_a_report_naming_x_failed_recipients_is_read_in_any_language() -> None:
    notice = ("From: Servizio Posta <Mailer-Daemon@mta.example.net>\n"
              "To: ufficio@example.net\n"
              "Subject: Messaggio restituito\n"
              "X-Failed-Recipients: lucia@example.org\n\n"
              "Indirizzi non raggiunti:\n\n"
              "  lucia@example.org\n"
              "    host mx.example.org [192.0.2.12]\n"
              "    a TLS session is required, but the server did not offer TLS support\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("lucia@example.org", "failedstarttls")


def test_a_polish_delay_warning_is_a_delay() -> None:
    notice = ("From: Serwer Poczty <Mailer-Daemon@poczta.example.net>\n"
              "To: biuro@example.net\n"
              "Subject: Powiadomienie o poczcie\n"
              "X-Failed-Recipients: jan@example.org\n\n"
              "Wiadomość do jan@example.org nie została jeszcze dostarczona.\n\n"
              "  jan@example.org\n"
              "    host mx.example.org [192.0.2.12]: Connection timed out\n")
    found = report(notice)
    assert found["kind"] == "delay"
    assert found["recipients"][0]["reason"] == "networkerror"


def test_a_notice_saying_it_will_not_try_again_is_no_delay() -> None:
    notice = ("From: Avisos <avisos@example.com>\n"
              "To: ventas@example.com\n"
              "Subject: No hemos podido entregar su correo\n\n"
              "Su correo NO ha sido entregado.\n\n"
              "  Destinatario: luis@example.org\n"
              "  Motivo:       la dirección de correo no existe.\n\n"
              "Nuestro servidor no volverá a intentar el envío.\n")
    found = report(notice)
    assert found["kind"] == "bounce"
    assert found["recipients"][0]["reason"] == "userunknown"


def test_an_mta_report_from_a_bounces_address_is_no_list_notice() -> None:
    notice = ("From: Cloud Mail <no-reply-bounces@mail.example.com>\n"
              "To: billing@example.com\n"
              "Subject: Returned: your message to 1 recipient was not delivered\n"
              "X-Failed-Recipients: accounts@example.org\n\n"
              "Your message to accounts@example.org was refused:\n\n"
              "  accounts@example.org\n"
              "    550 5.1.1 no mailbox by that name\n")
    assert addresses(notice) == ["accounts@example.org"]


def test_a_branded_records_to_line_with_its_code_below_names_the_recipient() -> None:
    notice = ("From: \"Mail Services\" <mailer@corp.example.net>\n"
              "To: kai@corp.example.net\n"
              "Subject: Delivery Failure Notification\n\n"
              "*** NOT DELIVERED ***\n\n"
              "To:        buyer@example.org\n"
              "Subject:   RE: offer\n"
              "Code:      550 5.2.2\n"
              "Details:   The recipient's mailbox is over its quota.\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("buyer@example.org", "mailboxfull")


def test_the_writers_of_quoted_messages_are_not_recipients() -> None:
    pasted = ("Now it fails differently:\n\n"
              "  554 5.7.1 Service unavailable; Client host [192.0.2.40] blocked using "
              "zen.spamhaus.org\n\n"
              "On Tue, 4 Jun 2024 at 10:02, IT Desk <it@example.org> wrote:\n"
              "> We raised our size limit, please try again.\n"
              ">\n"
              "> On Mon, 3 Jun 2024, Ben <ben@example.com> a écrit :\n"
              "> > 552 5.3.4 Message size exceeds fixed limit\n")
    [recipient] = recipients(pasted)
    assert (recipient["address"], recipient["reason"]) == (None, "blocked")


def test_an_earlier_deferred_attempt_in_a_log_is_no_cause_of_the_last_one() -> None:
    pasted = ("Mar  3 09:14:02 relay postfix/smtp[2811]: 7D3A21C0E4: to=<ana@example.net>, dsn=4.7.1, "
              "status=deferred (host mx.example.net[192.0.2.20] said: 450 4.7.1 Greylisted, "
              "come back in 5 minutes (in reply to RCPT TO command))\n"
              "Mar  3 09:22:40 relay postfix/smtp[2904]: 7D3A21C0E4: to=<ana@example.net>, dsn=5.7.1, "
              "status=bounced (host mx.example.net[192.0.2.20] said: 550 5.7.1 content "
              "rejected as spam (in reply to end of DATA command))\n")
    [recipient] = recipients(pasted)
    assert (recipient["reason"], recipient["status"]) == ("spamdetected", "5.7.1")


def test_an_exchange_delay_notice_reads_the_last_attempts_own_reply() -> None:
    notice = ("From: Microsoft Outlook <postmaster@example.com>\n"
              "To: kai@example.com\n"
              "Subject: Delivery delayed: Q2 figures\n\n"
              "Delivery is delayed to these recipients or groups:\n\n"
              "ida@example.org\n\n"
              "This message hasn't been delivered yet. Delivery will continue to be attempted.\n\n"
              "Diagnostic information for administrators:\n\n"
              "Generating server: AM0PR01MB1234.eurprd01.prod.outlook.com\n\n"
              "ida@example.org\n"
              "Remote Server at mx.example.org returned '400 4.4.7 Message delayed'\n"
              "Last attempt: 452 4.2.2 The mailbox of this user is over quota\n")
    found = report(notice)
    assert found["kind"] == "delay"
    assert found["recipients"][0]["reason"] == "mailboxfull"


@pytest.mark.parametrize("pasted", [
    "Fwd from our host:\n\nSubject: [Abuse #77] Spam complaint regarding 192.0.2.117\n\n"
    "We received a report that your server sent unsolicited mail. Please reply within a day.\n",
    "> I never asked for this newsletter. I've reported it to my provider as spam and will\n"
    "> keep doing so.\n",
])
def test_a_complaint_pasted_in_words_is_feedback(pasted: str) -> None:
    assert report(pasted)["kind"] == "feedback"


def test_each_recipient_of_a_pasted_log_keeps_its_own_last_status() -> None:
    pasted = ("which of these do I remove?\n\n"
              "May  2 08:01:02 out postfix/smtp[3101]: 6C2D41A0F3: to=<amy@example.net>, "
              "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.61] said: 550 5.1.1 "
              "no such mailbox (in reply to RCPT TO command))\n"
              "May  2 08:01:02 out postfix/smtp[3102]: 6C2D41A0F3: to=<bo@example.org>, "
              "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4Ya7Qw1)\n"
              "May  2 08:01:33 out postfix/smtp[3103]: 6C2D41A0F3: to=<cy@example.com>, "
              "dsn=4.4.1, status=deferred (connect to mx.example.com[198.51.100.3]:25: "
              "Connection timed out)\n")
    actions = {r["address"]: r["action"] for r in recipients(pasted)}
    assert actions == {"amy@example.net": "failed", "bo@example.org": "delivered",
                       "cy@example.com": "delayed"}


def test_a_sendmail_summary_over_a_local_programs_own_words_reads_those_words() -> None:
    notice = ("From: Mail Delivery Subsystem <MAILER-DAEMON@host.example.org>\n"
              "Subject: Returned mail: see transcript for details\n\n"
              "   ----- The following addresses had permanent fatal errors -----\n"
              "\"|/usr/local/bin/sort-mail\"\n"
              "    (reason: service unavailable)\n"
              "    (expanded from: <ivo@example.org>)\n\n"
              "   ----- Transcript of session follows -----\n"
              "smrsh: \"sort-mail\" not available for sendmail programs (stat failed)\n"
              "554 5.0.0 Service unavailable\n")
    [recipient] = recipients(notice)
    assert recipient["reason"] == "mailererror"


def test_a_service_that_skipped_an_address_on_its_bounce_list_says_so() -> None:
    notice = ("From: Billbook <no-reply@notify.billbook.example.com>\n"
              "To: office@example.net\n"
              "Subject: Invoice 77 was not emailed\n\n"
              "We didn't email invoice 77 to Rana (rana@example.org): the address is on your\n"
              "account's bounce list since an earlier failure. No delivery was attempted.\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("rana@example.org", "suppressed")


def test_a_services_notice_that_a_recipient_marked_the_mail_as_junk_is_feedback() -> None:
    notice = ("From: Classnotes <alerts@classnotes.example.org>\n"
              "To: teacher@school.example.org\n"
              "Subject: A parent reported your message as spam\n\n"
              "One recipient's provider told us the recipient marked it as junk.\n\n"
              "  Feedback type ...... abuse\n")
    assert report(notice)["kind"] == "feedback"


def test_the_servers_own_entry_for_a_listed_guest_gives_the_cause() -> None:
    notice = ("From: Calendo <calendar@calendo.example.net>\n"
              "To: office@example.org\n"
              "Subject: Invitation not sent to 1 guest\n\n"
              "Your invitation went to 4 of 5 guests.\n\n"
              "Not sent:\n"
              "  kim@example.net\n\n"
              "The guest's domain takes no email at all. Our mail server reported:\n\n"
              "  <kim@example.net>: Domain example.net does not accept mail (nullMX)\n\n"
              "Ask the guest for another address and add them again.\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("kim@example.net", "notaccept")


def test_an_auto_reply_saying_the_person_no_longer_works_there_is_an_auto_reply() -> None:
    notice = ("Return-Path: <>\n"
              "From: Ana Reis <ana.reis@example.org>\n"
              "To: bounces@example.com\n"
              "Subject: Auto-Reply: Your invoice\n"
              "Auto-Submitted: auto-replied\n\n"
              "Ana no longer works for Example Tiles and nobody reads this mailbox now.\n"
              "Your message has not been passed on to anyone.\n\n"
              "For orders please write to sales@example.org.\n")
    assert report(notice)["kind"] == "auto-reply"


@pytest.mark.parametrize("words", ["no figura como miembro", "n'est pas membre de la liste",
                                   "ist kein Mitglied der Gruppe", "não é membro do grupo"])
def test_a_poster_who_is_no_member_in_another_language_is_the_sender(words: str) -> None:
    notice = ("From: Mail Delivery Subsystem <mailer-daemon@example.net>\n"
              "Subject: Undelivered Mail\n\n"
              "Your message to board@example.org could not be delivered: the group only takes\n"
              f"posts from its members. The address pedro@example.com {words}.\n\n"
              "550 5.7.1 sender not permitted to post to this group\n")
    assert [r["address"] for r in recipients(notice)] == ["board@example.org"]


def test_a_platforms_bulleted_entries_with_names_are_each_a_recipient() -> None:
    notice = ("From: Rosterly <system@rosterly.example.com>\n"
              "To: office@example.org\n"
              "Subject: Welcome email not sent to 2 new starters\n\n"
              "We skipped two addresses because they are on Rosterly's suppression list:\n\n"
              "  - Tomas Lind  <tomas@example.net>\n"
              "    suppressed since 4 Jan 2025 - an earlier email bounced (no such user)\n"
              "  - Ada Roe  <ada.roe@example.com>\n"
              "    suppressed since 9 Dec 2024 - the recipient reported an email as spam\n")
    found = [(r["address"], r["reason"]) for r in recipients(notice)]
    assert found == [("tomas@example.net", "suppressed"), ("ada.roe@example.com", "suppressed")]


def test_a_labelled_person_with_the_address_in_brackets_is_the_recipient() -> None:
    notice = ("From: Bookwell <noreply@bookwell.example.com>\n"
              "To: clinic@example.org\n"
              "Subject: We could not deliver a reminder\n\n"
              "The reminder for this appointment never reached your guest:\n\n"
              "  Guest:   Lena Ortiz (lena@example.net)\n\n"
              "We tried for two days and gave up. Last attempt: connection timed out\n")
    assert addresses(notice) == ["lena@example.net"]


def test_rows_marked_delivered_are_no_failures() -> None:
    notice = ("From: Ledgerly <alerts@ledgerly.example.com>\n"
              "To: office@example.org\n"
              "Subject: Statements to 1 customer failed\n\n"
              "| Customer | Email                | Result    |\n"
              "| Ames     | ames@example.org     | Delivered |\n"
              "| Brook    | brook@example.net    | Refused   |\n\n"
              "Reply: 550 5.7.1 Client host has no PTR record\n\n"
              "  - Carla <carla@example.com> - Entregado\n")
    assert addresses(notice) == ["brook@example.net"]


def test_a_new_address_the_reply_gives_is_no_recipient() -> None:
    reply = ("Your request could not be emailed.\n\n  Recipient: jo@example.org\n\n"
             "  551 5.1.6 <jo@example.org>: mail for this person now goes to <jo.k@example.net>\n")
    assert addresses(reply) == ["jo@example.org"]


def test_a_logged_sender_before_an_arrow_is_no_recipient() -> None:
    pasted = ("Failed    Jun 3, 2024 11:40 AM\n"
              "alerts@mg.example.com -> lee@example.net\n"
              "Delivery status: 550 5.1.1 no such user\n")
    assert addresses(pasted) == ["lee@example.net"]


def test_a_platforms_complaint_notice_in_words_is_feedback() -> None:
    notice = ("From: Schoolbell <safety@schoolbell.example.org>\n"
              "To: office@example.org\n"
              "Subject: A parent reported your reminder as spam\n\n"
              "One recipient pressed \"Report spam\" on your reminder. Their provider sent us the\n"
              "complaint through its feedback loop.\n\n"
              "  Recipient:      kim@example.net\n"
              "  Feedback type:  abuse\n")
    data = report(notice)
    assert data["kind"] == "feedback"
    assert [r["address"] for r in data["recipients"]] == ["kim@example.net"]


def test_a_platforms_delay_notice_without_a_code_is_a_delay() -> None:
    notice = ("From: Hirewell <notify@hirewell.example.net>\n"
              "To: hr@example.com\n"
              "Subject: Interview invitation to Sam Ode is delayed\n\n"
              "Candidate:  Sam Ode <sam@example.org>\n\n"
              "We haven't been able to hand the invitation to the candidate's mail server yet.\n"
              "Every attempt has failed with: connect to mx.example.org[192.0.2.9]:25: Connection refused\n"
              "We're retrying every few minutes.\n")
    data = report(notice)
    assert data["kind"] == "delay"
    assert [(r["address"], r["reason"]) for r in data["recipients"]] == [("sam@example.org", "networkerror")]


def test_a_notice_in_dutch_that_made_no_attempt_is_a_suppression() -> None:
    notice = ("From: Factuurlijn <meldingen@factuurlijn.example.com>\n"
              "To: administratie@example.net\n"
              "Subject: Herinnering niet verzonden naar Bakker BV\n\n"
              "We hebben de herinnering niet verstuurd naar:\n\n"
              "  inkoop@bakker.example.org\n\n"
              "Dit adres staat op de blokkeerlijst van uw account; we doen geen afleverpoging.\n")
    assert [(r["address"], r["reason"]) for r in recipients(notice)] == [
        ("inkoop@bakker.example.org", "suppressed")]


def test_the_returned_messages_raw_utf8_subject_is_shown_as_written() -> None:
    bounce = ("From: Mail Delivery System <mailer-daemon@mx.example.com>\n"
              "To: ola@example.net\n"
              "Subject: Undelivered Mail\n"
              "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
              "--b1\nContent-Type: text/plain; charset=utf-8\n\n"
              "Your message for <eva@example.com> was not delivered: no such user here.\n"
              "--b1\nContent-Type: message/rfc822\n\n"
              "From: Ola <ola@example.net>\nTo: eva@example.com\nSubject: Pozvánka na schůzku\n\n"
              "Ahoj\n--b1--\n").encode()
    assert report(bounce)["original"]["subject"] == "Pozvánka na schůzku"


def test_a_list_of_possible_causes_in_french_is_no_cause() -> None:
    notice = ("Votre message n'a pas pu être remis à eva@example.net.\n"
              "Causes possibles : l'adresse n'existe peut-être pas, ou la boîte a peut-être été\n"
              "désactivée.\n\n"
              "Détail technique : 552 5.2.2 <eva@example.net>: mailbox unavailable\n")
    [recipient] = recipients(notice)
    assert (recipient["reason"], recipient["hard_bounce"]) == ("mailboxfull", False)


def test_sendmails_end_of_data_reply_answered_the_data() -> None:
    bounce = ("From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"
              "Subject: Returned mail: see transcript for details\n\n"
              "   ----- The following addresses had permanent fatal errors -----\n"
              "<mio@example.com>\n"
              "    (reason: 550 Unknown user mio@example.com)\n\n"
              "   ----- Transcript of session follows -----\n"
              "... while talking to mx.example.com.:\n"
              ">>> RCPT To:<mio@example.com>\n"
              "<<< 250 ok\n"
              ">>> DATA\n"
              "<<< 354 go ahead\n"
              ">>> .\n"
              "<<< 550 Unknown user mio@example.com\n"
              "554 5.0.0 Service unavailable\n")
    [recipient] = recipients(bounce)
    assert recipient["smtp_command"] == "DATA"
    assert recipient["hard_bounce"] is False  # accepted at RCPT: a filter's refusal, not sure


def test_a_backscatter_filters_user_unknown_is_no_unknown_user() -> None:
    reply = ("550 5.1.1 <prvs=0a1b2c=jo@example.org>: user unknown - auto-reply to an invalid "
             "BATV tag, treated as backscatter")
    [recipient] = recipients(reply)
    assert (recipient["reason"], recipient["hard_bounce"]) == ("filtered", False)


def test_a_status_line_alone_takes_the_reports_words_above_it() -> None:
    notice = ("Your message couldn't be delivered\n"
              "Your message can't be sent because you've reached your daily limit for message "
              "recipients.\n\nStatus code: 550 5.1.90\n")
    [recipient] = recipients(notice)
    assert recipient["reason"] == "speeding"


def test_the_same_reply_in_two_paragraphs_is_read_for_the_recipient() -> None:
    notice = ("Your message to kit@example.net couldn't be delivered.\n"
              "Only your email admin can fix this.\n\n"
              "More Info for Email Admins\nStatus code: 550 5.7.708\n"
              "Mail from this tenant comes from IP addresses with a low reputation.\n\n"
              "Error Details\nReported error: 550 5.7.708 Access denied, traffic not accepted "
              "from this IP.\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("kit@example.net", "badreputation")


def test_sendmails_actual_recipient_is_the_failed_one_and_the_alias_its_original() -> None:
    bounce = ("From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>\n"
              "Subject: Warning: could not send message for past 4 hours\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
              "--b\n\n   ----- Transcript of session follows -----\n"
              "<kai@example.net>... Deferred: Connection timed out with mx.example.net.\n"
              "--b\nContent-Type: message/delivery-status\n\n"
              "Reporting-MTA: dns; relay.example.org\n\n"
              "Final-Recipient: RFC822; kai@dept.example.org\n"
              "X-Actual-Recipient: RFC822; kai@example.net\n"
              "Action: delayed\nStatus: 4.4.1\n--b--\n")
    [recipient] = recipients(bounce)
    assert (recipient["address"], recipient["original_recipient"]) == (
        "kai@example.net", "kai@dept.example.org")


def test_an_arrow_entry_names_the_forwards_target() -> None:
    bounce = ("From: Mail Delivery System <mailer-daemon@mailhost.example.com>\n"
              "Subject: Undeliverable: offer\n\n"
              "Your message to info@shop.example.com could not be delivered. The address forwards\n"
              "to lena@example.net, whose server refused it.\n\n"
              "Affected address:\n  info@shop.example.com -> lena@example.net\n\n"
              "Reply: 552 5.2.2 mailbox quota exceeded\n")
    [recipient] = recipients(bounce)
    assert (recipient["address"], recipient["original_recipient"]) == (
        "lena@example.net", "info@shop.example.com")


@pytest.mark.parametrize("line", ["(Deferred: Connection timed out with mx.example.net.)",
                                  "Retrying in 00:30:00 (attempt 3)"])
def test_queue_tools_say_delivery_is_still_being_tried(line: str) -> None:
    pasted = f"Delivery failed for <rae@example.org>: 450 4.2.1 mailbox busy\n{line}\n"
    assert report(pasted)["kind"] == "delay"


def test_a_reply_whose_lines_repeat_only_the_enhanced_code_is_one_sentence() -> None:
    # smtplib keeps a multi-line reply's lines without their "550-", each still opening
    # with the enhanced code
    reply = ("550 5.7.1 Mail from this address is not authorized to\n"
             "5.7.1 send directly to our servers; use your provider's relay\n5.7.1 instead.")
    assert codes.unwrap_reply(reply) == ("550 5.7.1 Mail from this address is not authorized to "
                                         "send directly to our servers; use your provider's "
                                         "relay instead.")


def test_an_smtplib_refusal_printed_with_escaped_line_breaks_is_read_whole() -> None:
    pasted = ("smtplib.SMTPRecipientsRefused: {'ola@example.com': (550, b\"5.7.1 Hosts on this "
              "network are not allowed to\\n5.7.1 send email directly to us; please relay "
              "through\\n5.7.1 your provider.\")}")
    [recipient] = recipients(pasted)
    assert "allowed to send email directly" in recipient["diagnostic"]
    assert recipient["reason"] == "blocked"


def test_a_dsns_vague_diagnostic_takes_the_reports_sentence_about_the_recipient() -> None:
    bounce = ("From: Mail Server <mailer@host.example.net>\nSubject: Delivery failed\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=\"q\"\n\n"
              "--q\nContent-Type: text/plain\n\n"
              "Your note to tam@example.org could not be delivered.\n\n"
              "The mailbox tam@example.org was deactivated by its organisation and cannot\n"
              "receive mail at the moment.\n\n"
              "--q\nContent-Type: message/delivery-status\n\n"
              "Reporting-MTA: dns; host.example.net\n\n"
              "Final-Recipient: rfc822; tam@example.org\nAction: failed\nStatus: 5.0.0\n"
              "Diagnostic-Code: X-Local; delivery failed\n--q--\n")
    [recipient] = recipients(bounce)
    assert (recipient["reason"], recipient["hard_bounce"]) == ("suspend", False)


@pytest.mark.parametrize("said", ["Letzter Fehler: Zeitüberschreitung beim Verbindungsaufbau",
                                  "Dernier échec : délai d'attente dépassé vers le serveur"])
def test_a_notices_last_error_in_another_language_is_read_below_the_address(said: str) -> None:
    notice = ("Die Nachricht konnte nicht zugestellt werden. Wir haben es drei Tage lang "
              "versucht.\nFolgender Empfänger ist betroffen:\n\n    ute@example.net\n\n"
              f"{said}\n")
    [recipient] = recipients(notice)
    assert recipient["reason"] == "networkerror"


def test_a_notice_that_stopped_trying_is_final_not_a_delay() -> None:
    notice = ("We could not deliver your message to ida@example.org: our server stopped "
              "trying after three days.\n\nThe last reply was:\n451 4.3.0 Try again later\n")
    assert report(notice)["kind"] == "bounce"


@pytest.mark.parametrize("said", [
    "Your message to ann@example.org was rejected by the recipient's server.",
    "550 Razón: Dirección del destinatario rechazado: acceso negado.",
])
def test_a_refusal_by_the_recipients_server_is_not_the_recipients_own_choice(said: str) -> None:
    assert recipients(said)[0]["reason"] != "filtered"


def test_the_servers_request_to_confirm_the_address_is_no_claim_that_it_is_right() -> None:
    reply = ("We are sorry, your mail could not reach this recipient:\n  lin@example.com\n\n"
             "Failure reason: the mailbox of the recipient does not exist. Please confirm the "
             "address is correct and then send again.\nServer answer: 550 Mailbox not found\n")
    [recipient] = recipients(reply)
    assert (recipient["reason"], recipient["confidence"]) == ("userunknown", "high")


def test_an_exim_notice_pasted_from_its_subject_line_names_the_recipient_below_it() -> None:
    pasted = ("Mail delivery failed: returning message to sender\n\n  kay@example.net\n"
              "    SMTP error from remote mail server after end of data:\n"
              "    550 5.7.1 message refused by local policy\n")
    assert [r["address"] for r in recipients(pasted)] == ["kay@example.net"]


def test_an_unknown_user_in_a_sender_check_quoted_by_the_refusal_is_about_the_sender() -> None:
    reply = ("550 5.1.1 <ads@example.com>: Sender address rejected: undeliverable address: "
             "host mx.example.com[192.0.2.4] said: 550 5.1.1 <ads@example.com>: Recipient address "
             "rejected: User unknown in local recipient table")
    [recipient] = recipients(reply)
    assert (recipient["reason"], recipient["hard_bounce"]) == ("rejected", False)


@pytest.mark.parametrize("return_path", ["bounces+ivo.kral=example.org@mail.example.com",
                                         "b-00c4e1f9-ivo.kral=example.org@rp.example.com"])
def test_a_verp_return_path_names_the_recipient_a_report_leaves_out(return_path: str) -> None:
    bounce = (f"From: MAILER-DAEMON@relay.example.org\nTo: {return_path}\n"
              f"Delivered-To: {return_path}\nSubject: Undeliverable mail\n\n"
              "Your message could not be delivered.\n"
              "Remote server said: 550 5.1.1 Mailbox does not exist\n")
    assert [r["address"] for r in recipients(bounce)] == ["ivo.kral@example.org"]


def test_a_message_id_labelled_with_a_space_is_no_recipient() -> None:
    bounce = ("From: postmaster@gw.example.net\nTo: sender@example.com\n"
              "Subject: Delivery Status Notification (Failure)\n\n"
              "Delivery failed.\n\nMessage ID:  <a1b2c3d4@mailer.example.com>\n"
              "Reason:      552 5.2.2 Over quota\n")
    assert all(r["address"] != "a1b2c3d4@mailer.example.com" for r in recipients(bounce))


def _classic_ndr(entry: str, reason: str, to: str) -> str:
    return ("From: System Administrator <postmaster@example.com>\nTo: ben@example.com\n"
            "Subject: Undeliverable: plans\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"nd\"\n\n--nd\nContent-Type: text/plain\n\n"
            "Your message did not reach some or all of the intended recipients.\n\n"
            "The following recipient(s) cannot be reached:\n\n"
            f"      {entry} on 02/03/2025 10:00\n            {reason}\n\n"
            "--nd\nContent-Type: message/rfc822\n\n"
            f"From: Ben <ben@example.com>\nTo: {to}\nSubject: plans\n\nhello\n\n--nd--\n")


def test_a_classic_ndr_naming_a_display_name_finds_the_address_in_the_returned_message() -> None:
    bounce = _classic_ndr("Rosa Lind", "<mx.example.org #5.1.1 smtp;550 5.1.1 unknown mailbox>",
                          '"Rosa Lind" <rosa@example.org>, "Per Holm" <per@example.org>')
    assert [r["address"] for r in recipients(bounce)] == ["rosa@example.org"]


def test_a_classic_ndr_names_the_recipient_its_reply_quotes_but_not_the_sender() -> None:
    quoted = _classic_ndr("'Rosa Lind'", "<mx.example.org #5.2.2 smtp;552 5.2.2 quota "
                          "exceeded for rosa@example.org>", "rosa@example.org")
    assert [r["address"] for r in recipients(quoted)] == ["rosa@example.org"]
    sender = _classic_ndr("'Accounts'", "Server error: '553 Relaying disallowed as ben@example.com'",
                          "accounts@example.net")
    assert all(r["address"] != "ben@example.com" for r in recipients(sender))


def test_a_report_naming_nobody_takes_the_last_hops_envelope_recipient() -> None:
    bounce = ("From: gateway@example.org\nTo: sam@example.com\nSubject: Delivery failure\n"
              "Content-Type: multipart/mixed; boundary=\"g\"\n\n--g\nContent-Type: text/plain\n\n"
              "Your message could not be delivered.\n\n"
              "Reason: 550 5.2.1 This mailbox is disabled.\n\n"
              "--g\nContent-Type: text/rfc822-headers\n\n"
              "Received: from lists.example.com by mx.example.org; for <oli@example.org>; "
              "Wed, 12 Jun 2024 08:41:07 +0200\n"
              "From: sam@example.com\nTo: club@lists.example.com\nSubject: agenda\n\n--g--\n")
    assert [r["address"] for r in recipients(bounce)] == ["oli@example.org"]


def test_a_domino_report_naming_a_notes_name_takes_the_returned_messages_to() -> None:
    bounce = ("From: Mail Router <postmaster@notes.example.org>\nTo: buyer@example.com\n"
              "Subject: DELIVERY FAILURE: Intended recipient not in Domino Directory\n"
              "Content-Type: multipart/mixed; boundary=\"d\"\n\n--d\nContent-Type: text/plain\n\n"
              "Your message\n\n  Subject: prices\n\nwas not delivered to:\n\n"
              "  Eva Lund/Sales/EXAMPLE@EXAMPLE\n\nbecause:\n\n"
              "  Intended recipient not in Domino Directory\n\n"
              "--d\nContent-Type: message/rfc822\n\nFrom: buyer@example.com\n"
              "To: eva.lund@example.org\nCc: team@example.org\nSubject: prices\n\nhi\n\n--d--\n")
    [recipient] = recipients(bounce)
    assert (recipient["address"], recipient["reason"], recipient["hard_bounce"]) == (
        "eva.lund@example.org", "userunknown", True)


def test_a_forwards_failure_keeps_the_address_written_to_as_its_original() -> None:
    bounce = ("From: MAILER-DAEMON@mail.example.org\nTo: shop@example.com\nSubject: failure notice\n\n"
              "Hi. This is the qmail-send program at mail.example.org.\n"
              "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
              "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
              "<nils@gone.example.net>:\nSorry, I couldn't find any host named gone.example.net. "
              "(#5.1.2)\n\n--- Below this line is a copy of the message.\n\n"
              "Return-Path: <shop@example.com>\nDelivered-To: nils@example.org\n"
              "Received: from out.example.com by mail.example.org with SMTP\n"
              "From: shop@example.com\nTo: Nils <nils@example.org>\nSubject: order\n\nthanks\n")
    [recipient] = recipients(bounce)
    assert (recipient["address"], recipient["original_recipient"]) == (
        "nils@gone.example.net", "nils@example.org")


def test_a_notice_in_italian_names_the_failed_address_and_not_the_one_that_got_it() -> None:
    bounce = ("From: \"Sistema di posta\" <mailer-daemon@smtp.example.net>\nTo: office@example.net\n"
              "Subject: Messaggio non recapitato\n\n"
              "Il messaggio non è stato recapitato a uno dei destinatari.\n\n"
              "Il dominio dell'indirizzo lia@nodomain.example.net non esiste (NXDOMAIN).\n\n"
              "L'altro destinatario (max@example.com) ha ricevuto il messaggio regolarmente.\n")
    assert [r["address"] for r in recipients(bounce)] == ["lia@nodomain.example.net"]


@pytest.mark.parametrize("pasted", [
    "SMTP Error: The following recipients failed: kim@example.net: Relay access den…",
    "log says: mailer refused kim@example.net, Relay access den…\nno idea why, it used to work",
])
def test_a_reply_cut_off_mid_word_is_read_with_the_word_it_begins_but_unsure(pasted: str) -> None:
    [recipient] = recipients(pasted)
    assert (recipient["reason"], recipient["confidence"]) == ("norelaying", "low")
    assert "cut off" in recipient["confidence_note"]


def test_an_ellipsis_after_a_whole_word_is_no_cut_word() -> None:
    from bouncefix.rules import spelling

    assert spelling.completions("We tried again...\n") is None


def test_a_sender_refused_for_the_login_names_neither_the_sender_nor_the_login() -> None:
    pasted = ("Il server ha rifiutato l'indirizzo del mittente. La risposta del server era:\n"
              "550 5.7.1 <offerte@example.com>: mittente non autorizzato per l'utente "
              "autenticato banco@example.com (mail from)\n")
    [recipient] = recipients(pasted)
    assert (recipient["address"], recipient["reason"]) == (None, "securityerror")


def test_a_reason_label_over_the_reply_in_the_next_paragraph_takes_that_reply() -> None:
    notice = ("Vaše zpráva pro <ota@example.cz> nemohla být doručena.\n\n"
              "Your message for <ota@example.cz> could not be delivered.\n\n"
              "Důvod / Reason:\n---------------\n\n5.1.1 xyz; no service for this user\n")
    [recipient] = recipients(notice)
    assert (recipient["address"], recipient["reason"]) == ("ota@example.cz", "userunknown")


def test_a_log_export_under_a_title_line_names_only_the_rows_that_bounced() -> None:
    pasted = ("Delivery log export:\n\nTime,From,To,Status,Response\n"
              "2025-03-02 09:00:01 UTC,news@example.com,ok@example.net,Delivered,\"250 2.0.0 Ok\"\n"
              "2025-03-02 09:00:02 UTC,news@example.com,gone@example.org,Bounced,"
              "\"550 5.1.1 no such mailbox\"\n")
    failed = [r["address"] for r in recipients(pasted) if r["action"] == "failed"]
    assert failed == ["gone@example.org"]


@pytest.mark.parametrize(("pasted", "reason"), [
    ("Το μήνυμά σας προς <eleni@example.net> δεν έχει παραδοθεί ακόμη. Ο διακομιστής θα "
     "συνεχίσει να προσπαθεί.\nΑιτία: λήξη χρονικού ορίου σύνδεσης με mx.example.net", "networkerror"),
    ("لم يتم إرسال الرسالة: لقد تجاوزت الحد المسموح به لعدد الرسائل اليوم.", "speeding"),
    ("554 5.7.1 Адресу 192.0.2.8 внесено до чорного списку.", "blocked"),
])
def test_replies_in_greek_arabic_and_ukrainian_name_their_cause(pasted: str, reason: str) -> None:
    assert recipients(pasted)[0]["reason"] == reason


def test_a_moderators_rejection_gives_way_to_the_reason_the_moderator_gave() -> None:
    notice = ("Your posting to the Birders list has been rejected by the list moderator.\n"
              "The moderator gave this reason:\n\n"
              "\"The message is too big: 12 MB where the list takes at most 1 MB.\"\n")
    assert recipients(notice)[0]["reason"] == "mesgtoobig"


def test_a_log_lines_labelled_list_names_every_address_in_it() -> None:
    pasted = ("2024-05-27 10:14:02 WARN Mailer : refused addresses: [ada@example.com, bo@example.com]\n"
              "SMTPAddressFailedException: 550 5.1.1 no such user\n")
    assert sorted(r["address"] for r in recipients(pasted)) == ["ada@example.com", "bo@example.com"]


def test_a_dsns_action_delayed_outranks_a_family_parsers_default_failure() -> None:
    bounce = ("From: Mail Delivery System <MAILER-DAEMON@eu-smtp-1.mimecast.com>\n"
              "To: kit@example.com\nSubject: Delayed: board papers\nX-MC-Unique: a1b2c3\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=\"m\"\n\n"
              "--m\nContent-Type: text/plain\n\nMimecast could not hand your message on yet:\n\n"
              "  board@example.org\n\nThe receiving server said: 451 please come back later\n\n"
              "--m\nContent-Type: message/delivery-status\n\n"
              "Reporting-MTA: dns; eu-smtp-1.mimecast.com\n\n"
              "Final-Recipient: rfc822; board@example.org\nAction: delayed\nStatus: 4.0.0\n"
              "Diagnostic-Code: smtp; 451 please come back later\n--m--\n")
    assert report(bounce)["kind"] == "delay"
