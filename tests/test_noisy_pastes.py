"""Bounces pasted with the markup of the place they came from (HTML source, JSON log
fields, chat questions, forwarded threads), and the reading rules that keep such noise
out of the answer. Every text here is written for this file."""

from __future__ import annotations

import pytest

from bouncefix.analysis import analyze_bytes
from bouncefix.mail import decode_qmail_log
from bouncefix.mime.markup import readable_addresses, unmarkup
from bouncefix.model import Action
from bouncefix.parse import codes, forwarded
from bouncefix.rules import hedges


def _first(text: str) -> tuple[str, str | None, str, str, bool]:
    """(kind, address, action, reason, hard) of the first recipient of `text`."""
    reports = analyze_bytes(text.encode())
    report = reports[0]
    assert report.recipients, report
    r = report.recipients[0]
    return (report.kind.value, r.finding.address, r.finding.action.value,
            r.diagnosis.reason.value, r.diagnosis.hard_bounce)


# ---------------------------------------------------------------- addresses hidden or broken
@pytest.mark.parametrize(("pasted", "readable"), [
    ("mail to rosa.ng (at) example (dot) net comes back", "mail to rosa.ng@example.net comes back"),
    ("forwarding to pim[at]example[dot]org fails", "forwarding to pim@example.org fails"),
    ("RCPT TO:<Ola.Berg at example.org>:", "RCPT TO:<Ola.Berg@example.org>:"),
    ("  ola.berg at example.org\n    host mx", "  ola.berg@example.org\n    host mx"),
    ("GET /hook?rcpt=ola%40example.org&t=1", "GET /hook?rcpt=ola@example.org&t=1"),
    ("'ola@mail.example.\n> org' on 3 May", "'ola@mail.example.org' on 3 May"),
])
def test_hidden_encoded_and_wrapped_addresses_are_written_out(pasted: str,
                                                              readable: str) -> None:
    assert readable_addresses(pasted) == readable


@pytest.mark.parametrize("prose", [
    "we meet at example.com on Monday",                 # "at" in a sentence
    "write to ola@example.org.\nThanks, Pim",           # a sentence that ends with an address
    "the (at) sign and the [dot] key",                  # the words alone
    "look at www.example.org for details",
])
def test_prose_keeps_its_words(prose: str) -> None:
    assert readable_addresses(prose) == prose


def test_html_numeric_entities_are_read() -> None:
    html = "<p>mail to ola&#46;berg&#64;example&#46;org fails</p>\n<p>see below</p>"
    assert "ola.berg@example.org" in unmarkup(html)


# ---------------------------------------------------------------- qmail-send's log encoding
QMAIL_LINE = ("@4000000067a0b1c20a1b2c3d delivery 812: deferral: "
              "203.0.113.9_does_not_like_recipient./Remote_host_said:_452_4.2.2_The_inbox_of"
              "_<mo@example.net>_is_over_its_storage_limit/See_https://help.example.net/q/a1/"
              "Giving_up_on_203.0.113.9./")


def test_a_qmail_delivery_line_gets_its_spaces_and_lines_back() -> None:
    decoded = decode_qmail_log(QMAIL_LINE)
    assert "Remote host said: 452 4.2.2 The inbox of <mo@example.net> is over" in decoded
    assert "\nGiving up on 203.0.113.9." in decoded
    assert "See https://help.example.net/q/a1\n" in decoded  # a URL keeps its slashes
    assert _first(QMAIL_LINE) == ("delay", "mo@example.net", "delayed", "mailboxfull", False)


def test_underscores_elsewhere_are_left_alone() -> None:
    text = "the delivery report of user_name@example.org: 550 no_such_user"
    assert decode_qmail_log(text) == text


# ---------------------------------------------------------------- markup
def test_html_source_becomes_its_text() -> None:
    html = ("<div><p>Could not deliver to <b>lee@example.net</b></p><br>\n"
            "<p>550 5.1.1 mailbox &quot;lee&quot; unknown</p></div>")
    assert unmarkup(html).split("\n") == ["Could not deliver to lee@example.net", "",
                                          '550 5.1.1 mailbox "lee" unknown', "", ""]


def test_html_escaped_once_more_is_read_as_html() -> None:
    text = ("&lt;p&gt;We could not reach &lt;a href=&quot;mailto:kim@example.org&quot;&gt;"
            "kim@example.org&lt;/a&gt;&lt;/p&gt;&lt;p&gt;552 5.2.2 over quota&lt;/p&gt;")
    assert "kim@example.org" in unmarkup(text)
    assert "&lt;" not in unmarkup(text) and "<p>" not in unmarkup(text)


def test_json_escaped_report_gets_its_lines_back() -> None:
    text = ('{"level":"warn","msg":"Final-Recipient: rfc822; ida@example.org\\nAction: failed'
            '\\nStatus: 5.2.2\\nDiagnostic-Code: smtp; 552 \\"quota\\""}')
    out = unmarkup(text)
    assert "\nAction: failed\nStatus: 5.2.2\n" in out and '552 "quota"' in out


@pytest.mark.parametrize("text", [
    "550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown",
    "host mx.example.org[192.0.2.1] said: <b> is not a tag here",  # one tag is not markup
    "a path C:\\new\\folder and one more \\n",  # escapes fewer than real line breaks
])
def test_plain_text_is_left_alone(text: str) -> None:
    assert unmarkup(text) == text


