"""The one ordered list of parsers, each with its signature. To add an MTA or provider
format: write a module in ``families/`` (``NAME``, ``matches``, ``parse``), add one entry
to ``FAMILIES`` below (its name and signature), and add a sample under ``tests/samples/``.

Order: structural kinds first (feedback reports, mailing-list notices about one's own
post or about members whose mail bounces, auto-replies), then the families (each
recognises its own reports by headers or fixed sentences; providers before the MTA
software they run on), then plain RFC 3464, then text pasted without headers, then the
free-text fallback.

A signature is a tuple of lower-case words of which at least one occurs in
``Mail.signature_text`` whenever the parser's ``matches`` can be true; it must follow
from ``matches`` itself (tests/test_signatures.py checks it on every sample). The driver
looks for the words (plain substring tests) before it asks ``matches`` (regular
expressions, the costly part of reading a message); ``()`` means always asked. The
signatures live here, not in the modules, so that a family module is imported only when
its words occur: one pasted line needs none of them. (Names in the comments, like
``_MARKERS``, are the family module's own.)
"""

from __future__ import annotations

import importlib
from typing import cast

from ..mail import Mail
from ..model import Finding
from . import autoreply, dsn, feedback, generic, listmembers, listnotice, pasted
from .base import Parser

#: the families in the order they are asked: (module name in families/, signature)
FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # -- providers (group D) --
    # matches() needs Google Groups' help-center link in the report text
    ("googlegroups", ("groups.google.com/support",)),
    # _STRONG's sentences (both failure kinds spelled out), else the _FROM mailer-daemon addresses
    # that the other path requires ("@google" also covers "@googlemail")
    ("gmail", (
        "technical details of permanent failure:", "technical details of temporary failure:",
        "google tried to deliver your message", "mailer-daemon@google", "mailer-daemon@gmail.com",
    )),
    # the fixed part of the _OPENING sentence, up to the optional "es"
    ("yahoo", ("sorry, we were unable to deliver your message to the following address",)),
    # the second condition of matches(): an X-Outbound-Mail-Relay-* DSN field or an
    # @aol.com sender (the opening sentence is Yahoo's too, so less selective)
    ("aol", ("x-outbound-mail-relay-", "@aol.com")),
    # the X-Mailer value must start with "Amazon WorkMail": the haystack holds "x-mailer: <value>"
    ("amazonworkmail", ("x-mailer: amazon workmail",)),
    # the body condition: _NOTIFICATION's quoted JSON keys (case-sensitive) or one of the
    # three _SENTENCES (the headers condition is met by every mail sent through SES)
    ("amazonses", (
        "\"notificationtype\"", "\"type\"", "\"eventtype\"",
        "an error occurred while trying to deliver the mail to the following recipients:",
        "> was undeliverable.", "this message could not be delivered.",
    )),
    # the Zoho condition: X-ZohoMail header, "Zoho Mail" in X-Mailer, or a sender at
    # (a subdomain of) zoho/zohomail, where "zoho" follows "@" or "."
    ("zoho", ("x-zohomail:", "zoho mail", "@zoho", ".zoho")),
    # the two gateway senders of _SENDER (the body may come from unparsed MIME parts, which
    # are not in the haystack, so only the sender can be used)
    ("verizon", ("post_master@vtext.com", "vzwpix.com")),
    # Facebook's fixed _OPENING sentence
    ("facebook", ("this message was created automatically by facebook.",)),
    # the _APPLE_HOST domains, in the From value or the first Reporting-MTA field (the
    # opening sentence is Postfix's too, so less selective)
    ("apple", ("apple.com", "icloud.com", "me.com", "mac.com")),
    # matches() needs secureserver.net in the From address or the Reporting-MTA field
    ("godaddy", ("secureserver.net",)),
    # -- providers, regional (group E) --
    # two of four EZweb marks (From, Subject, Received covered: any two include one),
    # or au one net's "Your mail sent/attempted to be delivered on" opening
    ("kddi", (
        "postmaster@ezweb.ne.jp", "postmaster@au.com", "mail system error - returned mail",
        "(ezweb mail)", ".au.com (", "your mail sent on", "your mail attempted to be delivered on",
    )),
    # matches() needs the "Non-delivered information" heading in the text
    ("biglobe", ("non-delivered information",)),
    # the Russian opening ("... сервером Mail.Ru"), else the Mail.Ru Message-Id ending
    ("mailru", ("сервером mail.ru", ".mail.ru>", "smailru.net>")),
    # Yandex From address or Postfix opening both name "yandex."; else the X-Yandex-Uniq
    # header (together with the Russian opening)
    ("yandex", ("yandex.", "x-yandex-uniq:")),
    # matches() needs United Internet's line introducing the original headers
    ("gmx", ("the header of the original message is following",)),
    ("pec", ("mancata consegna", "non accettazione", "x-ricevuta", "daticert")),
    # -- Microsoft and mail gateways (group C) --
    # one word per alternative of the _HEADING sentences, which matches() needs
    ("exchange2003", (
        "did not reach the following recipient(s):",
        "the following recipient(s) could not be reached:",
        "did not reach some or all of the intended recipients",
    )),
    # a word for each alternative of _MARKERS (one covers the Spanish and Portuguese
    # headings), plus the NDR header of the empty-text path
    ("exchange", (
        "to these recipients or", "diagnostic information for administrators",
        "generating server:", "informations de diagnostic pour les administrateurs",
        "serveur de g", "diagnoseinformationen", "generierender server",
        "stico para administradores", "servidor de generaci", "informazioni di diagnostica per",
        "server di generazione", "diagnostische gegevens voor beheerders", "genererende server",
        "管理者向けの診断情報", "生成サーバー", "rejected your message to the following e",
        "more info for email admins", "x-ms-exchange-message-is-ndr:",
        "diagnostisk informa", "diagnosticeringsoplysninger", "informacje diagnostyczne",
        "serwer generuj", "diagnostické informace", "diagnosticke informace", "diagnostiikkatiedot",
        "диагностические сведения", "管理员诊断信息", "관리자용 진단 정보", "tanılama bilgileri",
        "tanilama bilgileri",
    )),
    # matches() needs the "automatically generated Delivery Status Notification" line
    ("outlook", ("this is an automatically generated delivery status notification",)),
    # McAfee's X-NAI-Header (needed by the first path), else each MXLogic mark _is_mxlogic checks
    ("mcafee", ("x-nai-header:", "x-mxl-notehash:", "x-mx-bounce:", "<mxl~", "mxl_mta")),
    # the "server message" section title, which must be found (compared lower-cased)
    ("mfilter", ("server message",)),
    # the two report sentences, one of which _OPENING or _TRANSCRIPT must find
    ("surfcontrol", (
        "your message could not be sent.",
        "a transcript of the attempts to send the message follows",
    )),
    # the "Your message to:" line, required before either of the other tests
    ("barracuda", ("your message to:",)),
    # the _UNABLE heading, required before the agent / stamp / X-Msg-Ref tests
    ("messagelabs", ("i was unable to deliver your message to the following addresses:",)),
    # the report text must name Mimecast ("mimecast" in report.lower())
    ("mimecast", ("mimecast",)),
    # _PRODUCT's alternatives ("trend" before the optional space), which the report needs
    ("trendmicro", ("trend", "interscan", "imsva", "imss", "scanmail")),
    # _FIXED's alternatives ("e-?mail" cut before the optional hyphen), required first
    ("amavis", (
        "generated by the program amavis", "delivery of the email was stopped!",
        "the message was not relayed to:", "was considered unsolicited bulk e",
        "our content checker found", "our internal reference code for your message is",
    )),
    # SendGrid's opening sentence, the whole of matches()
    ("sendgrid", ("this is an automatically generated message from sendgrid.",)),
    # -- other MTAs (group B) --
    # PowerMTA's own delivery-status field names, else the case-sensitive greeting
    ("powermta", ("x-powermta-", "hello, this is the mail server on")),
    # the X-MLServer header, whose decoded value must start with "fml"
    ("fml", ("x-mlserver: fml",)),
    # the X-AHMAILID header's name, or the gateway's name in the Content-Type value
    ("activehunter", ("x-ahmailid:", "active!hunter")),
    # the case-sensitive "Unable to deliver message to:" line that matches() requires
    ("mailfoundry", ("unable to deliver message to:",)),
    # X-MDDSN-Message: yes (first path), else the "Session Transcript" ruler the notice path needs
    ("mdaemon", ("x-mddsn-message: yes", "session transcript")),
    # the fixed heading of the address list, the only thing matches() looks for
    ("openmail", ("the following addresses had delivery errors",)),
    # the case-sensitive opening sentence, which matches() requires
    ("autogendsn", ("this is an automatically generated delivery status notification.",)),
    # the case-sensitive opening sentence, the whole of matches()
    ("troubledelivering", ("we had trouble delivering your message",)),
    # the decoded Subject, which must start with "Undeliverable Mail" (case-sensitive)
    ("imail", ("subject: undeliverable mail",)),
    # the case-sensitive "was not delivered to:" line required on every path
    ("domino", ("was not delivered to:",)),
    # the case-sensitive "Failure Reasons" ruler, the whole of matches()
    ("notes", ("failure reasons",)),
    # both forms of _INTRO's opening sentence, which matches() always requires (case-sensitive)
    ("messagingserver", (
        "this report relates to a message you sent with the following header",
        "this report relates to your message you sent with the following header",
    )),
    # dma's introduction, or the "(DragonFly Mail Agent" comment its Received line needs
    ("dragonfly", ("this is the dragonfly mail agent", "(dragonfly mail agent")),
    # _INTRO's sentences, else _CLONE_INTRO's (required with the copy line); "unable to ..." included
    ("qmail", (
        "this is the qmail",
        "i'm afraid i wasn't able to deliver your message to the following addresses",
        "your mail message to the following address", "your message to the following addresses",
        "this is the mail delivery agent at",
    )),
    # -- classic MTAs (group A) --
    # _DAEMON up to the optional hyphen of "e-?mail", else each anchored _SUBJECT ending
    ("opensmtpd", (
        "this is the mailer-daemon, please do not reply to this e",
        "subject: delivery status notification: failed",
        "subject: delivery status notification: error",
        "subject: delivery status notification: delayed",
        "subject: delivery status notification: warning",
        "subject: delivery status notification: delivered",
    )),
    # _MARKER's alternatives; "courier." stays bare (Message-ID may start with "<", ">", spaces)
    ("courier", ("running the courier mail server", "courier.")),
    # each anchored _SUBJECT, _MARKER's phrasings, _TRANSCRIPT's line, the X-Postfix-Queue-ID field
    ("postfix", (
        "subject: undelivered mail returned to sender",
        "subject: delayed mail (still being retried)", " smtp server: errors from",
        "subject: mail delivery status report", "subject: successful mail delivery report",
        "the mail system", "the postfix program", "transcript of session follows.",
        "x-postfix-queue-id:",
    )),
    # the dashed section titles matches() accepts: _FATAL's two forms, "transcript of session"
    ("sendmail", (
        "addresses had permanent fatal errors", "addresses had transient non-fatal errors",
        "transcript of session",
    )),
    # every _SUBJECT alternative (anchored ones with the field name) and every _BODY alternative
    ("exim", (
        " mail delivery failed", "subject: mail failure - ", "subject: warning: message ",
        "this message was created automatically by mail delivery software",
        "this message was created automatically by the smtp relay", "address(es)",
        "has not yet been delivered to one or more of its",
    )),
)


