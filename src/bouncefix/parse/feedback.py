"""ARF feedback reports (RFC 5965): a complaint, not a bounce.

    Content-Type: multipart/report; report-type=feedback-report

    Content-Type: message/feedback-report

    Feedback-Type: abuse
    User-Agent: SomeGenerator/1.0
    Version: 1
    Original-Rcpt-To: <jane@example.org>

The recipient is the person who complained: Original-Rcpt-To when given, otherwise the
To header of the returned message. The report's fields pasted on their own, with no
message around them, are read too.

A complaint written as a mail is one too: an abuse desk's notice about spam from your
network (from an ``abuse@`` address or titled "Spam complaint ..."), or a person forwarding
the message to your ``abuse@`` address.

Automatic unsubscribe requests (RFC 2369 mailto: unsubscribe links followed by a mail
client, e.g. ``X-Apple-Unsubscribe: true`` with ``Subject: unsubscribe``) are feedback of
type ``unsubscribe``: the sender of the request wants no more mail.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail, field, parse_field_blocks, part_text
from ..model import Finding, Reason
from . import codes, text

NAME = "arf"
#: the fields a report pasted without its message carries besides Feedback-Type
_REPORT_FIELDS = frozenset({"user-agent", "version", "original-rcpt-to", "original-mail-from",
                            "arrival-date", "reported-domain", "source-ip", "reported-uri",
                            "removal-recipient", "received-date", "authentication-results"})
_FEEDBACK_TYPE = lazy(r"(?im)^feedback-type:[ \t]*[a-z]")
# A sending service's notice of a complaint, pasted on its own: "A recipient reported your
# campaign "Offers" as spam", "spam complaint from ...".
_COMPLAINT = lazy(
    # (an adverb of manner may stand before the verb: "the subscriber explicitly marked
    # ..."; not one of time: "previously marked your mail as spam" is why a later send
    # was suppressed, not a complaint now)
    r"(?im)\b(?:recipient|subscriber|user|contact|customer|someone|person|reader)s? (?:has |have )?"
    r"(?:(?:explicitly|manually|actively|deliberately|directly|personally|mistakenly|accidentally"
    r"|wrongly) )?(?:reported|marked|flagged) (?:your|this|the|a|one of your) (?:message|e-?mail|campaign|"
    r"newsletter|mail(?:ing)?|announcement|notification|update|invitation|reminder|bulletin"
    r"|digest|alert|post)s?(?: \S{1,60}){0,8}? as (?:spam|junk|abuse|unwanted)"
    # "pressed "Report spam" in their email program", "clicked This is spam"
    r"|\b(?:pressed|clicked|hit|tapped|used) (?:the |a )?[\"\u201c']?(?:report (?:as )?spam|this is spam"
    r"|mark as (?:spam|junk)|report junk)\b"
    r"|\b(?:spam|abuse) complaint (?:from|about|for|on|received|via|through|regarding|concerning"
    r"|against)|complained about (?:your|this)"
    # "the recipient marked it as junk"; a report's dotted field "Feedback type ...... abuse"
    r"|\b(?:recipient|subscriber|user|contact|customer|parent|member|reader)s? (?:has |have )?"
    r"(?:reported|marked|flagged) (?:it|them) as (?:spam|junk|abuse)\b"
    r"|\bfeedback[ _-]?type[ \t]*\.{2,40}[ \t]*abuse\b|^[ \t]*feedback[ _-]?type[ \t]*:[ \t]*abuse\b"
    # a person's own complaint in reply: "I've reported this to my email provider as spam"
    r"|\bi(?:.ve| have)? (?:reported|marked|flagged) (?:this|it|you|these|your \S{1,20})"
    r"(?: \S{1,40}){0,6}? as (?:spam|junk)\b"
    # a contact's record: "Reason: Abuse complaint (reported via the recipient's provider)"
    r"|\b(?:spam|abuse) complaints?[,;:]? \(?(?:reported|received|filed|made|sent|submitted) "
    r"(?:via|through|by|from)\b"
    # an ESP console's complaint record: "Complaint feedback type: abuse",
    # "Complained recipient: ..."
    r"|\bcomplaint feedback type\b|\bcomplained[- ]recipients?\b"
    # a marketing platform's complaint event, named at the top: "Marked Email as Spam"
    # (not "Suppressed · Reason: Spam complaint", the state a later send finds)
    r"|^[ \t]*marked (?:e-?mail|message|campaign) as spam\b"
    # (or quoted from a contact's record: "Marked your email as spam")
    r"|[\"\u201c\u2018']marked (?:your )?(?:e-?mail|message|campaign)s? as spam\b"
    # "Complaint received from ann@... via feedback loop", "FBL report for ..."
    r"|\bcomplaint (?:received )?(?:from|by) [^\s@]{1,64}@|\b(?:via|through) (?:an? |the |its |their )?"
    r"(?:ISP.s |provider.s )?feedback loop\b|\bFBL (?:report|complaint)s?\b"
    # an event record of a sending service this reader has no module for, named by its
    # type: {"event": "spam_complaint", ...}, type=complaint, "feedback_type": "abuse"
    r"|[\"']?\b(?:event|type|event_?type|record_?type|notification_?type)[\"']?[ \t]*[:=][ \t]*"
    r"[\"']?(?:spam[_ -]?complaint|complaint|spam[_ -]?report|abuse[_ -]?report)\b"
    r"|[\"']?\b(?:feedback_?type|fbtype)[\"']?[ \t]*[:=][ \t]*[\"']?abuse\b"
)


# A complaint in words, by mail: an ISP's abuse desk writing about spam from your network
# ("We have received a complaint from our customer ann@example.org about ..."), or a
# person forwarding the message to your abuse address ("Fwd: ... This is spam").
_ABUSE_ADDRESS = lazy(r"(?i)(?:^|[<\s\"',:])abuse@")
_COMPLAINT_SUBJECT = lazy(
    r"(?i)\b(?:spam|abuse|unsolicited (?:e-?)?mail)[- ]?(?:complaint|report)s?\b|"
    r"\bcomplaint (?:regarding|about|concerning|against|re)\b|"
    # SpamCop's report to a network's abuse contact: "[SpamCop (https://...) id:7294410388]..."
    r"^\[spamcop\b|"
    # a sending service's notice: "A parent reported your message as spam"
    r"\b(?:reported|marked|flagged) (?:your|this|the) (?:message|e-?mail|mail|newsletter|campaign"
    r"|announcement|notification|update|invitation|reminder|bulletin|digest|alert|post)s?"
    r" as (?:spam|junk)\b"
)
_COMPLAINT_WORDS = lazy(
    r"(?i)\b(?:received|got|have) (?:a |an |the |another )?(?:spam |abuse )?complaints?\b|"
    r"\bcomplaint (?:from|about|regarding|concerning)\b|\breport from a spamcop user\b"
)
_PERSON_COMPLAINT = lazy(
    r"(?i)\bspam\b|never (?:signed up|subscribed|asked|opted in)|stop (?:sending|emailing|mailing)"
    r"|take me off|remove me from|unsolicited"
)
# whom the complaint is from: "complaint from our customer ann@example.org"
_COMPLAINANT = lazy(
    r"(?i)\bcomplaints? from (?:our |a |one of our )?(?:customer|user|subscriber|member|"
    r"recipient|client)s?[ \t:]{1,3}<?([^\s<>@]{1,64}@[\w.-]{1,255})"
)
# a notice's own label for the person who complained: "Recipient:   ann@example.net (parent
# of ...)", "Complainant: ann@..."
_LABELLED_COMPLAINANT = lazy(
    r"(?im)^[ \t]*(?:recipient|complainant|complained[ \t]+recipient|reported[ \t]+by)[ \t]*:[ \t]*"
    r"(?:[^\n<@:]{0,60}<)?([^\s<>@\"]{1,64}@[\w.-]{1,255})")
_QUOTED_TO = lazy(r"(?im)^[ \t>]*To:[ \t]*(?:[^\n<@]{0,80}<)?([^\s<>@\"]{1,64}@[\w.-]{1,255})")


def _complaint_mail(mail: Mail) -> str | None:
    """'desk' for an abuse desk's complaint, 'forward' for a person forwarding the
    message to an abuse address, else None."""
    if mail.delivery_status or mail.content_type == "multipart/report":
        return None
    body = mail.text[:4000]
    if (_ABUSE_ADDRESS.search(mail.header("To")) and text.FORWARD_SUBJECT.search(mail.subject)
            and _PERSON_COMPLAINT.search(body)):
        return "forward"
    if ((_ABUSE_ADDRESS.search(mail.sender) or _COMPLAINT_SUBJECT.search(mail.subject))
            and (_COMPLAINT_WORDS.search(body) or _COMPLAINT.search(body))):
        return "desk"
    return None


def _complainant(mail: Mail, how: str) -> str | None:
    """The person who complained: the forwarder; the customer a desk names; or the
    recipient of the reported message whose headers the desk quotes."""
    if how == "forward":
        senders = codes.find_addresses(mail.header("From"))
        return senders[0] if senders else None
    body = mail.text[:20000]
    named = (_COMPLAINANT.search(body) or _LABELLED_COMPLAINANT.search(body)
             or _QUOTED_TO.search(body))
    return codes.clean_address(named.group(1)) if named else None


def _unsubscribe_request(mail: Mail) -> bool:
    if mail.header("X-Apple-Unsubscribe").strip().lower() == "true":
        return True
    automatic = mail.header("Auto-Submitted").lower().startswith("auto")
    return automatic and mail.subject.strip().lower() == "unsubscribe"


def matches(mail: Mail) -> bool:
    """multipart/report; report-type=feedback-report, a feedback-report part, or an
    automatic unsubscribe request."""
    if not mail.has_headers:
        if _pasted_fields(mail):
            return True
        # complaint words beside a server's refusal ("553 5.7.2 ... deferred" and "the
        # complaint rate was high") explain a bounce: the refusal is what was pasted
        head = mail.text[:4000]
        refused = (codes.find_reply_code(head) or "")[:1] in ("4", "5")
        return not refused and bool(_COMPLAINT.search(head))
    if _unsubscribe_request(mail):
        return True
    if "message/feedback-report" in mail.content_types:
        return True
    if mail.content_type != "multipart/report":
        return _complaint_mail(mail) is not None
    report_type = mail.message.get_param("report-type") or ""
    return report_type.lower() == "feedback-report"


def parse(mail: Mail) -> list[Finding]:
    """One finding per complaining recipient."""
    if _unsubscribe_request(mail) and not any(
        p.get_content_type() == "message/feedback-report" for p in mail.parts()
    ):
        senders = codes.find_addresses(mail.header("From"))
        return [Finding(address=senders[0] if senders else None,
                        diagnostic="Unsubscribe request sent automatically by a mail client",
                        feedback_type="unsubscribe", reason_hint=Reason.FEEDBACK, parser=NAME)]
    how = _complaint_mail(mail) if mail.has_headers and not any(
        p.get_content_type() == "message/feedback-report" for p in mail.parts()) else None
    if how is not None:
        return [Finding(address=_complainant(mail, how),
                        diagnostic=" ".join(mail.text.split())[:300] or mail.subject or None,
                        feedback_type="abuse", reason_hint=Reason.FEEDBACK, parser=NAME)]
    fields: list[tuple[str, str]] = [] if mail.has_headers else _pasted_fields(mail)
    if not mail.has_headers and not fields:  # a complaint notice in words
        words = " ".join(mail.text.split())[:300]
        named = codes.find_addresses(mail.text[:4000])
        return [Finding(address=named[0] if len(named) == 1 else None, diagnostic=words,
                        feedback_type="abuse", reason_hint=Reason.FEEDBACK, parser=NAME)]
    for part in mail.parts():
        if part.get_content_type() == "message/feedback-report":
            for block in parse_field_blocks(part_text(part)):
                fields.extend(block)
    feedback_type = (field(fields, "Feedback-Type") or "abuse").strip().lower()
    recipients = [
        a
        for key, value in fields
        if key.lower() in ("original-rcpt-to", "removal-recipient")
        for a in codes.find_addresses(value)
    ]
    if not recipients and mail.original is not None:
        # (not the sender's own address, which a list writes as its To as well)
        own = {a.lower() for a in codes.find_addresses(str(mail.original.get("From", "")))}
        recipients = [a for a in codes.find_addresses(str(mail.original.get("To", "")))
                      if a.lower() not in own]
    reporter = field(fields, "Reporting-MTA")
    arrival = field(fields, "Arrival-Date") or field(fields, "Received-Date")
    make = [
        Finding(
            address=address,
            diagnostic=f"Feedback report: {feedback_type}",
            reporting_mta=codes.strip_dsn_type(reporter) or None,
            last_attempt=arrival,
            feedback_type=feedback_type,
            reason_hint=Reason.FEEDBACK,
            parser=NAME,
        )
        for address in (recipients or [None])  # type: ignore[list-item]
    ]
    return make


def _pasted_fields(mail: Mail) -> list[tuple[str, str]]:
    """The fields of a feedback report pasted on its own (``Feedback-Type: abuse``,
    ``User-Agent:``, ``Version: 1``, ``Original-Rcpt-To:`` ...): the Feedback-Type and
    another report field; [] for any other text."""
    words = mail.text[:64 * 1024]
    if not _FEEDBACK_TYPE.search(words):
        return []
    fields = [pair for block in parse_field_blocks(words) for pair in block]
    names = {name.lower() for name, _ in fields}
    return fields if "feedback-type" in names and names & _REPORT_FIELDS else []