def test_pasted_html_dsn_is_read_field_by_field() -> None:
    pasted = ("Final-Recipient: rfc822; omar@example.net<br>\nAction: failed<br>\n"
              "Status: 5.2.2<br>\nDiagnostic-Code: smtp; 552 5.2.2 Storage for this user is"
              " used up<br>\n")
    assert _first(pasted)[1:4] == ("omar@example.net", "failed", "mailboxfull")


def test_an_address_ends_where_no_domain_character_stands() -> None:
    assert codes.clean_address("omar@example.net<br") == "omar@example.net"
    assert codes.clean_address("omar@example.net&gt;") == "omar@example.net"


# ---------------------------------------------------------------- numbers that are no code
def test_a_telephone_number_holds_no_reply_code() -> None:
    assert codes.find_reply_code("Call me: +1 555 0100") is None
    assert codes.find_reply_code("Tel: 555-0199") is None
    assert codes.find_reply_code("555 5.7.1 refused") == "555"
    # a program's field for an HTTP status is no reply code
    assert codes.find_reply_code('{"code": 412, "statusCode": 422}') is None
    assert codes.find_reply_code("Status code: 550 5.1.10") == "550"
    # after a typographic or CJK quote mark
    assert codes.find_reply_code("远程服务器返回“550 5.4.1 Recipient address rejected”") == "550"
    assert codes.find_reply_code("Der Server antwortete „451 4.7.1 später“") == "451"
    # at the end of a sentence
    assert codes.find_reply_code("For all other matters, call the switchboard at 555-0142.") is None
    assert codes.find_reply_code("550 5.1.1 gone; reach us on 555-0142.") == "550"


# ---------------------------------------------------------------- questions
def test_a_question_starts_at_its_question_word() -> None:
    words = "relay says retry timeout exceeded does anyone know if their server is down?"
    spans = hedges.hedged_spans(words)
    assert spans and words[spans[0][0]:].startswith("does anyone")


def test_chat_question_after_a_quoted_report_keeps_the_report() -> None:
    chat = ("Sam 09:12\n> The following address failed:\n>   pat@example.org\n"
            ">     retry timeout exceeded\nanyone know if this means their server is gone?\n")
    kind, address, _action, reason, hard = _first(chat)
    assert (kind, address, reason, hard) == ("bounce", "pat@example.org", "expired", False)


# ---------------------------------------------------------------- queued, not failed
@pytest.mark.parametrize("line", [
    "to=<lu@example.net>, relay=mx.example.net[192.0.2.8]:25, dsn=4.2.0, status=deferred"
    " (host said: 450 4.2.0 mailbox busy)",
    "Status : Retry\nLastError : 451 4.4.0 DNS query failed\nNextRetryTime : 5/6/2024",
    # "we will try again" in Spanish and Portuguese notices, the reply in English
    "No pudimos entregar tu correo a lu@example.net. Volverá a intentarlo durante 30 horas."
    "\nEl servidor no respondió: connection to mx.example.net timed out",
    "Falha ao entregar para lu@example.net. O servidor tentará de novo mais tarde."
    "\nO servidor não respondeu: connection to mx.example.net timed out",
    # the queue a message sits in, as an admin console or a question names it
    "Mail Queues > Deferred: 40 messages\nReason: connect to mx.example.net[192.0.2.8]:25:"
    " Connection timed out\nRecipient: lu@example.net",
    "about 200 mails in the deferred queue, all to lu@example.net: connect to"
    " mx.example.net[192.0.2.8]:25: Connection timed out",
    # Exim's delay warning, pasted from its subject down
    "Warning: message 1tAbCd-000Xy1-9Q delayed 3 hours\n  lu@example.net\n"
    "    Delay reason: host mx.example.net [192.0.2.8]: Connection timed out",
])
def test_queue_states_are_delays(line: str) -> None:
    kind, _address, action, _reason, hard = _first(line)
    assert (kind, action, hard) == ("delay", "delayed", False)


# ---------------------------------------------------------------- forwarded inline
_FORWARD = """From: Hana Ito <hana@example.com>
To: Support <support@example.com>
Subject: FW: my quote never arrived
Date: Mon, 2 Dec 2024 10:00:00 +0000

Could you look at this? Thanks, Hana

-----Original Message-----
From: Mail Delivery System <MAILER-DAEMON@smtp.example.com>
Sent: Monday, 2 December 2024 09:40
To: hana@example.com
Subject: Undelivered Mail Returned to Sender

<ravi@example.org>: host mx.example.org[192.0.2.30] said: 552 5.3.4 Message
    is larger than this server accepts (in reply to end of DATA command)

-----Original Message-----
From: Hana Ito
To: Ravi
Subject: quote
"""


def test_a_bounce_forwarded_by_its_addressee_is_read() -> None:
    assert len(forwarded.reports_inside(_FORWARD.split("\n\n", 1)[1])) == 1
    kind, address, _action, reason, _hard = _first(_FORWARD)
    assert (kind, address, reason) == ("bounce", "ravi@example.org", "mesgtoobig")


def test_a_reply_to_the_bounced_sender_quoting_the_bounce_is_no_bounce() -> None:
    reply = _FORWARD.replace("From: Hana Ito <hana@example.com>\nTo: Support <support@example.com>",
                             "From: Ravi Rao <ravi.rao@example.org>\nTo: Hana <hana@example.com>")
    reply = reply.replace("FW: my quote never arrived", "RE: Undelivered Mail Returned to Sender")
    assert analyze_bytes(reply.encode())[0].kind.value == "not-bounce"


def test_a_separator_without_a_report_header_yields_nothing() -> None:
    text = "note\n\n---------- Forwarded message ---------\nFrom: Ann <ann@example.org>\n" \
           "Subject: lunch\n\nsee you at noon\n"
    assert forwarded.reports_inside(text) == []