class _Family:
    """A family parser, imported when it is first asked."""

    __slots__ = ("NAME", "_module")

    def __init__(self, name: str) -> None:
        self.NAME = name
        self._module: Parser | None = None

    @property
    def module(self) -> Parser:
        if self._module is None:
            self._module = cast(Parser, importlib.import_module(
                f"{__package__}.families.{self.NAME}"))
        return self._module

    def matches(self, mail: Mail) -> bool:
        return self.module.matches(mail)

    def parse(self, mail: Mail) -> list[Finding]:
        return self.module.parse(mail)

    def __repr__(self) -> str:
        return f"<family parser {self.NAME}>"


#: each parser with its signature, in the order they are asked
GATED: tuple[tuple[Parser, tuple[str, ...]], ...] = (
    # a sub-part exists only under a top-level multipart/ Content-Type; else the
    # unsubscribe fields, a report's fields pasted on their own ("feedback-type:"), a
    # complaint notice's words, or a mail to or from an abuse@ address
    (feedback, ("multipart/", "message/feedback-report", "x-apple-unsubscribe: true",
                "subject: unsubscribe", "feedback-type:",
                "reported", "marked", "flagged", "complaint", "complained", "abuse@",
                # an event record named by its type: "Event: Spam Report", "spamreport"
                "spam report", "spam_report", "spam-report", "spamreport", "abuse report",
                "abuse_report", "abuse-report")),
    # always asked: its first check is one short regex on the From header, cheaper than
    # looking for ten words in the whole message
    (listnotice, ()),
    # every _BOUNCING phrase holds one of these words
    (listmembers, ("bounc", "could not be delivered", "delivery problems for members")),
    # always asked: its checks are header look-ups, cheaper than any word search
    (autoreply, ()),
    *((_Family(name), signature) for name, signature in FAMILIES),
    (dsn, ()),
    (pasted, ()),  # a header check
    (generic, ()),
)

PARSERS: tuple[Parser, ...] = tuple(parser for parser, _ in GATED)


def import_families() -> None:
    """Import every family module now (a scan's workers, forked after this, share them)."""
    for parser, _ in GATED:
        if isinstance(parser, _Family):
            parser.module  # noqa: B018 - the property imports it