# ---------------------------------------------------------------- the stated cause
@pytest.mark.parametrize(("reply", "reason"), [
    ("550 5.7.0 Message from this sender refused because it reads like bulk advertising mail",
     "spamdetected"),
    ("554 Refused: your mail server is rejected due to a listing on our DNS blocklist",
     "blocked"),
    ("550 Message rejected because the sending domain publishes no SPF record", "authfailure"),
])
def test_the_words_after_because_name_the_cause(reply: str, reason: str) -> None:
    assert _first(reply)[3] == reason


def test_each_log_line_keeps_its_own_status() -> None:
    paste = ("to=<ivo@nowhere.example>, relay=none, status=bounced (Host or domain name not"
             " found. Name service error for name=nowhere.example type=A: Host not found)\n"
             "to=<mei@example.com>, relay=none, status=deferred (connect to"
             " mx.example.com[192.0.2.3]:25: Connection timed out)\n")
    recipients = analyze_bytes(paste.encode())[0].recipients
    got = [(r.finding.address, r.finding.action.value, r.diagnosis.hard_bounce)
           for r in recipients]
    assert got == [("ivo@nowhere.example", "failed", True),
                   ("mei@example.com", "delayed", False)]


@pytest.mark.parametrize(("text", "code"), [
    ("Message count quota exceeded (240 in 3600s)", None),  # a count, no reply code
    ("=== TLS started with cipher TLS_AES_256_GCM_SHA384:256", None),
    ("<~* 535 5.7.8 Error: authentication failed", "535"),
    ("250 2.0.0 Ok: queued as 4F1A2", "250"),
])
def test_only_real_reply_codes_are_read(text: str, code: str | None) -> None:
    assert codes.find_reply_code(text) == code


def test_log_lines_of_the_same_message_say_why() -> None:
    log = ("Jun  2 10:00:01 mx clamav-milter[77]: Message 9C1D2E3F4A from <a@example.com> to"
           " <tim@example.org> infected by Win.Trojan.Fake-1\n"
           "Jun  2 10:00:01 mx postfix/cleanup[88]: 9C1D2E3F4A: milter-reject: END-OF-MESSAGE"
           " from out.example.com[198.51.100.9]: 5.7.1 Command rejected; from=<a@example.com>"
           " to=<tim@example.org> proto=ESMTP\n")
    _kind, address, _action, reason, hard = _first(log)
    assert (address, reason, hard) == ("tim@example.org", "virusdetected", False)


def test_log_lines_of_the_same_connection_say_why() -> None:
    log = ("Jun  2 10:00:01 mx postfix/postscreen[9]: DNSBL rank 4 for [203.0.113.9]:5150\n"
           "Jun  2 10:00:02 mx postfix/postscreen[9]: NOQUEUE: reject: RCPT from"
           " [203.0.113.9]:5150: 550 5.3.2 Service currently unavailable;"
           " from=<a@example.com>, to=<eve@example.org>, proto=ESMTP\n")
    _kind, address, _action, reason, hard = _first(log)
    assert (address, reason, hard) == ("eve@example.org", "blocked", False)


@pytest.mark.parametrize("notice", [
    "Adresse non encore distribuée : zoe@example.org. Les tentatives de distribution continuent.",
    "zoe@example.orgへのメールは配信が遅れています。システムが自動的に再送を続けています。",
    "A entrega para zoe@example.org atrasou; as tentativas de entrega continuam.",
    # "only a warning; you need not send it again yet" in Czech and Polish
    "Jde jen o upozornění, zprávu zatím nemusíte odesílat znovu.",
    "To jest tylko ostrzeżenie: wiadomość nie została jeszcze doręczona.",
])
def test_still_trying_in_more_languages_is_a_delay(notice: str) -> None:
    from bouncefix.parse import text

    assert text.STILL_TRYING.search(notice) or text.STILL_TRYING_MORE.search(notice)
    assert any(word in notice.lower() for word in text._MORE_WORDS + text._STILL_TRYING_WORDS)


def test_an_exchange_delay_notice_in_czech_is_a_delay() -> None:
    notice = """Doručení těmto příjemcům se zpozdilo:

eva@example.org

Diagnostické informace pro správce:
Generující server: AM0P190MB0123.EURP190.PROD.OUTLOOK.COM

eva@example.org
Remote Server at mx.example.org (192.0.2.8) returned '400 4.4.7 Message delayed'
"""
    kind, address, action, _reason, hard = _first(notice)
    assert (kind, address, action, hard) == ("delay", "eva@example.org", "delayed", False)


def test_a_paste_cut_off_mid_word_never_drops_the_address() -> None:
    cut = ("<ana@mail.example.net>: Host or domain name not found. Name service error"
           " for name=mail.example.net type=MX: Host not fo…")
    whole = cut[:-3] + "found"
    assert _first(cut)[3:] == ("hostunknown", False)
    assert _first(whole)[3:] == ("hostunknown", True)


def test_an_esp_event_pasted_after_a_log_prefix_is_read_as_the_event() -> None:
    from pathlib import Path

    from bouncefix.api import analyze

    event = (Path(__file__).parent / "events" / "resend-events.jsonl").read_text().split("\n")[0]
    reports = analyze(f"2026-03-02T10:14:10Z INFO webhook: {event}\n".encode())
    assert [(r.esp, r.recipients[0].finding.address, r.recipients[0].diagnosis.reason.value)
            for r in reports] == [("resend", "kim.lee@example.org", "userunknown")]
    pretty = analyze(("$ curl -s https://api.example.com/events | jq .\n"
                      + event.replace(",", ",\n  ") + "\n").encode())
    assert [r.esp for r in pretty] == ["resend"]


def test_yahoos_policy_code_does_not_outweigh_the_words() -> None:
    reply = ("554 5.7.9 Message not accepted for policy reasons: DMARC check failed for"
             " example.com, p=reject (in reply to end of DATA command)")
    assert _first(reply)[3] == "authfailure"


def test_a_pasted_auto_reply_with_its_header_lines_is_an_auto_reply() -> None:
    paste = ("is this a bounce?\n\nSubject: Re: order 12 [Auto-Reply]\nPrecedence: auto_reply\n\n"
             "Thank you for your message. This mailbox is no longer read; please write to"
             " orders@example.net instead.\n")
    report = analyze_bytes(paste.encode())[0]
    assert report.kind.value == "auto-reply"


def test_a_transcript_refused_after_data_is_no_delivery() -> None:
    text = """\
RCPT TO:<pia@example.org>
250 2.1.5 Recipient ok
DATA
354 End data with <CR><LF>.<CR><LF>
Subject: hello

just a test
.
554 5.7.1 Message refused: content looks like spam
QUIT
221 2.0.0 Bye
"""
    [report] = analyze_bytes(text.encode())
    [recipient] = report.recipients
    assert recipient.finding.action is Action.FAILED
    assert recipient.finding.smtp_command == "DATA"
    assert recipient.diagnosis.reason.value == "spamdetected"


@pytest.mark.parametrize("told", [
    "my sister says yahoo told me something like the mailbox does not exist anymore",
    "Es kam sofort zurück, da stand irgendwas von wegen Benutzer unbekannt.",
    "the email said the address wasn't found, not sure what that means",
])
def test_a_retold_notice_is_never_grounds_to_drop_the_address(told: str) -> None:
    [report] = analyze_bytes(told.encode())
    for recipient in report.recipients:
        assert recipient.diagnosis.confidence.value == "low"
        assert not recipient.diagnosis.hard_bounce


def test_the_notice_in_its_own_words_is_not_hearsay() -> None:
    [report] = analyze_bytes(b"The email address you entered couldn't be found.")
    assert report.recipients[0].diagnosis.confidence.value != "low"


def test_a_report_row_pasted_before_the_question_is_not_hearsay() -> None:
    # the tool's own words stand in the row; "it says" only comes back to them later
    pasted = ("Row from the newsletter tool's export:\n"
              "Email,Name,Result\n"
              "pat@example.org,Pat,Mailbox does not exist\n"
              "Odd, she answered me last month, and now it says it does not exist?\n")
    [report] = analyze_bytes(pasted.encode())
    [recipient] = report.recipients
    assert recipient.diagnosis.reason.value == "userunknown"
    assert recipient.diagnosis.confidence.value != "low"


# ---------------------------------------------------------------- clients quoting servers
def test_a_client_message_quoting_the_server_is_judged_by_the_server_words() -> None:
    # .NET's fixed sentence names two possible causes; the server's reply names one
    pasted = ("Exception calling Send: The SMTP server requires a secure connection or the "
              "client was not authenticated. The server response was: 5.7.0 Must issue a "
              "STARTTLS command first")
    assert _first(pasted)[3] == "failedstarttls"
    pasted = ("Exception calling Send: The SMTP server requires a secure connection or the "
              "client was not authenticated. The server response was: 5.7.57 Client was not "
              "authenticated to send anonymous mail during MAIL FROM")
    assert _first(pasted)[3] == "securityerror"


def test_a_client_message_quoting_a_bare_server_code_is_judged_by_the_code() -> None:
    # the client's wrapper names a cause of its own; the server's reply only its code
    pasted = ("Send error: your outgoing server has reported an internal error. Contact your"
              " provider if this goes on. The server responded: 535 Nope, try again")
    assert _first(pasted)[3] == "securityerror"


def test_an_http_status_is_no_smtp_reply_code() -> None:
    assert codes.find_reply_code("Graph call failed: HTTP 404 POST /v1.0/users/x/sendMail") is None
    assert codes.find_reply_code("HTTP/1.1 503 Service Unavailable") is None
    assert codes.find_reply_code("host said: 550 5.1.1 no such user") == "550"


def test_one_refused_recipient_of_a_printed_smtplib_dict_is_named() -> None:
    pasted = ("smtplib.SMTPRecipientsRefused: {'ops@example.net': (554, b'5.7.1 "
              "<ops@example.net>: Relaying denied for this client')}")
    assert _first(pasted)[1:4] == ("ops@example.net", "failed", "norelaying")


def test_a_pasted_table_with_a_snake_case_address_column() -> None:
    pasted = ('"event_id","recipient_address","sender_address","recipient_status"\n'
              '"FAIL","kit@example.net","shop@example.com","550 5.1.1 mailbox unknown"\n')
    [report] = analyze_bytes(pasted.encode())
    assert [r.finding.address for r in report.recipients] == ["kit@example.net"]


def test_a_ticket_number_in_a_pasted_console_row_is_no_auto_reply() -> None:
    pasted = ("Recipient : lea@example.org\nSubject   : [Ticket #4410] Printer fixed\n"
              "Status    : Failed\nDetail    : 550 5.1.1 recipient not found\n")
    assert _first(pasted)[0] == "bounce"


def test_an_office_to_contact_instead_is_no_failed_recipient() -> None:
    pasted = ("Your message to tim.b@school.example.org has been blocked.\n\nThe response was:\n\n"
              "Pupil accounts are switched off over the holidays. Please contact the school office"
              " at office@school.example.org for anything urgent.")
    assert _first(pasted)[1] == "tim.b@school.example.org"
    assert _first(pasted)[3] == "suspend"


def test_outlooks_send_task_names_the_account_not_a_recipient() -> None:
    pasted = ("Task 'nora@example.com - Sending' reported error (0x800CCC0E) : 'Outlook cannot "
              "connect to your outgoing (SMTP) e-mail server. The connection timed out.'")
    assert _first(pasted)[1] is None
    assert _first(pasted)[3] == "networkerror"


def test_a_quoted_attribution_line_is_no_header_block() -> None:
    pasted = ("> From: Sam (accounts)\n> Big files never go out, Outlook says:\n>\n"
              "> 'The connection to the server was interrupted.'\n")
    assert _first(pasted)[0] == "bounce"
    assert _first(pasted)[3] == "networkerror"


# ---------------------------------------------------------------- sending APIs
@pytest.mark.parametrize(("pasted", "reason"), [
    ('mailer: POST /v3/send -> 400 Bad Request {"message": "\'bcc\' parameter is not a valid '
     'address"}', "syntaxerror"),
    ("ValidationError: Illegal email address 'nina.example.org'. It must contain the '@' sign.",
     "syntaxerror"),
    ("send failed: HTTP 403 Forbidden (ErrorAccessDenied) for notifications@example.com",
     "securityerror"),
    ("upload of the report failed: 413 Payload Too Large", "mesgtoobig"),
])
def test_a_sending_apis_refusal_is_read_by_its_meaning(pasted: str, reason: str) -> None:
    found = _first(pasted)
    assert found[3] == reason
    assert not found[4]


def test_an_http_reason_phrase_marks_an_http_status() -> None:
    assert codes.find_reply_code("relay said 503 Bad sequence of commands") == "503"
    assert codes.find_reply_code("request failed: 429 Too Many Requests") is None


def test_every_address_a_paste_lists_as_refused_is_a_recipient() -> None:
    pasted = ("SendError: You tried to send to recipient(s) that have been marked as inactive. "
              "Found inactive addresses: ola@example.net, per@example.org.")
    [report] = analyze_bytes(pasted.encode())
    assert sorted(r.finding.address or "" for r in report.recipients) == [
        "ola@example.net", "per@example.org"]


def test_an_example_address_or_one_to_use_instead_is_no_recipient() -> None:
    pasted = ("550 Sorry, nobody called mo.k works here. Our addresses look like\n"
              "first.last@example.org (e.g. ada.ng@example.org). Orders to\n"
              "shop@example.org instead.\n")
    [report] = analyze_bytes(pasted.encode())
    assert [r.finding.address for r in report.recipients] in ([], [None])


def test_a_report_written_before_the_first_boundary_is_read() -> None:
    message = (b"From: MAILER-DAEMON@mx.example.org\nTo: li@example.com\nSubject: Rejected\n"
               b"Content-Type: multipart/report; report-type=disposition-notification;\n"
               b' boundary="b7"\n\n'
               b"Your message to <ivo@example.org> was automatically rejected:\n"
               b"Mailbox is over its quota, sorry.\n\n--b7\n"
               b"Content-Type: message/disposition-notification\n\n"
               b"Final-Recipient: rfc822; ivo@example.org\n"
               b"Disposition: automatic-action/MDN-sent-automatically; deleted\n\n--b7--\n")
    [report] = analyze_bytes(message)
    [recipient] = report.recipients
    assert recipient.finding.address == "ivo@example.org"
    assert recipient.diagnosis.reason.value == "mailboxfull"


def test_pasted_phishing_dressed_as_a_bounce_is_no_bounce() -> None:
    pasted = ("Got this, is it genuine?\n\nMail Delivery Failure\n\n4 incoming messages for "
              "lo@example.org could not be delivered because of a quota sync error.\n"
              "Please verify your account to release these messages: https://login.example.net\n")
    [report] = analyze_bytes(pasted.encode())
    assert report.kind.value == "not-bounce"


def test_a_providers_cause_the_words_also_name_stays_sure() -> None:
    pasted = ("Address not found. Your message wasn't delivered to al@exmaple.org because the "
              "domain exmaple.org couldn't be found. DNS Error: DNS type 'mx' lookup of "
              "exmaple.org responded with code NXDOMAIN. https://support.google.com/mail/"
              "?p=BadRcptDomain")
    [report] = analyze_bytes(pasted.encode())
    diagnosis = report.recipients[0].diagnosis
    assert diagnosis.reason.value == "hostunknown"
    assert diagnosis.confidence.value != "low"


def test_a_paste_whose_cause_is_above_its_bounce_words_is_read_whole() -> None:
    paste = ("My phone won't send, the log says:\n\n"
             "smtp: connecting to smtps://mail.example.net:587\n"
             "smtp: Connection error: SSL_ERROR_RX_RECORD_TOO_LONG\n\n"
             "and the app only shows \"Sending of the message failed.\"\n")
    assert _first(paste)[3] == "failedstarttls"


def test_a_json_event_held_as_a_string_in_a_log_line_is_read() -> None:
    line = ('Parameters: {"events"=>"[{\\"event\\":\\"hard_bounce\\",\\"msg\\":{\\"email\\":'
            '\\"li.na@example.org\\",\\"sender\\":\\"news@example.com\\",\\"diag\\":\\"smtp;550 '
            '5.1.1 <li.na@example.org>: user unknown\\"}}]"}\n')
    assert unmarkup(line).count('\\"') == 0
    _kind, address, _action, reason, hard = _first(line)
    assert (address, reason, hard) == ("li.na@example.org", "userunknown", True)


def test_a_setting_listed_in_the_question_is_no_cause() -> None:
    # the poster lists their settings ("Port 587, STARTTLS"); the client's own words, in
    # Polish, say the connection timed out
    pasted = ("Thunderbird przestał wysyłać pocztę.\n\nWysyłanie nie powiodło się: "
              "przekroczono limit czasu połączenia z serwerem smtp.example.net.\n\n"
              "Ustawienia: Port 587, STARTTLS, hasło normalne.")
    assert _first(pasted)[3] == "networkerror"
    # a server that says STARTTLS is needed is still read so
    assert _first("530 5.7.0 Must issue a STARTTLS command first")[3] == "failedstarttls"


def test_a_tools_log_entry_with_a_subject_line_is_read_as_text() -> None:
    # a CRM's e-mail log copied with its labels: "Subject" among names no message has is
    # a label, not a header block with an empty body
    pasted = "Subject: Your renewal\nStatus: Bounced\nType: Hard bounce\nReason: Not a valid e-mail address\n"
    assert _first(pasted)[3] == "userunknown"
    # a real header block that starts with Subject is still one
    mail = "Subject: Hello\nFrom: ann@example.org\nTo: bob@example.net\n\nJust saying hi.\n"
    assert analyze_bytes(mail.encode())[0].kind.value == "not-bounce"


def test_a_sending_tools_deferred_status_is_a_delay() -> None:
    pasted = ("Status: Deferred\nThe receiving server didn't accept your message for now; "
              "the platform keeps trying.\n")
    kind, _, action, _reason, hard = _first(pasted)
    assert (kind, action, hard) == ("delay", "delayed", False)


def test_a_question_in_another_language_leaves_the_reply_before_it_alone() -> None:
    # a stop inside "example.net" or "4.2.0" starts no question, and "warum" starts one
    pasted = ("<** 450 4.7.1 <lea@example.net>: Recipient address rejected: greylisted for"
              " five minutes\nWarum kommt das bei Lea nicht an?\n")
    assert _first(pasted)[3] == "speeding"
    # the same read as one line, as a diagnostic is
    words = " ".join(pasted.split())
    assert not hedges.is_hedged(hedges.hedged_spans(words), words.index("greylisted"))
    words = "the server keeps saying mailbox full por qué pasa esto con ellos?"
    spans = hedges.hedged_spans(words)
    assert spans and words[spans[0][0]:].startswith("por qué")
    # a question in Japanese, Chinese or Korean starts where its own script does
    for ask in ("どうすればいいですか?", "这是什么意思?", "왜 이런가요?"):
        words = f"SMTP error: 452 mailbox full, limit is 2000 {ask}"
        spans = hedges.hedged_spans(words)
        assert spans and words[spans[0][0]:].startswith(ask[0]), ask
        assert not hedges.is_hedged(spans, words.index("mailbox full")), ask
    # with the full-width question mark, right after the reply: the words in the question
    # ("受信拒否", refused by the recipient's settings) are asked, not said
    words = ("550 <ren@example.com>: User unknown (in reply to RCPT TO command) "
             "これは受信拒否ですか？それともアドレス間違いですか？")
    spans = hedges.hedged_spans(words)
    assert hedges.is_hedged(spans, words.index("受信拒否"))
    assert not hedges.is_hedged(spans, words.index("User unknown"))
    # "must I do something?" starts the question too, in the languages people ask in
    for ask in ("Devo fare qualcosa io?", "Tengo que hacer algo yo?", "Muss ich was tun?",
                "Dois-je faire quelque chose ?", "Preciso fazer alguma coisa?"):
        words = f"user is over quota {ask}"
        spans = hedges.hedged_spans(words)
        assert not hedges.is_hedged(spans, words.index("user is")), ask


def test_a_list_of_possible_causes_neither_states_nor_rules_out_a_cause() -> None:
    # the account's block is the cause; the guesses after it ("could be caused by ...
    # too many recipients") are neither retyped into another cause nor a veto of it
    pasted = ("Mail app says: Unusual activity detected. Your account has been temporarily "
              "blocked from sending. This could be caused by messages that tripped our "
              "filters, or by too many recipients in one message.")
    assert _first(pasted)[3] == "securityerror"
    words = "Sending stopped. This may be caused by a blocked port, or by too many recipients."
    assert hedges.causes_listed_from(words) == words.index("This may")
    # advice is no list of causes: a rule may still step back where the server asks to
    # check a setting
    assert hedges.causes_listed_from("Please verify your address in your settings.") is None


def test_a_port_test_that_finds_nothing_listening_is_a_connection_problem() -> None:
    pasted = ("> Test-NetConnection mail.example.net -Port 25\n"
              "WARNING: TCP connect to (198.51.100.40 : 25) failed\nTcpTestSucceeded : False\n"
              "the web server on the same box answers fine\n")
    kind, _address, _action, reason, hard = _first(pasted)
    assert (kind, reason, hard) == ("bounce", "networkerror", False)


def test_an_auto_reply_pasted_under_its_subject_line_is_an_auto_reply() -> None:
    pasted = ("Subject: Auto: Karin Olsen has left\n"
              "Thanks for your note. I have moved on from the choir's committee; the new"
              " secretary reads secretary@example.org.\n")
    kind, _address, _action, reason, hard = _first(pasted)
    assert (kind, reason, hard) == ("auto-reply", "vacation", False)
    # a bounce with a subject line pasted above it stays a bounce
    bounce = "Subject: Undeliverable: minutes\n550 5.1.1 <kim@example.org>: user unknown\n"
    assert _first(bounce)[0] == "bounce"


def test_an_office_acknowledgement_pasted_alone_is_an_auto_reply() -> None:
    pasted = ("Thank you for writing to the club secretary. Messages are read on Mondays"
              " and we will respond within two working days.\n")
    assert _first(pasted)[:1] == ("auto-reply",)


def test_a_web_frameworks_request_log_is_not_the_mail_servers_error() -> None:
    pasted = ("Completed 500 Internal Server Error in 12ms\n\n"
              "Errno::ECONNREFUSED (Connection refused - connect(2) for \"127.0.0.1\" port 587):\n")
    assert _first(pasted)[3] == "networkerror"
    # a mail server's own internal error is still one
    assert _first("451 4.3.0 Internal server error, try again later")[3] == "systemerror"


def test_a_status_written_before_its_reply_code_is_kept() -> None:
    words = "ERROR:5.7.1:550 Outbound Mail Refused - 192.0.2.66 - 05/02/2025"
    finding = analyze_bytes(words.encode())[0].recipients[0].finding
    assert (finding.status, finding.reply_code) == ("5.7.1", "550")


def test_message_encryption_is_not_transport_encryption() -> None:
    # a rights-management or message-encryption agent failing is no STARTTLS problem
    pasted = ("550 5.7.162 OmeEncryptionAgent; Permanent Failure: RmException: message"
              " encryption only works on mail leaving the tenant")
    assert _first(pasted)[3] != "failedstarttls"
    assert _first("530 5.7.0 Encryption required for requested authentication mechanism")[
        3] == "failedstarttls"


def test_a_message_traces_defer_event_is_a_delay_until_a_fail_event() -> None:
    deferred = ("Status: Pending\n2/3/2025 9:12 AM  Defer  Reason: [{LED=451 4.4.0 Primary target"
                " IP address responded with: \"451 4.7.1 Try again later\" Attempted failover to"
                " alternate host, but that did not succeed. Either there are no alternate hosts,"
                " or delivery failed to all alternate hosts.};{FQDN=mx.example.net}]\n")
    kind, _address, action, _reason, hard = _first(deferred)
    assert (kind, action, hard) == ("delay", "delayed", False)
    failed = deferred + "2/4/2025 9:13 AM  Fail  Reason: [{LED=550 4.4.7 QUEUE.Expired}]\n"
    assert _first(failed)[:3] == ("bounce", None, "failed")


def test_a_client_librarys_failed_command_names_the_stage() -> None:
    assert codes.find_command("SMTP Error: MAIL FROM command failed, 550 blocked") == "MAIL"
    assert codes.find_command("RCPT TO command failed: 550 no such user") == "RCPT"
    # Postfix's "Helo command rejected" answers RCPT TO
    assert codes.find_command(
        "504 5.5.2 <box>: Helo command rejected: need fully-qualified hostname"
        " (in reply to RCPT TO command)") == "RCPT"


def test_pythons_smtplib_tuple_holds_the_reply_code() -> None:
    pasted = "smtplib.SMTPSenderRefused: (451, b'4.7.1 Greylisted, come back later', 'me@example.com')"
    finding = analyze_bytes(pasted.encode())[0].recipients[0].finding
    assert (finding.reply_code, finding.status) == ("451", "4.7.1")
    # an HTTP library's status and body is no SMTP reply
    assert codes.find_reply_code("(400, '{\"message\": \"bad request\"}')") is None


@pytest.mark.parametrize(("pasted", "reason"), [
    # smtplib raises SMTPSenderRefused for any refusal of MAIL FROM: the reply it quotes
    # says why, not the exception's name
    ("smtplib.SMTPSenderRefused: (501, b'5.5.4 Syntax: MAIL FROM:<address> is required', "
     "'app@example.com')", "syntaxerror"),
    ("smtplib.SMTPSenderRefused: (452, b'4.3.1 Insufficient system storage', "
     "'app@example.com')", "systemfull"),
])
def test_smtplibs_sender_refused_is_only_the_stage(pasted: str, reason: str) -> None:
    assert _first(pasted)[3] == reason


def test_a_programs_settings_name_the_sender_not_a_recipient() -> None:
    assert codes.clean_address("EMAIL_HOST_USER=ops@example.com") == "ops@example.com"
    assert codes.clean_address("bounces+kim=example.org@lists.example.net") == (
        "bounces+kim=example.org@lists.example.net")
    pasted = ("smtplib.SMTPDataError: (553, b'Relaying disallowed as billing@example.com')\n"
              "# settings: EMAIL_HOST_USER=ops@example.com\n")
    kind, address, _action, reason, _hard = _first(pasted)
    assert (kind, address, reason) == ("bounce", None, "securityerror")


def test_gmails_delay_notice_in_chinese_is_a_delay() -> None:
    pasted = ("傳送延遲\n系統傳送郵件給 lin@example.org 時發生暫時性問題。"
              "Gmail 會在接下來的 30 小時內重新嘗試傳送。\n"
              "伺服器傳回的回應: 收件者伺服器不接受我們的連線要求。\n")
    kind, address, action, reason, hard = _first(pasted)
    assert (kind, address, action, reason, hard) == (
        "delay", "lin@example.org", "delayed", "networkerror", False)


@pytest.mark.parametrize(("pasted", "reason"), [
    # the mailbox's own spam folder is no spam verdict
    ("Your mailbox is over its quota. Empty the Deleted and Spam folders to get mail again.",
     "mailboxfull"),
    # a "secure" key for mail programs is an app password, not TLS
    ("534 5.7.9 This account needs a secure key for mail apps; create one in your settings.",
     "securityerror"),
    # a quarantine that names its verdict is that verdict; one that names none is a hold
    ("Your message was placed in quarantine: the attachment contains a virus.", "virusdetected"),
    ("Your message was placed in quarantine until an administrator has looked at it.", "onhold"),
    # a link's bad name is the message's, not the sender's
    ("554 Message refused: the link reputation of this mail is too low.", "spamdetected"),
])
def test_words_that_only_look_like_another_cause(pasted: str, reason: str) -> None:
    assert _first(pasted)[3] == reason


def test_a_non_ascii_address_called_invalid_is_the_path_not_the_mailbox() -> None:
    # sent raw over a path without SMTPUTF8: nothing is known about the mailbox
    pasted = ("553 5.1.3 The recipient address <jörg.weiß@example.com> is not a valid RFC 5321"
              " address. x12si345 - gsmtp")
    assert not _first(pasted)[4]
    assert _first("550 <zoë@example.org>: message requires SMTPUTF8, which this path lacks")[3] == (
        "contenterror")


# ---------------------------------------------------------------- reports that are no bounce
@pytest.mark.parametrize("paste", [
    # a row of a DMARC aggregate report, with "fail" in it
    "Do these rows mean our mails bounced?\n\n<record>\n  <row>\n    <source_ip>192.0.2.9"
    "</source_ip>\n    <count>3</count>\n    <policy_evaluated>\n      <disposition>none"
    "</disposition>\n      <dkim>fail</dkim>\n      <spf>fail</spf>\n    </policy_evaluated>\n"
    "  </row>\n</record>\n",
    # the headers of an SMTP TLS report
    "What failed here?\n\nFrom: tls-reports@example.net\nSubject: Report Domain: example.org\n"
    "TLS-Report-Domain: example.org\nTLS-Report-Submitter: example.net\n",
])
def test_a_domains_daily_report_is_no_bounce(paste: str) -> None:
    [report] = analyze_bytes(paste.encode())
    assert report.kind.value == "not-bounce" and not report.recipients


@pytest.mark.parametrize("paste", [
    # a help desk's automatic answer, pasted without headers
    "> Your reply could not be added to ticket #4411 because the ticket is closed.\n"
    "> This is an automated message - replies to this address are not processed.\n\n"
    "did my mail go anywhere?",
    # a French subject line above an unread mailbox's notice
    "Subject: Réponse automatique\nFrom: Accueil <accueil@example.fr>\n\n"
    "Cette boîte n'est plus consultée. This mailbox is no longer monitored.\n",
    # a closed mailbox's answer, whose "no longer in use" is no bounce under this subject
    "Subject: Automatic reply: Lunch\nFrom: kai@old.example.net\n\n"
    "This is an automated message. This mailbox is no longer in use and is not read.\n",
])
def test_an_automatic_answer_pasted_is_an_auto_reply(paste: str) -> None:
    [report] = analyze_bytes(paste.encode())
    assert report.kind.value == "auto-reply"


def test_a_bounce_a_colleague_forwards_from_a_shared_mailbox_is_read() -> None:
    # the report went to sales@, a colleague forwards it: "FW:" says it is passed on
    forward = _FORWARD.replace("From: Hana Ito <hana@example.com>", "From: Jo Park <jo@example.com>")
    forward = forward.replace("To: hana@example.com", "To: sales@example.com")
    assert "jo@example.com" in forward and "To: sales@example.com" in forward
    kind, address, _action, reason, _hard = _first(forward)
    assert (kind, address, reason) == ("bounce", "ravi@example.org", "mesgtoobig")


def test_an_automatic_reply_forwarded_without_a_separator_line_is_one() -> None:
    # Outlook quotes the forwarded header block with no "-----Original Message-----"
    paste = ("From: Ivo Berg <ivo@example.com>\nTo: Help <help@example.com>\n"
             "Subject: FW: Automatic reply: site survey\n\nDid my mail get through?\n\n"
             "From: Dana Cole <dana@example.net>\nSent: 2 May 2025 10:02\n"
             "To: Ivo Berg <ivo@example.com>\nSubject: Automatic reply: site survey\n\n"
             "I am away until 12 May with no access to email.\n")
    assert _first(paste)[0] == "auto-reply"


def test_a_domain_said_not_to_exist_is_unknown_though_it_also_has_no_mx() -> None:
    paste = ("10:02:11 Resolving MX records for [example.invalid-tld]\n"
             "10:02:11 * DNS server reports domain name unknown\n"
             "10:02:11 * Unable to deliver message: no MX or A records for [example.invalid-tld]\n")
    assert _first(paste)[3] == "hostunknown"
    assert _first("Unable to deliver: no MX or A records for [example.org]")[3] == "notaccept"


def test_a_pasted_report_whose_reason_no_rule_knows_still_names_its_recipient() -> None:
    # the lead says delivery failed; the reason is words no rule knows: a bounce for the
    # recipient, said with low confidence, not "no bounce found"
    pasted = ("We were unable to deliver your message to these addresses:\n\n"
              "Recipient: lee@example.net\nReason: the far end gave an answer we did not expect\n")
    [report] = analyze_bytes(pasted.encode())
    assert report.kind.value == "bounce"
    [r] = report.recipients
    assert r.finding.address == "lee@example.net"
    assert r.diagnosis.confidence.value == "low" and not r.diagnosis.hard_bounce
    # a person asking about an address, with no report around it, is still no bounce
    [asked] = analyze_bytes(b"Why do my mails to bob@example.org keep bouncing?\n")
    assert asked.kind.value == "not-bounce"
