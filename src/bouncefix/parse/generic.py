"""The fallback: any text that carries recipient addresses and SMTP codes or bounce words.

Used when no MTA-specific parser recognised the report, and for pasted fragments such as::

    550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown

or the friendly wording of webmail ("The recipient's email address doesn't exist").
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ..mail import Mail, unquote
from ..model import Finding
from . import codes, text

NAME = "generic"


_HEADER_NAMES = lazy(
    r"(?im)^(?:from|to|cc|reply-to|return-path|sender|message-id|references|in-reply-to|"
    r"delivered-to|received|subject|x-[a-z0-9-]+|dkim-signature|authentication-results)"
    r"[ \t]*:.*$"
)


# an entry's own detail line: "To:  ann@example.org" then "     Reason:  ..." indented, or
# a record's "Code:" or "Details:" a line or two below it
_ENTRY_DETAIL = lazy(r"\n[ \t]+(?:reason|details?|error|status|diagnostic|result|response|cause)"
                     r"[ \t]*:|(?:\n[^\n]*){0,2}?\n[ \t]*(?:reason|details?|error|diagnostic|code"
                     r"|response|cause)[ \t]*:", re.IGNORECASE)


def _header_line_out(match: re.Match[str]) -> str:
    """A header line of a quoted message, dropped; but a "To:" or "Cc:" line that opens a
    platform's entry for a recipient, with indented details below it, stays."""
    line = match.group(0)
    if line[:2].lower() in ("to", "cc") and _ENTRY_DETAIL.match(match.string, match.end()):
        return line
    return ""


# Who sends reports: a mail system's own address or name, a list manager's bounce handler.
_MACHINE_SENDER = lazy(
    r"(?i)mailer[-_ ]?daemon|post[-_.]?master|mail[ \t]?delivery|delivery[ \t]?(?:sub)?system"
    r"|(?:mail|system|e-?mail|network)[ \t]?(?:admin|manager)|daemon|\bbounces?\b|\broot\b"
    r"|\bmta\b|smtp|mail[ \t]?(?:system|server|gateway|router|service|robot)|\bnotes\b"
    r"|exchange|\bmailman\b|majordomo|listserv|-(?:admin|owner|request)@|\bno-?reply\b"
    r"|gateway|\bgw\b|x\.?400|\bmailer\b|\brouter\b|\brelay\b"
    # a filter's or a policy engine's notices: "dlp-notify@", "quarantine@", "Mail Protection"
    r"|notif(?:y|ier|ication)s?\b|quarantin|\bdlp\b|\bprotection\b|\bdo-?not-?reply\b"
)
_DAEMON = lazy(r"(?i)mailer[-_ ]?daemon|post[-_.]?master")


def daemon_sender(mail: Mail) -> bool:
    """Whether a mail system's own daemon (mailer-daemon, postmaster) sent the message."""
    return bool(_DAEMON.search(mail.sender))


def _list_post(mail: Mail) -> bool:
    """A post a mailing list distributed (List-Id / List-Post, sent through the list's
    bounce address): a person's words, whatever the list's sender address looks like."""
    if not mail.has_headers or not (mail.header("List-Post") or mail.header("List-Id")):
        return False
    if (mail.content_type == "multipart/report" or mail.delivery_status
            or mail.header("X-Failed-Recipients") or daemon_sender(mail)):
        return False
    return not text.REPORT_SUBJECT.search(mail.subject)


_REPLY_SUBJECT = lazy(r"(?i)^[ \t]*(?:re|aw|sv|vs|antw|r|rif|réf|ref)[ \t]*:")


def _own_report_subject(subject: str) -> bool:
    """Whether `subject` is a report's own ("Your message ... was not sent"), not a
    person's reply to one or forward of one ("Fwd: Undelivered Mail ...")."""
    return bool(subject and text.REPORT_SUBJECT.search(subject)
                and not _REPLY_SUBJECT.match(subject) and not text.FORWARD_SUBJECT.match(subject))


def _person_sender(mail: Mail) -> bool:
    """Whether the message has headers and its sender names no mail system."""
    return mail.has_headers and bool(mail.header("From")) and not any(
        _MACHINE_SENDER.search(mail.header(name)) for name in ("From", "Sender", "Return-Path"))


def from_a_person(mail: Mail) -> bool:
    """Whether the message's own headers say a person (or a newsletter) wrote it: a
    sender that is no mail system, no report format, no empty envelope sender, no
    ``Auto-Submitted``, and a subject that is no report's (or a reply's). Such a message
    that talks about a bounce ("I got 550 user unknown when ...") is not one."""
    if _list_post(mail):
        return True
    if not _person_sender(mail):
        return False
    if mail.content_type == "multipart/report" or mail.header("X-Failed-Recipients"):
        return False
    return_path = mail.header("Return-Path")
    if return_path and return_path.strip().strip("<>").strip() == "":
        return False
    automatic = mail.header("Auto-Submitted").strip().lower()
    if automatic and automatic != "no":
        return False
    if mail.header("List-Unsubscribe") or mail.header("List-Id"):
        return True  # a newsletter or a list post
    subject = mail.subject
    return not text.REPORT_SUBJECT.search(subject) or bool(_REPLY_SUBJECT.match(subject))


# A list's notice to its owner that a member joined or left ("nora@... has been
# successfully subscribed to Makers"), unless bounces made it leave
_MEMBERSHIP_NOTICE = lazy(
    r"(?i)\bhas been (?:successfully )?(?:subscribed to|unsubscribed from)\b(?![^\n]{0,120}\bbounc)",
    guard=("subscribed",))
# A quarantine digest or an admin quarantine's notice: messages TO the reader (or held
# for a moderator) that a filter stopped, listed for release; no report of a failure
_QUARANTINE = lazy(
    r"(?i)\bquarantine[ \t]+(?:report|digest|summary|notification|overview)\b"
    r"|\b(?:daily|weekly) (?:quarantine|spam) (?:report|digest|summary)\b"
    r"|\b(?:messages?|e-?mails?)\b[^.\n]{0,40}\b(?:waiting|held|kept|stored|sitting)[ \t]+in"
    r"[ \t]+(?:the|an|your)[ \t]+(?:admin(?:istrator)?[ \t]+|spam[ \t]+|personal[ \t]+)?quarantine\b"
    r"|\bstopped by your (?:e-?mail |spam |mail |junk )?filter\b",
    guard=("quarantine", "daily", "weekly", "stopped by your "),
)
# ... unless it tells the reader that their own message was stopped
_YOUR_MESSAGE = lazy(r"(?i)\byour (?:message|e-?mail|mail)\b(?![ \t]+(?:filter|account|address|inbox"
                     r"|client|provider|settings|security|system|server|app))[^.\n]{0,80}?\b(?:to|was"
                     r"|were|has been|could not|couldn.t|is being)\b")


def quarantine_digest(mail: Mail, report: str) -> bool:
    """Whether the message (or a pasted text) is a quarantine's list of held mail, not
    about the reader's own."""
    head = f"{mail.subject}\n{report[:3000]}"
    return bool(not mail.delivery_status
                and not mail.header("X-Failed-Recipients") and not daemon_sender(mail)
                and _QUARANTINE.search(head) and not _YOUR_MESSAGE.search(head))


# the daily reports receivers send a domain's owner about all its mail, which people
# paste as if they were bounces: a DMARC aggregate report's XML (RFC 7489), an SMTP TLS
# report (RFC 8460)
_AGGREGATE_REPORT = lazy(
    r"(?im)<policy_evaluated>|<report_metadata>|^[ \t>]*TLS-Report-(?:Domain|Submitter):"
    r"|application/tlsrpt|\"policy-domain\"[ \t]*:")


def aggregate_report(report: str) -> bool:
    """Whether `report` is (or quotes) a DMARC aggregate or SMTP TLS report: a summary of
    a domain's mail, no report of this message's failure."""
    return bool(_AGGREGATE_REPORT.search(report[:20000]))


def matches(mail: Mail) -> bool:
    """Anything with a code or bounce wording in its report part (a message a person
    wrote only with a recipient and a server reply: :func:`parse`), apart from a
    quarantine's list of messages it holds."""
    report = text.report_part(mail.text)
    if quarantine_digest(mail, report):
        return False
    if mail.subject and text.REPORT_SUBJECT.search(mail.subject):
        return True
    if (codes.find_status(report) or codes.find_reply_code(report)
            or mail.header("X-Failed-Recipients")):
        return True
    # (bounce words folded over two lines: "has not been" / "delivered yet")
    head = report[:20000]
    return bool(text.BOUNCE_WORDS.search(head) or text.BOUNCE_WORDS.search(" ".join(head.split())))


def parse(mail: Mail) -> list[Finding]:
    """Recipients the report names as failed, each with its whole block of server words."""
    whole = unquote(text.report_part(mail.text))
    unquoted = text.returned_cut(whole)
    report = _HEADER_NAMES.sub(_header_line_out, unquoted)
    if _MEMBERSHIP_NOTICE.search(report[:3000]) and not text.has_code(report[:20000]):
        return []  # a list's routine notice of a member joining or leaving: nothing failed
    lines = report.split("\n")
    own = _own_addresses(mail)
    named = named_recipients(lines, own, _writer(mail), mail.subject)
    if not any(n.strong for n in named) and not mail.failed_recipients.addresses:
        # (the whole report: the returned message quoted inline is where its To: is)
        named = _named_elsewhere(mail, whole, lines, own) or named
    failed = [_Named(a, -1, True) for a in text.unique(_header_recipients(mail))]
    strong = [n for n in named if n.strong]
    chosen = text.unique([*(n.address for n in failed), *(n.address for n in (strong or named))])
    arrows = _arrow_pairs(report)
    if strong and len(named) > len(strong) and arrows:
        # an entry "info@... -> m.becker@..." names the forward's target beside the address
        # written to, however weakly the prose named it first
        weak = {n.address.lower(): n.address for n in named if not n.strong}
        picked = {a.lower() for a in chosen}
        chosen = text.unique([*chosen, *(weak[target] for alias, target in arrows
                                         if alias in picked and target in weak)])
    # "The alias jamie@... forwards to jamie.w@...": one failure, at the forwarding target
    aliases = _aliases(report, chosen, arrows)
    chosen = [a for a in chosen if a.lower() not in aliases]
    first_line: dict[str, int] = {}
    coded_line: dict[str, int] = {}
    for item in (strong or named):
        first_line.setdefault(item.address.lower(), item.line)
        coded_line.setdefault(item.address.lower(), item.coded_line)
    # words about a bounce in a person's message are no report: only a quoted server
    # reply in a recipient's block counts
    person = from_a_person(mail)
    starts = sorted({n.line for n in strong if n.opens_line})
    paragraphs = text.Blocks(lines)
    lowered = {a.lower() for a in chosen}
    findings = []
    account: str | None = None
    split: list[list[str]] = []  # (the report's paragraphs, split once when first needed)

    def report_blocks() -> list[str]:
        if not split:
            split.append(text.paragraphs(report))
        return split[0]

    for address in chosen[:500]:
        line = first_line.get(address.lower(), -1)
        if line >= 0:
            words, remote = paragraphs.words_for(line, address, starts, lowered)
        else:
            words, remote = _best_block(report_blocks()), None
        if not strong and line >= 0 and not text.has_evidence(words):
            continue  # an address in prose with no failure said about it
        quoted = coded_line.get(address.lower(), -1)
        if quoted >= 0 and not text.has_code(words):
            # first named in prose, quoted with its code further down: the reply counts
            reply, remote_there = paragraphs.words_for(quoted, address, starts, lowered)
            words, remote = f"{reply} {words}", remote or remote_there
        if person and (line < 0 or not (text.has_code(words) or (
                _ENTRY_LINE.match(lines[line]) and text.CAUSE_WORDS.search(words)))):
            continue
        if not text.has_code(words) and (not text.CAUSE_WORDS.search(words)
                                         or _label_only(words, address)
                                         or _message_summary(words)
                                         or _DANGLING_LABEL.search(words[-200:])):
            # the entry names no cause: the report's own account of the failure
            if account is None:
                blocks = report_blocks()
                account = text.explanation(blocks)
                if not text.has_code(account) and (not text.CAUSE_WORDS.search(account)
                                                   or _DANGLING_LABEL.search(account[-200:])):
                    # no cause in the report's prose, or only a label heading the next
                    # paragraph ("Reason:" over "5.1.1 ..."): its server reply, where it has
                    # one ("Diagnostic information for administrators: ... returned '...'")
                    coded = _best_block([b for b in blocks if text.has_code(b)])
                    account = " ".join(w for w in (account, coded) if w)
            # (the account may go on into the entry's own paragraph: not twice)
            words = (account if words and words in account
                     else " ".join(w for w in (words, account) if w))
        elif _wrapper_status_only(words):
            # the relay's own generic status ("Status: 5.4.0 (delivery to next hop
            # failed)"), the remote server's reply in one paragraph of its own that
            # names no recipient
            replied = [b for b in report_blocks()
                       if codes.find_reply_code(b) and b not in words
                       and not any(a in b.lower() for a in lowered)]
            if len(replied) == 1:  # the server's own words first: their codes count
                words = f"{_best_block(replied)} {words}"
        if len(chosen) == 1 and not text.has_code(words):
            # the report's own words of the cause, and the server's reply in a paragraph
            # of its own further down ("Server returned: 552 ..."): both count
            replied = [b for b in report_blocks()
                       if codes.find_reply_code(b) and b not in words]
            if 1 < len(replied) <= 3 and len({(codes.find_reply_code(b), codes.find_status(b))
                                              for b in replied}) == 1:
                # (the same reply in each: Microsoft 365's "Status code: 550 5.7.708" with
                # its explanation, then "Reported error: 550 5.7.708 Access denied ...")
                replied = [" ".join(replied)]
            if len(replied) == 1:
                words = f"{words} {codes.unwrap_reply(replied[0])}"
        if line >= 0 and not person:
            related = _related_log_lines(lines, line, lowered - {address.lower()})
            if related:
                # the same message's or connection's earlier log lines say why; the
                # recipient's own line first, so that its codes are the ones read
                words = f"{words} {related}"
        found = text.finding_from_words(words, address, NAME, remote_mta=remote)
        alias = next((a for a, target in aliases.items() if target == address.lower()), None)
        findings.append(found.with_changes(original_recipient=alias) if alias else found)
    if findings and not any(f.reply_code or f.status for f in findings) and phishing(report):
        return []  # no code from any server, and it asks to verify an account
    if findings:
        return text.mark_delays(_drop_wordless(findings), report)
    if person or _PHISHING.search(report[:20000]) or text.newsletter(mail.text):
        # (a "delivery failure" that names no one and asks to verify the account or
        # release held messages is phishing dressed as a bounce; a newsletter quotes
        # replies as examples)
        return []
    blocks = report_blocks()
    words = _best_block(blocks)
    if (not words and _own_report_subject(mail.subject) and not _person_sender(mail)
            and not any(t.startswith("message/") for t in mail.content_types)):
        # the subject says it failed ("Your message ... was not sent"), the body why
        words = next((codes.unwrap_reply(b) for b in blocks[:40]
                      if text.CAUSE_WORDS.search(b)), "")
        if words:
            return text.mark_delays([text.finding_from_words(
                words, _single_original_recipient(mail), NAME)], report)
    if not words or (_person_sender(mail) and not codes.find_reply_code(words)):
        # a person's words about a failed delivery, naming no address (an enhanced code
        # alone is a mention: "you may have seen codes such as 5.1.1")
        return []
    if not text.has_code(words):
        # no server reply: the report's own account, with the paragraph giving the
        # reason after its headline ("... was blocked." then "It matched the policy ...")
        words = text.explanation(blocks) or words
    if (codes.find_status(words) or codes.find_reply_code(words)
            or text.BOUNCE_WORDS.search(words)):
        return text.mark_delays(
            [text.finding_from_words(words, _single_original_recipient(mail), NAME)], report)
    return []


class _Named:
    """An address where the report names it: its line and whether the place is one a
    failed recipient stands in (``opens_line``: the line starts with it); and
    ``coded_line``, a later line where a reply code quotes it ("Response: 550 5.2.1
    <ann@...>: ..."), or -1."""

    __slots__ = ("address", "coded_line", "line", "opens_line", "strong")

    def __init__(self, address: str, line: int, strong: bool, opens_line: bool = False) -> None:
        self.address, self.line, self.strong, self.opens_line = address, line, strong, opens_line
        self.coded_line = -1


# Where an address is the envelope sender, not a recipient:
# "MAIL FROM:<me@example.com>", "from=<me@example.com>", "Sender address rejected: <me@...>"
_SENDER_BEFORE = lazy(
    r"(?i)(?:mail[ \t]+from|from=|ctladdr=|(?<![\w-])f=|envelope[ -]from|return-path|sending[ \t]+address"
    # (not Postfix's or Exim's subject above the recipient: "Undelivered Mail Returned to
    # Sender", "Mail delivery failed: returning message to sender")
    r"|(?<!returned to )(?<!return to )(?<!back to )(?<!message to )sender(?:[ \t]+address)?"
    r"(?:[ \t]+rejected)?|originator|(?:message|msg)[-_ \t]?id|references|in-reply-to"
    # a message's id in other languages: "Identificativo messaggio:" (a PEC notice),
    # "Nachrichten-ID", "ID du message", "ID del mensaje", "ID da mensagem"
    r"|identificativo(?:[ \t]+del)?[ \t]+messaggio|\bid[ \t]+(?:del[ \t]+)?messaggio|nachrichten-?id"
    r"|\b(?:id|identifiant)[ \t]+du[ \t]+message|\b(?:id|identificador)[ \t]+del[ \t]+mensaje"
    r"|\b(?:id|identificador)[ \t]+da[ \t]+mensagem|メッセージ[ \t]?ID"
    # (not an alias a recipient was reached through: Postfix's "(expanded from <team@...>)",
    # Exim's "(generated from team@...)")
    r"|(?<!expanded )(?<!generated )\bfrom"
    # a message named by its id: "We tried to deliver your message <2024.x@host>"
    r"|\b(?:message|msg)[ \t]+<"
    # a console's or a log's field: "P1FromAddress : a@...", "SenderAddress: {a@...}"; an
    # API's words about the one given: "The 'From' address you supplied (a@...)"
    r"|(?:from|sender)[\"'\u2019]?[-_ \t]?address(?:es)?(?:[ \t]+you[ \t]+"
    r"(?:supplied|provided|gave|used|specified|entered|set))?"
    # the login the sender's own server names: "not owned by user me@...", "logged in as"
    r"|not[ \t]+owned[ \t]+by(?:[ \t]+the)?(?:[ \t]+(?:user|login|account))?"
    r"|(?:logged[ \t]+in|authenticated|signed[ \t]+in)[ \t]+as"
    # the login named as the one the sender is not allowed for: "for the authenticated user
    # me@...", "per l'utente autenticato me@..."
    r"|(?:authenticated|logged[- ]in|signed[- ]in)[ \t]+(?:user|account|login)|utente[ \t]+autenticato"
    # the sender in other languages: "proveniente da", "enviado por", "Absender:", "差出人"
    r"|proveniente[ \t]+da|inviat[oa][ \t]+da|\bmittente|\bremitente|enviad[oa][ \t]+por"
    r"|\bremetente|exp(?:é|e)diteur|envoy(?:é|e)e?[ \t]+par|\babsender(?:adresse)?|\bafzender"
    r"|\bnadawca|\bodes(?:í|i)latel|差出人|送信者|发件人|寄件人|отправител[ьяю]"
    # "we send as orders@...", "sending as", "Relaying disallowed as billing@..."
    r"|\bsend(?:s|ing)?[ \t]+as|\b(?:disallowed|denied|not[ \t]+allowed|not[ \t]+permitted)[ \t]+as"
    # the account a mail program signs in with: "with username \"me@...\"", "login: me@..."
    r"|\buser[ -]?name|\blogin(?:[ \t]+name)?|\bsasl_(?:username|sender)"
    # a program's settings: "EMAIL_HOST_USER=me@...", "SMTP_FROM=me@..."
    r"|(?-i:[A-Z][A-Z0-9_]{0,30}(?:USER|USERNAME|LOGIN|FROM|FROM_EMAIL|SENDER))[ \t]*[=:]"
    # a mail queue listing's entry names its sender after the arrival time:
    # "3E9B2400A1*   912 Fri Feb  2 11:05:40  root@..." (its recipients follow, indented)
    r"|\b" + text.QUEUE_ENTRY_HEAD +
    # Outlook's send task names the account it sends from: "Task 'ann@example.org - Sending'"
    r"|\btask[ \t]+'"
    # Exim's main log: a message's arrival from its sender ("1tepQa-0004Xy-2B <= ann@..."),
    # and a bounce's own arrival, addressed to that sender ("<= <> R=... for ann@...")
    r"|(?<=\S[ \t])<=(?:[ \t]+<>[^\n]{0,300}?[ \t]for)?"
    # a person saying what a form or a program puts in From: "The From is set to the
    # visitor's address (someone@...)"
    r"|\bfrom\b(?:[ \t]+(?:header|field|address|line))?[ \t]+(?:is|was|gets)[ \t]+"
    r"(?:set|changed|filled)[ \t]+(?:to|with)(?:[ \t]+[\w'\u2019.-]{1,30}){0,4}"
    # a greeting names the reader, the sender of the message: "Hello ann@example.net," (at
    # the start, or after the sentence a person wrote above it)
    r"|(?:^|(?<=[.!?:;][ \t]))[ \t]*"
    r"(?:hello|hi|hey|dear|greetings|hallo|bonjour|hola|ciao|ol(?:á|a))[ \t]*,?)"
    # a console's qualifier after the label: "From (envelope): a@..."
    r"(?:[ \t]*\((?:envelope|header|smtp|mail from|return[- ]path|p1|p2)\))?"
    r"[\"']?[ \t]*[:=]?[ \t]*[\"'({]?[ \t]*<?[ \t]*\Z"
)
# the writer naming their own address: "My address is\nd.tran@..." (not the failed one;
# where it did fail, the server's reply names it again)
_OWN_ADDRESS_BEFORE = lazy(r"(?i)\bmy (?:own |real |correct |actual |right )?(?:e-?mail )?"
                           r"address (?:is|was)[ \t:]*[\"'<(]?[ \t]*\Z")
_SENDER_AFTER = lazy(
    r"(?i)>?[ \t]*(?:\.\.\.)?[ \t]*:?[ \t]*(?:(?:domain[ \t]+of[ \t]+(?:the[ \t]+)?)?sender[ \t]+"
    r"(?:address|domain|rejected|verif"
    # "<me@example.net> sender is blacklisted"
    r"|(?:is|was|has[ \t]+been)[ \t]+(?:black-?listed|block-?listed|deny-?listed|blocked|banned|denied"
    r"|refused|rejected"
    r"|not[ \t]+allowed)"
    # "<promo@...>: sender not authorized for the authenticated user"
    r"|not[ \t]+(?:authori[sz]ed|allowed|permitted)[ \t]+for)"
    # the same label in other languages: "Dirección de remitente rechazada", "Absender..."
    r"|direcci(?:ó|o)n[ \t]+del?[ \t]+remitente|adresse[ \t]+(?:de[ \t]+l.)?exp(?:é|e)diteur"
    r"|absender(?:adresse)?[ \t]+(?:abgelehnt|abgewiesen|zur(?:ü|ue)ckgewiesen)"
    r"|endere(?:ç|c)o[ \t]+do[ \t]+remetente|indirizzo[ \t]+del[ \t]+mittente"
    # the sender named, then refused: "<promo@...>: mittente non autorizzato", "remitente no
    # autorizado", "expéditeur non autorisé", "Absender nicht erlaubt", "remetente não autorizado"
    r"|(?:mittente|remitente|remetente|exp(?:é|e)diteur|absender)[ \t]+(?:non|no|n(?:ã|a)o|nicht)"
    r"[ \t]+(?:autorizzat|autorizad|autoris|erlaubt|zugelassen|consentit|permitid)"
    r"|<?[ \t]*\.\.\.[ \t]*sender\b"
    # a filter's log, sender to recipients: "<vendor@...> -> <ann@...>,<bob@...>"
    r"|->[ \t]*<"
    # a list's refusal names the poster: "the address ann@... is not subscribed"
    r"|(?:is|was)[ \t]+not[ \t]+(?:subscribed|a[ \t]+(?:member|subscriber)\b)"
    # the same in other languages: "no figura como miembro", "n'est pas membre", "ist kein
    # Mitglied", "não é membro", "non è iscritto", "is geen lid"
    r"|no[ \t]+(?:figura[ \t]+como|es)[ \t]+(?:un[ \t]+)?(?:miembro|suscriptor)"
    r"|no[ \t]+est(?:á|a)[ \t]+(?:suscrit|inscrit)[oa]|n.est[ \t]+pas[ \t]+(?:membre|abonn|inscrit)"
    r"|ist[ \t]+kein(?:e)?[ \t]+(?:Mitglied|Abonnent)|ist[ \t]+nicht[ \t]+(?:eingetragen|abonniert)"
    r"|n(?:ã|a)o[ \t]+(?:(?:é|e)[ \t]+(?:um[ \t]+)?membro|est(?:á|a)[ \t]+inscrit[oa])"
    r"|non[ \t]+(?:è|e)[ \t]+(?:un[ \t]+)?(?:membro|iscritt[oa])|is[ \t]+geen[ \t]+lid\b)"
)
# a log row's sender before its recipient, without brackets: "Jun 3, 2024 11:40 AM
# ops@mg.example.com -> ann@example.net" (the time before it, on its line or the one above,
# tells a log row from an alias table's "dan@example.org -> dan.ortiz@example.com")
_LOGGED_SENDER_AFTER = lazy(r"[ \t]*->[ \t]*[^\s<>@]{1,64}@")
_TIME_BEFORE = lazy(r"\b\d{1,2}:\d{2}\b")
# the addresses of a list before an address: "ann@example.org, <bob@example.org>; "
# what stands between two addresses of a list: "a@x, b@y", "<a@x>; <b@y>"
_LIST_GAP = lazy(r">?[ \t]*[,;][ \t]*<?")
_LISTED_BEFORE = lazy(r"(?:<?[^\s<>,;@]{1,64}@[^\s<>,;@]{1,255}>?[ \t]*[,;][ \t]*){1,50}\Z")
# Words after an address that say its delivery went well: "(frank@example.net,
# sam@example.net) were not affected", "... was delivered successfully"
_UNAFFECTED_AFTER = lazy(
    r"(?i)[^.;\n]{0,80}?\b(?:(?:were|was|are|is|have been|has been) not affected"
    r"|(?:were|was|have been|has been) (?:successfully |normally )?delivered(?! to)"
    r"|delivered (?:successfully|normally|fine|ok)\b|(?:were|was) accepted for delivery"
    # people the notice was copied to: "the compliance team (x@...) has been informed"
    r"|(?:have|has) been (?:informed|notified|copied|cc.?d|told)"
    # the other recipients that got it: "(bo@...) received the message normally", "ha
    # ricevuto il messaggio regolarmente", "hat die Nachricht erhalten"
    r"|(?<!not )(?<!n't )(?<!never )(?:received|got) (?:the|your|this) (?:message|e-?mail|mail)\b"
    r"(?! (?:back|bounced|returned))|(?<!non )ha ricevuto il messaggio"
    r"|hat die (?:Nachricht|E-Mail|Mail) (?:erhalten|bekommen)"
    r"|(?<!pas )a (?:bien )?re(?:ç|c)u (?:le|votre) message"
    r"|(?<!no )(?:recibi(?:ó|o)|ha recibido) (?:el|su) mensaje|(?<!não )recebeu a mensagem)"
    # a trace table's row that ends in a success: "6/10/2025 2:14 PM  ann@...  Delivered"
    r"|[ \t]{2,}(?:delivered|sent|relayed|expanded)[ \t]*$"
    # a list item's status after a dash: "Lucía <lucia@...> - Entregado" (not "- No entregado")
    # (or the last cell of a table's row: "| accounts@... | Delivered |")
    r"|>?[ \t]*(?:[-\u2013\u2014:|][ \t]*)(?:delivered|sent|accepted|entregad[oa]|enviad[oa]|zugestellt"
    r"|gesendet|remis|distribu(?:é|e)|envoy(?:é|e)|consegnat[oa]|recapitat[oa]|entregue|afgeleverd"
    r"|bezorgd|verzonden)[ \t]*[.!|]?[ \t]*$"
)
#: a literal of which every _UNAFFECTED_AFTER match holds one
_UNAFFECTED_WORDS = ("affected", "delivered", "accepted", "informed", "notified", "copied",
                     "entregad", "enviad", "zugestellt", "gesendet", "remis", "distribu", "envoy",
                     "consegnat", "recapitat", "entregue", "afgeleverd", "bezorgd", "verzonden",
                     "cc", "told", "sent", "relayed", "expanded", "received", "got", "ricevuto",
                     "erhalten", "bekommen", "reçu", "recu", "recibi", "recebeu")


# an address given to use meanwhile or instead: "invoices to membership@... in the meantime"
_INSTEAD_AFTER = lazy(
    r"(?i)[ \t>)\].,;]*(?:instead|in the meantime|meanwhile|for now|until then|stattdessen"
    r"|in der zwischenzeit|à la place|en attendant|en su lugar|mientras tanto|invece|intussen)\b")

#: a literal of which every _INSTEAD_AFTER match holds one
_INSTEAD_WORDS = ("instead", "meantime", "meanwhile", "for now", "until then", "statt",
                  "zwischenzeit", "place", "attendant", "lugar", "mientras", "invece", "intussen")


def _instead_after(lines: list[str], index: int, end: int) -> bool:
    """Whether words after the address (on its line, or opening the next when the line
    ends there) give it as one to use meanwhile or instead."""
    rest = lines[index][end:end + 40]
    if not rest.strip(" \t>)].,;") and index + 1 < len(lines):
        rest = f"{rest} {lines[index + 1][:40].lstrip(' >')}"
    lowered = rest.lower()
    return any(word in lowered for word in _INSTEAD_WORDS) and bool(_INSTEAD_AFTER.match(rest))


# a quoted message's attribution line, "On 3 June, Ben <ben@example.com> wrote:": its
# writer, not a recipient (in the languages mail programs write it in)
_WROTE_AFTER = lazy(r"(?i)>?[)\]]?,?[ \t]*(?:wrote|writes|schrieb|a (?:é|e)crit|escribi(?:ó|o)|scrisse"
                    r"|escreveu|schreef|skrev|kirjoitti|napisa(?:ł|l)(?:a|\(a\))?|написал[а]?)[ \t]*:")


def _unaffected_after(line: str, end: int) -> bool:
    rest = line[end:end + 120]
    lowered = rest.lower()
    return (any(word in lowered for word in _UNAFFECTED_WORDS)
            and bool(_UNAFFECTED_AFTER.match(rest)))


# what phishing dressed as a bounce asks of its reader, never a mail server
_PHISHING = lazy(
    r"(?i)\bverify (?:your )?(?:account|mailbox|e-?mail account|identity)\b"
    r"|\brelease (?:the |your |these |pending |held )?(?:pending |held |incoming )?messages\b"
    r"|\b(?:account|mailbox) will be (?:suspended|deactivated|closed|deleted|disabled)\b")

def phishing(report: str) -> bool:
    """Whether a "delivery failure" asks its reader to verify an account or release held
    messages: phishing dressed as a bounce (never what a mail server asks)."""
    return bool(_PHISHING.search(report[:20000]))


# a mail log line's delivery state: "status=deferred (...)", "status=bounced (...)"
_LOG_STATUS = lazy(r"\bstatus=(?:sent|bounced|deferred|expired|undeliverable)\b")

#: words without one of which _REPORTER_BEFORE and _RECIPIENT_NOUN_BEFORE cannot match
_REPORTER_WORDS = (" by", "requester", "reporter", "customer", "caller")
_RECIPIENT_NOUNS = ("member", "recipient", "addressee", "subscriber", "mailbox", "account",
                    "address", "tried to")

# A noun naming the recipient right before the address, in prose: "The member
# ann@example.org has set up Mail Controls", "the address old@... is no longer read"
_RECIPIENT_NOUN_BEFORE = lazy(
    # (not "user": "user ops@..." is as often the login a program sent with)
    r"(?i)\b(?:member|recipient|addressee|subscriber|mailbox|account|(?:e-?mail )?address"
    # "the group you tried to reach (team@example.org)"
    r"|tried[ \t]+to[ \t]+(?:reach|contact|write[ \t]+to|send[ \t]+to|e-?mail|mail|post[ \t]+to))"
    r"[ \t]*[\"'<(]?[ \t]*\Z")

# What may stand before an address that opens a recipient line: brackets, a bullet, a
# label ("Recipient:", "Address:", "To:", "RCPT TO:", "Final-Recipient: rfc822;").
# a bullet or a number of a list, and a short flag: "- ", "2. ", "[R] "
_OPENING_MARK = r"[ \t\u3000]*(?:(?:[-*\u2022]|\d{1,4}[.)])[ \t]+)?(?:\[[^\]\n]{1,12}\][ \t]+)?"
# (not "(": "(ann@example.org, ext. 44) today" is prose about a person)
_OPENING_BRACKET = r"[<\"'\[\u300c\u3010\uff08]?[ \t]*\Z"
_LINE_OPENING = lazy(
    r"(?i)" + _OPENING_MARK + r"(?:"
    # a label given in two languages: "받는 사람 / Recipient:", "Empfänger / Recipient:"
    r"(?:[^\s/:<>@]{1,20}(?:[ \t]+[^\s/:<>@]{1,20}){0,2}[ \t]*/[ \t]*)?"
    r"(?:original[ \t-]+|final[ \t-]+|failed[ \t-]+|intended[ \t-]+|affected[ \t-]+|"
    r"rfc[ \t-]?822[ \t]+|internet[ \t]+|smtp[ \t]+)?"
    r"(?:recipient|address|addressee|rcpt(?:[ \t]+to)?|to|b?cc|user|mailbox|宛先|あて先|送信先|配信先|"
    r"受信者|受取人|收件人|收件者|收信人|수신자|수신인|받는[ \t]?사람|참조|получатель|destinataire|"
    r"empf(?:ä|ae)nger|destinat(?:á|a)rio)s?"
    # a probe's or a test's recipient: "Recipient under test:", "Address tested:"; a
    # report's "Recipients affected:"
    r"(?:[ \t]+(?:under[ \t]+test|tested|probed|affected|concerned|in[ \t]+question))?"
    r"[ \t\u3000]*[:=：][ \t\u3000]*)?"
    r"(?:rfc822[ \t]*;[ \t]*)?" + _OPENING_BRACKET
)
# The same without the label and "rfc822;", which need letters: for an opening without
# any (nearly always "550 5.1.1 <" or a bracket), this small pattern decides alike
_UNLABELLED_OPENING = lazy(_OPENING_MARK + _OPENING_BRACKET)
# an item of a bulleted or numbered list that names the person first: "  - Aaron Belcourt
# <a.belcourt@...>", "2. Mei Lin Tan <...>" (a name of one to four words, then the bracket)
_NAMED_ITEM_OPENING = lazy(
    r"(?i)[ \t\u3000]*(?:(?:[-*\u2022]|\d{1,4}[.)])[ \t]+[^\s<>@:,;()]{1,30}"
    r"(?:[ \t]+[^\s<>@:,;()]{1,30}){0,3}[ \t]*<"
    # or a platform's label for the person, then the name: "Invitee:  Paul Novak (paul@...)"
    r"|(?:invitee|guest|attendee|participant|contact|recipient|referee|client|member|subscriber"
    r"|signer|addressee)s?[ \t]*:[ \t]*[^\s<>@:,;()]{1,30}(?:[ \t]+[^\s<>@:,;()]{1,30}){0,3}[ \t]*[<(])"
    r"[ \t]*\Z")


# a line that is an MTA's entry for one address: "<ann@example.org>: Command died ..."
_ADDRESS_ENTRY = lazy(r"[ \t>]*<[^\s<>@]{1,64}@[^\s<>]{1,255}>:[ \t]")
# Postfix's entry for one recipient, "<ann@example.org>: host mx.example.org[192.0.2.1]
# said: 550 5.7.1", with the server's reply wrapped onto the more indented lines below it
_POSTFIX_ENTRY = lazy(r"([ \t>]*)<([^\s<>@]{1,64}@[^\s<>]{1,255})>(?:[ \t]+\(expanded from "
                      r"<[^\s<>]{1,320}>\))?:[ \t]*host[ \t]+\S{1,255}[ \t]+said:", guard=("said:",))


def _quoted_in_reply(lines: list[str], index: int, address: str) -> bool:
    """Whether line `index`, which opens with `address`, goes on with the reply a Postfix
    entry of another recipient quotes: "<ann@...>: host ... said: 550" then, wrapped,
    "    <news@example.com>: Reject due to SPF policy (in reply to MAIL FROM command)"
    names the sender inside the server's reply, not a recipient of its own."""
    indent = len(lines[index]) - len(lines[index].lstrip(" \t"))
    if not indent:
        return False
    for back in range(index - 1, max(-1, index - 8), -1):
        line = lines[back]
        own = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or own > indent or "(in reply to" in line:
            return False
        if own < indent:
            entry = _POSTFIX_ENTRY.match(line)
            return entry is not None and entry.group(2).lower() != address.lower()
    return False


def _opens_line(opening: str) -> bool:
    """Whether `opening`, the words before an address on its line, is only what may open
    a recipient line (_LINE_OPENING)."""
    if len(opening) >= 60:
        return False
    if not any(c.isalpha() for c in opening):
        return _UNLABELLED_OPENING.fullmatch(opening) is not None
    return (_LINE_OPENING.fullmatch(opening) is not None
            or _NAMED_ITEM_OPENING.fullmatch(opening) is not None)


_EXPLICIT_RECIPIENT = lazy(
    r"(?i)(?:rcpt[ \t]+to[ \t]*:|\bto=|\bfinal-recipient[ \t]*:[^;\n]{0,10};"
    r"|\byour[ \t]+(?:message|e-?mail|mail)[ \t]+to"
    r"|\b(?:message|e-?mail|mail)[ \t]+you[ \t]+sent[ \t]+to"
    # a system's notice: "We received an email from you addressed to support@..."
    r"|\b(?:e-?mail|message|mail)\b[^\n]{0,80}?\baddressed[ \t]+to)[ \t]*<?\Z"
)
# The reply refusing the address right after it: "<noc@example.net>: Recipient address
# rejected", "<root@...>... User unknown"
_REFUSED_AFTER = lazy(
    r"(?i)>?[ \t]*(?:\.\.\.|:)?[ \t]*(?:recipient address rejected|user unknown|"
    r"mailbox unavailable|no such user|unknown user|recipient rejected)")
# A line that labels the recipients below it: "Delivery has failed to these recipients or
# groups:", "Die Nachricht konnte an folgende Empfänger oder Gruppen nicht zugestellt
# werden:", "Uw bericht heeft de volgende ontvangers niet bereikt:"
_RECIPIENTS_LABEL = lazy(
    r"(?i)(?:recipients?|groups?|empf(?:ä|ae)nger|gruppen|destinataires?|groupes|"
    r"destinatari|gruppi|destinatarios?|grupos|destinat(?:á|a)rios|ontvangers|groepen|"
    r"mottagare|grupper|odbiorc(?:y|ów)|grup|受信者|宛先)(?:[ \t]+[^\s:]{1,30}){0,6}[ \t]*[:：][ \t]*\Z"
)
_RCPT_BEFORE = lazy(
    r"(?i)(?:rcpt[ \t]+to[ \t]*:?"
    # a label for the failed ones: "The following recipients failed:", "Failed recipients:"
    # ("Failed:", "Failed recipient on the one I attached:", not "failed the check in ...:")
    r"|(?:failed|undeliverable|rejected|refused|bounced|inactive|suppressed|invalid|blocked)"
    r"(?:[ \t]+(?:recipients?|addresses?)"
    r"(?:[ \t]+[^\s:@]{1,20}){0,6})?[ \t]*:"
    r"|recipients?[ \t]+(?:failed|were[ \t]+rejected|rejected|refused)[ \t]*:"
    # Exim's reject log: "F=<a@...> rejected RCPT <ann@example.org>: ..."
    r"|rejected[ \t]+rcpt)[ \t]*<?\Z"
)
# A ticket's or a form's label for the person who wrote it, perhaps with their name:
# "Reported by: Noor Haddad (noor@...)", "Requester: ann@..."
_REPORTER_BEFORE = lazy(
    r"(?i)\b(?:(?:reported|submitted|opened|raised|created|filed|requested|logged)[ \t]+by"
    r"|(?:requester|reporter|customer|caller)[ \t]*:)[ \t]*(?:[^<>()@:\n]{1,40}[ \t]*)?[<(\"'\[]?[ \t]*"
    # (not the person the customer wrote to: "Customer says our invoices to ann@...")
    r"(?<! to )(?<! to <)(?<! for )\Z"
)
# a help desk's own notice that its mail to the ticket's requester failed: "bounced for
# the requester", "a permanent failure for this customer", "couldn't send a customer
# notification"
_FOR_THE_REQUESTER = lazy(
    r"(?i)\b(?:bounced|failed|failure|not (?:be )?delivered|undeliverable|could ?n[o']t (?:be )?"
    r"(?:sent|delivered)) (?:for|to) (?:the|this|that|your) (?:requester|customer|caller)\b"
    r"|\b(?:could ?n[o']t|can ?n[o']t|cannot|failed to|unable to) (?:send|deliver|e-?mail)"
    r" (?:(?:a |the )?(?:requester|customer) (?:notification|e-?mail|message|reply)"
    r"|(?:\S{1,20} ){0,3}(?:to|for) (?:the|this|that|your) (?:requester|customer|caller)\b)"
    # "Abandoned cart email to 1 customer failed"
    r"|\b(?:e-?mail|message|notification)s? to (?:\d{1,4} |the |a |your |one )?customers? (?:has |have )?"
    r"(?:failed|bounced)\b"
    # "customer notification failed", "Customer email marked as undeliverable"
    r"|\b(?:requester|customer|caller) (?:notification|e-?mail|message|reply)s? (?:has |have )?(?:failed"
    r"|bounced|(?:was |were )?(?:not delivered|marked as undeliverable|returned|rejected))\b")


def _failed_for_the_requester(lines: list[str], subject: str = "") -> bool:
    """Whether the notice (or its `subject`) says its own mail to the ticket's requester
    failed (then the "Requester:" or "Customer:" it names is the failed recipient)."""
    return bool(_FOR_THE_REQUESTER.search(" ".join([subject, *lines[:200]])))


# Where an address is one to write to for help, not a recipient: "contact
# postmaster@example.org", "please write to abuse@...", "mailto:help@...".
_CONTACT_BEFORE = lazy(
    # (not "Contact: ann@...", a CRM's label for the person a record is about)
    # (nor "the contact ann@...", "for contact ann@...:", the person a record is about)
    r"(?i)(?:(?<!the )(?<!\ba )(?<!for )(?<!each )(?<!this )\bcontact(?:ing)?(?![ \t]*:)"
    r"|(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\bi always )\bwrite(?: an? e-?mail)? to"
    r"|\bsend (?:an? )?(?:e-?mail|mail|message|request|report) to"
    # (the verb: "please report it to abuse@...", not a noun: "sending the daily report to")
    r"|(?:^|(?<=[.,;:!?(][ \t])|(?<=please )|(?<=and )|(?<=or ))report (?:it |this |abuse |spam )?to"
    # "send your enquiry to sales@...", "please send it again to service@..."
    r"|(?<!n.t )(?<!not )(?<!unable to )\bsend (?:your (?:enquiry|inquiry|request|question|order|"
    r"invoice|application|documents?)|it|them)(?: again| instead)? to"
    # (not the one a sender "tried to reach")
    r"|(?<!tried to )(?<!trying to )\breach(?: us)?(?: at)?|\bmailto:|\bemail us at"
    # "Questions: it-security@...", "Help: desk@...", "Actual humans: ops@..."
    r"|\b(?:questions?|queries|enquiries|inquiries|help|support"
    r"|(?:actual |real )?(?:humans?|people))[ \t]*[:?]"
    # someone else who reads the mail meanwhile: "my partner Lukas reads studio@..."
    r"|\b(?:reads|monitors|looks after|covers|handles)(?: (?:the )?(?:mail|e-?mails?|messages|post)"
    r"(?: (?:to|at|for|sent to))?)?"
    # (not where mail is set to go on to: "It is set to forward to old@...", the target)
    r"|(?<!set to )(?<!configured to )\bforward (?:it |this )?to|\bask"
    # the new address of a recipient who moved: "User has moved; please try <new@...>"
    r"|[;,.][ \t]*try|\bplease[ \t]+(?:try|use|write[ \t]+to"
    r"|send[ \t]+(?:it[ \t]+|mail[ \t]+|messages[ \t]+)?to)"
    r"|\bnew[ \t]+(?:e-?mail[ \t]+)?address(?:[ \t]+is)?|\bmoved[ \t]+to"
    # "mail for this person now goes to <new@...>", "is now forwarded to"
    r"|\bnow[ \t]+(?:goes|go|(?:being[ \t]+)?(?:forwarded|redirected|delivered|sent))[ \t]+to"
    r"|\bredirect[ \t]+(?:it[ \t]+|mail[ \t]+|your[ \t]+mail[ \t]+)?to"
    # where the person's work goes now: "should now go to sales@...", "reached at tom@..."
    r"|\b(?:should|will|must)(?:[ \t]+now)?[ \t]+(?:go|be[ \t]+sent|be[ \t]+addressed)[ \t]+to"
    r"|\breached[ \t]+(?:\w{1,20}[ \t]+)?at"
    # "please contact the school office at office@...", "kontakt z działem IT: it@..."
    r"|\bcontact(?:ing)?[ \t]+(?:the|our|your)[ \t]+(?:\w{1,20}[ \t]+){0,3}(?:at|on|via)"
    r"|\bkontakt\w{0,3}[ \t]+(?:z|ze)[ \t]+\w{1,20}(?:[ \t]+\w{1,10})?[ \t]*:"
    r"|\bwenden[ \t]+sie[ \t]+sich[ \t]+(?:bitte[ \t]+)?an(?:[ \t]+\w{1,20}){0,3}"
    r"|\bforwarding[ \t]+(?:information|address|details)(?:[ \t]+\S{1,20}){0,3}[ \t]*:"
    # the same in other languages: "le escriban a", "écrivez à", "scrivete a", "schreiben Sie an"
    r"|\bescrib\w{0,4}[ \t]+a|\bescrev\w{0,4}[ \t]+(?:para|a)"
    r"|\b(?:é|e)criv\w{0,3}[ \t]+(?:à|a)|\bscriv\w{0,4}[ \t]+a"
    r"|\bschreiben[ \t]+sie[ \t]+an"
    # an example of the address pattern: "(e.g. anouk.welpen@...)", "(bv. ...)", "z. B."
    r"|\b(?:e\.[ \t]?g\.|for[ \t]+(?:example|instance)|z\.[ \t]?b\.|bv\.|bijv\.|p\.[ \t]?ex\."
    r"|por[ \t]+ejemplo|ad[ \t]+es\.|np\."
    # the pattern of the addresses: "our addresses look like first.last@..."
    r"|\blooks?[ \t]+like|\bin[ \t]+the[ \t]+form(?:at)?(?:[ \t]+of)?))"
    r"[ \t]*(?:us[ \t]+at[ \t]*)?[:<\"'(]?[ \t]*\Z"
)

# the list a member was taken off: "dora@... has been unsubscribed from members@lists...",
# "retirés automatiquement de la liste astronomie@...": the list, not a failed recipient
_LIST_BEFORE = lazy(
    r"(?i)\b(?:unsubscribed|removed|deleted|dropped|disabled|retir[ée]e?s?|supprim[ée]e?s?"
    r"|entfernt|ausgetragen|eliminad[oa]s?|rimoss[oi])(?:[ \t]+\w{1,15}){0,2}[ \t]+"
    r"(?:from|de|von|aus|dalla|della)(?:[ \t]+(?:the|la|der|dem|die))?"
    r"(?:[ \t]+(?:mailing[- ])?(?:list|liste|lista|group|groupe|gruppo))?[ \t]*[:<\"'(]?[ \t]*\Z")


def names_a_list(report: str, start: int) -> bool:
    """Whether the address at report[start:] is a list a member was taken off."""
    return bool(_LIST_BEFORE.search(report[max(0, start - 120):start]))


# an address that ends its line with a colon heads what follows ("contact ann@...:"), so
# it is what the lines below are about, not an address to write to for help
_HEADS_BLOCK = lazy(r">?[ \t]*:[ \t]*$")


def named_recipients(lines: list[str], own: set[str],
                     writer: frozenset[str] = frozenset(), subject: str = "") -> list[_Named]:
    """Each address of the report once, where it is first named as a recipient: strong
    where it opens a line, follows a code or RCPT TO, or stands in a line about a failed
    delivery; never the envelope sender, a URL, a list's or a role's address, nor one of
    `own`, the report's own addresses, unless it is one of `writer` (the report's From)
    named as the recipient ("Your message to <the group that writes> was not delivered").
    The report's `subject` may say that its mail to a "Customer:" it names failed."""
    found: dict[str, _Named] = {}
    requester_failed: bool | None = None  # _failed_for_the_requester, asked once if needed
    senders: set[str] = set()
    not_recipients = _table_non_recipients(lines)
    for index, line in enumerate(lines):
        if "@" not in line:
            continue
        evidence: bool | None = None
        # the opening before the first address of a run of listed ones ("Recipients
        # affected: a@x, b@y, c@z"): each address of the run has it
        run_opening: str | None = None
        previous_end = -1
        for match in codes.ADDRESS.finditer(line):
            listed = previous_end >= 0 and _LIST_GAP.fullmatch(
                line, previous_end, match.start()) is not None
            previous_end = match.end()
            if not listed:
                run_opening = None
            address = codes.clean_address(match.group(0))
            if address is None:
                continue
            if address.lower() in own and (
                    address.lower() not in writer
                    or not _EXPLICIT_RECIPIENT.search(_said_before(lines, index, match.start()))):
                continue
            if (index, match.start()) in not_recipients:
                senders.add(address.lower())
                continue
            # where the address itself starts: "抄送给chenjie@..." reads as one word
            start = match.start()
            local = address.split("@", 1)[0]
            if not match.group(0).startswith(local):
                start += max(0, match.group(0).find(local))
            before = line[max(0, start - 60) : start]
            # a role or system address is a recipient only where a field says so
            # ("RCPT TO:<root@...>", a log's "to=<root@...>", "Your message to info@..."),
            # or on its own line under a label of failed recipients
            label = _label_above(lines, index, before)
            labelled = _labels_failed(label)
            if not labelled and _labels_delivered(label):
                continue  # listed as delivered, not failed
            # (or follows others of a list that opens the line: "Failed: a@x; b@y", the
            # whole run: a label's third address may start more than 60 characters in)
            if listed and run_opening is not None:
                opening = run_opening
            else:
                opening = _LISTED_BEFORE.sub("", before, count=1) if "@" in before else before
                run_opening = opening
            failed_label = bool(_RCPT_BEFORE.search(opening))
            if ((text.is_system_address(address) or text.is_list_or_role_address(address))
                    and not _EXPLICIT_RECIPIENT.search(before) and not labelled
                    and not failed_label
                    and not _REFUSED_AFTER.match(line, match.end(), match.end() + 60)):
                continue
            lowered_before = before.lower()
            if any(w in lowered_before for w in _REPORTER_WORDS) and _REPORTER_BEFORE.search(before):
                if requester_failed is None:
                    requester_failed = _failed_for_the_requester(lines, subject)
                if not requester_failed:
                    continue  # the person who wrote the ticket, not a recipient
            # the context may begin on the line before: "Sender address rejected:\n<me@...>",
            # "User has moved to\n new@..."
            wider = before
            if index and (not before.strip(" \t<([\"'") or len(before.strip()) < 20):
                # (or a short start of a wrapped sentence: "... and the sending" /
                # "address (orders@...)")
                previous = lines[index - 1]
                if not previous.strip() and index > 1:
                    # one blank line between: the sentence before it may span two lines
                    previous = f"{lines[index - 3][-60:] if index > 2 else ''} {lines[index - 2]}"
                wider = f"{previous[-120:]} {before}"
            # (the words before name a contact or the sender only with letters: a reply's
            # "550 5.1.1 <" has none, and its patterns need not even be compiled)
            worded = any(c.isalpha() for c in wider)
            if (_in_url(line, match.start(), match.group(0))
                    or (worded and _CONTACT_BEFORE.search(wider)
                        and not _HEADS_BLOCK.match(line, match.end()))
                    or (worded and _LIST_BEFORE.search(wider))
                    or _unaffected_after(line, match.end())
                    or _instead_after(lines, index, match.end())
                    or _WROTE_AFTER.match(line, match.end(), match.end() + 40)):
                continue
            if worded and not failed_label and "my" in wider.lower() and _OWN_ADDRESS_BEFORE.search(
                    wider):
                continue  # the writer giving their own address, perhaps wrapped onto this line
            if not failed_label and ((worded and _SENDER_BEFORE.search(wider)) or _SENDER_AFTER.match(
                    line, match.end(), match.end() + 40) or _sender_on_next_line(
                    lines, index, match.end(), before) or ("->" in line
                    and _LOGGED_SENDER_AFTER.match(line, match.end()) and _TIME_BEFORE.search(wider))):
                # (an address a RCPT or a failed-recipients label names is a recipient,
                # whatever the words after it: "rejected RCPT <ann@...>: Sender verify failed")
                senders.add(address.lower())
                continue
            opens = _opens_line(opening)
            if opens and _quoted_in_reply(lines, index, address):
                continue  # the server's reply to another recipient quotes it
            strong = (opens or labelled or failed_label
                      or (any(w in lowered_before for w in _RECIPIENT_NOUNS)
                          and bool(_RECIPIENT_NOUN_BEFORE.search(before)))
                      or text.has_code(before))
            if not strong:
                if evidence is None:
                    evidence = text.has_evidence(line)
                strong = evidence
            known = found.get(address.lower())
            if known is None:
                found[address.lower()] = _Named(address, index, strong, opens)
            elif strong and (not known.strong or (opens and _ADDRESS_ENTRY.match(line) and not (
                    text.has_evidence(lines[known.line])))):
                # (an MTA's own entry for the address, "<ann@...>: Command died ...", says
                # more than the prose that named it first: "your reply to ann@... was
                # returned")
                known.line, known.strong, known.opens_line = index, True, opens
            elif (strong and "status=" in line and "status=" in lines[known.line]
                  and _LOG_STATUS.search(line) and _LOG_STATUS.search(lines[known.line])):
                # a mail log's later line about the same recipient: its state is the
                # latest (deferred, then bounced)
                known.line, known.opens_line = index, opens
            elif known.coded_line < 0 and index > known.line and text.has_code(before):
                known.coded_line = index
    return sorted((n for key, n in found.items() if key not in senders), key=lambda n: n.line)


# Rows of a log table or a console's listing: "Time From To Status", "Sender Rcpt", a
# CSV export with a header row, a row that starts with a time stamp
_COLUMN_SENDER = lazy(
    r"(?i)(?:^|[\s,\"])(?:from|sender|sender[-_ ]address|mail[-_ ]from|envelope[-_ ]from)"
    r"(?:[\s,\"]|$)")
_COLUMN_RECIPIENT = lazy(
    r"(?i)(?:^|[\s,\"])(?:to|rcpt|rcpt[-_ ]to|recipients?|recipient[-_ ]address(?:es)?)(?:[\s,\"]|$)")
# an MTA's own log line names the recipient first ("** bob@... <bob@...> R=dnslookup")
_LOG_MARKS = lazy(r"\s(?:\*\*|==|=>|->|<=)\s|\b(?:to|from)=")
# a log line's labelled list of addresses, not its columns: "invalid addresses: [a@x, b@y]"
_LABELLED_LIST = lazy(r"[:\[][ \t]*<?[^\s<>,;@\[\]]{1,64}@[^\s<>,;@\[\]]{1,255}>?[,;][ \t]+"
                      r"<?[^\s<>,;@]{1,64}@")
_STAMPED_ROW = lazy(
    r"^[ \t]*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]+|\Z))?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?Z?\s")
# the picture at the top of a Microsoft 365 report, copied as text: the sender's box, the
# service, the recipient's name ("ann@example.org    Office 365    travel-desk"); the
# service's name starts where the sender's side ends
_SERVICE_DIAGRAM = lazy(r"[ \t]{2,}(?:Office 365|Microsoft 365|Exchange Online|Outlook\.com)"
                        r"[ \t]{2,}\S")


def _table_non_recipients(lines: list[str]) -> set[tuple[int, int]]:
    """(line, offset) of the addresses that rows of a table give as the sender (or in
    any column but a recipient column), never a failed recipient."""
    out: set[tuple[int, int]] = set()
    header: tuple[str, list[str] | None] | None = None  # ("columns"|"csv", csv names)
    for index, line in enumerate(lines[:5000]):
        if not line.strip():
            header = None if header and header[0] == "columns" else header
            continue
        if "@" not in line:
            if _COLUMN_SENDER.search(line) and _COLUMN_RECIPIENT.search(line):
                names = _csv_names(line)
                header = ("csv", names) if names else ("columns", None)
            continue
        found = list(codes.ADDRESS.finditer(line))
        diagram = _SERVICE_DIAGRAM.search(line)
        if diagram:
            out.update((index, match.start()) for match in found if match.end() <= diagram.start())
            continue
        if header and header[0] == "csv" and header[1]:
            fields = _csv_fields(line)
            if len(fields) == len(header[1]):
                for match in found:
                    column = next((i for i, field in enumerate(fields)
                                   if match.group(0) in field), None)
                    name = header[1][column] if column is not None else ""
                    if "recipient" not in name or "related" in name:
                        out.add((index, match.start()))
                continue
        if (len(found) >= 2 and not _same_address(found[0].group(0), found[1].group(0))
                and (header is not None or (_STAMPED_ROW.match(line)
                                            and not _LOG_MARKS.search(line)
                                            and not _LABELLED_LIST.search(line)))):
            out.add((index, found[0].start()))  # "time  sender  recipient  status"
    return out


def _same_address(one: str, other: str) -> bool:
    """Whether two matches of an address name the same one ("ann@x" and "<ann@x>:")."""
    return (codes.clean_address(one) or one).lower() == (codes.clean_address(other) or other).lower()


def _csv_names(line: str) -> list[str] | None:
    """The column names of a CSV header row (at least three), else None."""
    if line.count(",") < 2:
        return None
    return [name.strip().lower() for name in _csv_fields(line)]


def _csv_fields(line: str) -> list[str]:
    import csv

    try:
        return next(csv.reader([line[:20000]]), [])[:500]
    except csv.Error:
        return []


def _labels_failed(label: str) -> bool:
    """Whether the line above a list of addresses (:func:`_label_above`) labels failed
    recipients ("The message was not sent to:", "Recipients:")."""
    return bool(label and (_RECIPIENTS_LABEL.search(label) or _FAILED_TO_LABEL.search(label)))


def _labels_delivered(label: str) -> bool:
    """Whether the line above a list of addresses says the message was delivered to them
    ("Il messaggio è stato invece consegnato correttamente a:")."""
    return bool(label and _DELIVERED_LABEL.search(label) and not _NEGATED.search(label))


def _label_above(lines: list[str], index: int, before: str) -> str:
    """The line above a list of addresses that the address (opening its line, perhaps
    after a display name: "All Staff (allstaff@...)") is in, right under it or in a list
    of such lines, with the line before it when its sentence may begin there ("... was not" /
    "delivered to the following:"); "" when there is none."""
    if index == 0 or len(before) > 60 or not _DISPLAY_NAME.fullmatch(before):
        return ""
    blanks = 0
    for number in range(index - 1, max(0, index - 50) - 1, -1):
        line = lines[number]
        if not line.strip():
            blanks += 1
            if blanks > 2:
                return ""
            continue
        if "@" in line and _ADDRESS_ONLY.fullmatch(line):
            continue  # another address of the same list
        previous = lines[number - 1].strip() if number else ""
        return f"{previous} {line.strip()}" if previous else line.strip()
    return ""


# a line that says the addresses below were delivered: "Delivered successfully to:",
# "consegnato correttamente a:", "erfolgreich zugestellt an:"
_DELIVERED_LABEL = lazy(
    r"(?i)\b(?:delivered|delivery (?:succeeded|was successful)|consegnat[oa]|recapitat[oa]"
    r"|zugestellt|entregad[oa]|livr[ée]e?|remis|afgeleverd|bezorgd|dostarczon[aoy]|доставлен[оа]?"
    r"|配信(?:しました|されました|完了))(?:[ \t]+[^\s:@]{1,20}){0,4}[ \t]*[:：][ \t]*\Z")
_NEGATED = lazy(r"(?i)\b(?:not|non|nicht|no|pas|niet|nie|не|couldn.t|could not|failed|unable)\b|n.t\b")


# a line of a list that holds one address and nothing more than a display name
_ADDRESS_ONLY = lazy(r"[ \t]*(?:[^<>()@\n]{0,50}[ \t]*)?[<(\[\"']?[ \t]*[^\s<>()@]{1,64}@[^\s<>()]{1,255}"
                     r"[>)\]\"']?[ \t,;]*")
# a line that says the addresses below failed: "The message was not sent to:", "Could not
# be delivered to:", "Delivery failed to:"
_FAILED_TO_LABEL = lazy(
    r"(?i)\b(?:not (?:been )?(?:sent|delivered|forwarded)|could ?n[o']t be (?:sent|delivered)"
    r"|undeliverable|failed|delivery (?:has )?failed|unable to deliver)(?: \w{1,20}){0,2} to"
    r"[ \t]*:[ \t]*\Z")


_DISPLAY_NAME = lazy(r"[ \t]*(?:[^<>()@\n]{0,50}[ \t]*)?[<(\[\"']?[ \t]*")


def _sender_on_next_line(lines: list[str], index: int, end: int, before: str) -> bool:
    """Whether a server's reply that quotes an address at the end of its line goes on,
    wrapped, to call it the sender: "553 5.1.8 <me@...>:" then "Sender address rejected"."""
    return (index + 1 < len(lines) and not lines[index][end:].strip(" \t>:")
            and text.has_code(before)
            and _SENDER_AFTER.match(lines[index + 1].lstrip(" \t>")[:60]) is not None)


def _in_url(line: str, start: int, found: str) -> bool:
    """'https://user@www.example.com/list', 'http://example.org/~jane@host'."""
    if found.startswith("/"):
        return True
    token_start = max(line.rfind(" ", 0, start), line.rfind("<", 0, start)) + 1
    return "/" in line[token_start:start] or line.startswith("/", start + len(found))


def bounce_words(words: str) -> bool:
    """Whether `words` use the language of delivery failures."""
    return text.bounce_words(words)


def _said_before(lines: list[str], index: int, start: int) -> str:
    """The 60 characters before an address, from the line before when it opens its line
    ("... addressed to\n support@example.com")."""
    before = lines[index][max(0, start - 60):start]
    if not before.strip() and index:
        before = f"{lines[index - 1][-60:]} {before}"
    return before


def _own_addresses(mail: Mail) -> set[str]:
    """Addresses the bounce itself is from or to: never failed recipients."""
    own: set[str] = set()
    for name in ("From", "To", "Return-Path", "Reply-To", "Sender", "Delivered-To"):
        for value in mail.headers(name):
            own.update(a.lower() for a in codes.find_addresses(value))
    return own | _shown_parties(mail.text)


# The header lines a mail program shows above a message, in the reader's language, when
# a bounce is copied from it: "发件人: ...", "收件人: ...", "받는사람: ...", "An: ...", "Para:".
# Sender and addressee (of the bounce: the one who sent the failed message) first. (Not
# English ones: those are read as the message's own headers, and a block of them in the
# text is the returned message's, whose To: names the failed recipient.)
_CJK_PARTIES = "发件人|寄件人|收件人|收信人|抄送|差出人|宛先|送信者|受信者"
_CJK_OTHERS = "主题|主旨|时间|日期|件名|日時|日付|送信日時"
_SHOWN_PARTY_LABELS = (
    _CJK_PARTIES + "|보낸\\s?사람|받는\\s?사람|참조|von|an|de|à|a|para|da|van|aan|od|do|komu|от|кому"
    "|kopie|copie|copia")
_SHOWN_HEADER = lazy(
    r"(?i)^[ \t]*(" + _SHOWN_PARTY_LABELS + "|" + _CJK_OTHERS + r"|제목|날짜"
    r"|betreff|datum|gesendet|objet|date|envoy[ée]|asunto|fecha|enviado|oggetto|data|inviato"
    r"|assunto|onderwerp|verzonden|temat|wys[łl]ano|p[řr]edm[ěe]t|odesl[áa]no|тема|дата"
    r"|отправлено)[ \t]*[:：]")
_SHOWN_PARTY = lazy(r"(?i)(?:" + _SHOWN_PARTY_LABELS + r")\Z")
# (lines of Chinese and Japanese text are joined when read, labels and all)
_GLUED_LABEL = lazy("(" + _CJK_PARTIES + "|" + _CJK_OTHERS + r")[ \t]*[:：]")


def _shown_parties(report: str) -> set[str]:
    """The addresses of the sender and addressee lines of a header block a mail program
    showed above the notice (every line of the report's first paragraph a labelled
    header line, two at least): the people the notice went between, no recipients."""
    lines = report[:3000].lstrip("\n").split("\n")[:12]
    paragraph = lines[:next((i for i, line in enumerate(lines) if not line.strip()), len(lines))]
    if len(paragraph) < 2 or not all(":" in line[:40] or "：" in line[:40] for line in paragraph):
        return set()  # (most reports: their patterns need not even be compiled)
    block: list[tuple[str, str]] = []
    for line in paragraph:
        shown = _SHOWN_HEADER.match(line)
        if shown is None:
            return set()
        label, start = shown.group(1), shown.end()
        # (lines of CJK text are joined when read: "件名: 配信エラー差出人: ..." holds two)
        for glued in _GLUED_LABEL.finditer(line, start):
            block.append((label, line[start:glued.start()]))
            label, start = glued.group(1), glued.end()
        block.append((label, line[start:]))
    return {a.lower() for label, value in block if _SHOWN_PARTY.match(label)
            for a in codes.find_addresses(value)}


# an MTA's entry for a recipient that a person quotes: "<ann@example.org>: Host or domain
# name not found ..." (the address in brackets opening the line, then a colon)
#: a line that opens one recipient's entry in a report a person quotes: Postfix's
#: "<ann@example.org>: host ... said", or a sending tool's record "Recipient: ann@example.org"
_ENTRY_LINE = lazy(
    r"[ \t>]*(?:<[^\s<>@]{1,64}@[^\s<>]{1,255}>:[ \t]*\S"
    r"|(?i:recipient(?:[ \t]+(?:address|e-?mail))?)[ \t]*:[ \t]*<?[^\s<>@]{1,64}@[^\s<>]{1,255}>?[ \t]*$)")


def _writer(mail: Mail) -> frozenset[str]:
    """The addresses of the report's From, unless a mail system writes it."""
    sender = mail.header("From")
    if not sender or _MACHINE_SENDER.search(sender):
        return frozenset()
    return frozenset(a.lower() for a in codes.find_addresses(sender))


def _header_recipients(mail: Mail) -> list[str]:
    return mail.failed_recipients.addresses


def _named_elsewhere(mail: Mail, report: str, lines: list[str], own: set[str]) -> list[_Named]:
    """Where a report names its recipient nowhere a recipient stands: in a report's
    subject ("Returned mail: jane@example.org - mailbox over quota"), or by the local part
    alone in a failure line ("Receiver not found: 76543.2101") whose full address is in
    the returned message's To: or Cc: line. Each gets the first line with failure words
    (or -1: the report's words as a whole)."""
    found: list[_Named] = []
    if mail.subject and text.REPORT_SUBJECT.search(mail.subject):
        for address in codes.find_addresses(mail.subject):
            if address.lower() not in own and not text.is_list_or_role_address(address):
                found.append(_Named(address, -1, True))
    if found:
        return found
    # the returned message's recipients and its Received "for <jane@...>" (the envelope
    # recipient at that host), in the whole text: the report part stops where the
    # returned headers begin
    for address in text.returned_recipients(mail.text):
        local = address.partition("@")[0].lower()
        if len(local) < 3 or address.lower() in own:
            continue
        for index, line in enumerate(lines[:2000]):
            lowered = line.lower()
            if local in lowered and "@" not in line and (
                    text.has_evidence(line) or text.CAUSE_WORDS.search(line)):
                found.append(_Named(address, index, True, True))
                break
    return found



# a VERP return path (a list's or a sending service's): the recipient's address in the
# local part, "@" written "=", after a bounce word or a message tag:
# "devel-bounces+dora.nguyen=example.net@lists.example.org", "bounces+ann=example.org@...",
# "b-7f3a91c2-carol.ng=example.net@bounce.example.com"
# (the tags hold a digit: "b-5899542-1206365-kim=...", but "b-7f3a91c2-ada=..." names ada)
_VERP = lazy(r"(?i)(?<![\w.+=-])(?:(?:[\w.-]{1,64}-)?bounces?\+|(?:bounces?|bnc|b|r|rp|ret|return|verp)"
             r"(?:[-+.](?=[0-9a-f]{0,39}\d)[0-9a-f]{1,40}){1,4}[-+.])"
             r"([\w.+-]{1,64})=([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})@")


def verp_member(mail: Mail) -> str | None:
    """The recipient a report's VERP return path names (its Delivered-To or To), or
    None."""
    for name in ("Delivered-To", "To"):
        verp = _VERP.search(mail.header(name))
        if verp:
            return f"{verp.group(1)}@{verp.group(2).lower()}"
    return None


def _single_original_recipient(mail: Mail) -> str | None:
    """The one recipient the report points at: a list member its VERP return path names,
    else the returned message's last hop's envelope recipient, else its one To address."""
    member = verp_member(mail)
    if member:
        return member
    original = mail.original
    if original is None:
        return None
    # the last hop's envelope recipient ("Received: ... for <pat@example.org>;" on top):
    # the address the failing server was given, where To: names a list or an alias
    last_hop = _RECEIVED_FOR.search(str(original.get("Received", ""))[:2000])
    if last_hop:
        return last_hop.group(1)
    return codes.only_address(str(original.get("To", "")))


_RECEIVED_FOR = lazy(r"(?i)\bfor[ \t\r\n]+<([^<>\s@]{1,64}@[^<>\s@]{1,255})>", guard=("for",))


# an alias and the address it passes mail on to
_FORWARDS_TO = lazy(
    r"(?i)<?([^\s<>@\"']{1,64}@[\w.-]{1,255})>?[ \t]+(?:\S{1,20}[ \t]+)?(?:forwards|is forwarded"
    r"|redirects|is redirected|points|is an alias)[ \t]+(?:mail[ \t]+)?(?:on[ \t]+)?(?:to|for)"
    r"[ \t]+<?([^\s<>@\"']{1,64}@[\w.-]{1,255})"
)


_EXPANDED_FROM = lazy(r"<([^<>\s@]{1,64}@[^<>\s@]{1,255})>[ \t]+\(expanded[ \t]+from[ \t]+"
                     r"<([^<>\s@]{1,64}@[^<>\s@]{1,255})>\)")


_GENERATED_FROM = lazy(r"<?([^<>\s@]{1,64}@[^<>\s@()]{1,255})>?[ \t]*\n?[ \t]*\((?:ultimately[ \t]+)?"
                       r"generated[ \t]+from[ \t]+<?([^<>\s@()]{1,64}@[^<>\s@()]{1,255})>?\)")


_ARROW_ENTRY = lazy(r"(?m)^[ \t>]*<?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>?[ \t]*(?:->|=>|\u2192)[ \t]*"
                   r"<?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>?[ \t]*$")


def _arrow_pairs(report: str) -> list[tuple[str, str]]:
    """(address written to, where it forwards), lower-cased, of each entry line that is
    only the two addresses with an arrow between ("info@example.com -> m.becker@...")."""
    head = report[:20000]
    if "->" not in head and "=>" not in head and "\u2192" not in head:
        return []
    return [(m.group(1).lower(), m.group(2).lower()) for m in _ARROW_ENTRY.finditer(head)]


def _aliases(report: str, chosen: list[str],
             arrows: list[tuple[str, str]]) -> dict[str, str]:
    """{alias: target} for the chosen addresses the report says forward to another
    chosen address (`arrows`: its arrow entries, _arrow_pairs)."""
    lowered = report[:20000].lower()
    named = {a.lower() for a in chosen}
    out: dict[str, str] = {}
    if "expanded from" in lowered:
        # Postfix's "<target@...> (expanded from <alias@...>):", pasted on its own
        for match in _EXPANDED_FROM.finditer(report[:20000]):
            target, alias = match.group(1).lower(), match.group(2).lower()
            if target in named and alias != target:
                out[alias] = target
    if "generated from" in lowered:
        # Exim's recipient line and the alias under it: "  ann@...\n    (generated from
        # team@...)"
        for match in _GENERATED_FROM.finditer(report[:20000]):
            target, alias = match.group(1).lower(), match.group(2).lower()
            if target in named and alias != target:
                out[alias] = target
    for alias, target in arrows if len(chosen) >= 2 else ():
        # an entry line that is only the two addresses with an arrow between (_arrow_pairs)
        if alias in named and target in named and alias != target:
            out[alias] = target
    if len(chosen) < 2 or not any(w in lowered for w in ("forward", "alias", "redirect")):
        return out
    for match in _FORWARDS_TO.finditer(report[:20000]):
        alias, target = match.group(1).lower().rstrip("."), match.group(2).lower().rstrip(".")
        if alias in named and target in named and alias != target:
            out[alias] = target
    return out


# A mail log line: "Mar 15 11:02:09 mx1 postfix/cleanup[2290]: 6A1F2C0B7E: ...", and the
# tokens that tie lines of one message or one connection together: its queue ID (Postfix
# hex or long IDs, Exim's 1abcDE-000123-XY) and the client's [address]:port
_LOG_LINE = lazy(r"[\w.-]{1,40}(?:/[\w.-]{1,40}){0,2}\[\d{1,10}\]: ")
_LOG_TIES = lazy(r"(?<![\w-])(?:[0-9A-F]{8,14}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}"
                 r"|[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})(?=:| )"
                 r"|\[[0-9A-Fa-f.:]{3,45}\]:\d{1,5}\b")
#: log lines looked through, and taken, at most
_LOG_SCAN, _LOG_TAKE = 2000, 12


def _related_log_lines(lines: list[str], index: int, chosen: set[str]) -> str:
    """Earlier lines of a pasted mail log about the same message or connection as the
    recipient's line (same queue ID, same client address and port) that name no other
    recipient: a milter's "infected by ..." before Postfix's "milter-reject", a
    postscreen "DNSBL rank 5" before its "reject: RCPT"."""
    own = lines[index]
    if "]: " not in own[:200] or not _LOG_LINE.search(own[:200]):
        return ""
    ties = {m.group(0) for m in _LOG_TIES.finditer(own[:2000])}
    if not ties:
        return ""
    taken: list[str] = []
    # (a last attempt that failed has its own reply; one that was sent has none)
    attempt = any(f"status={word}" in own for word in ("bounced", "deferred", "expired"))
    for other in lines[max(0, index - _LOG_SCAN):index]:
        if len(taken) >= _LOG_TAKE:
            break
        if any(tie in other for tie in ties) and _LOG_LINE.search(other[:200]):
            low = other.lower()
            # (an earlier delivery attempt with an outcome of its own, "status=deferred
            # (... Greylisted ...)", is no part of why the last one failed)
            if not any(a in low for a in chosen) and not (attempt and "status=" in low):
                taken.append(other.strip())
    return " ".join(taken)


def _wrapper_status_only(words: str) -> bool:
    """Whether `words` carry an enhanced status with no detail (x.y.0, a relay's own
    summary) and no server reply."""
    status = codes.find_status(words) or ""
    return (status.endswith(".0") and status.count(".") == 2
            and codes.find_reply_code(words) is None)


def _best_block(blocks: list[str]) -> str:
    """The first block with a code (a permanent refusal after temporary ones: how it
    ended, "421 ... greylisted" yesterday and "550 ..." today), else with bounce words."""
    coded = [block for block in blocks[:200] if text.has_code(block)]
    # a transcript's accepted steps (220, 250) before the refusal say nothing
    coded = [b for b in coded if _code_class(text.server_words(b)) in ("4", "5")] or coded
    # a code a person only mentions ("throws a 500 on production") gives way to a reply
    # quoted below it
    coded = [b for b in coded if not codes.only_mentioned(b)] or coded
    if coded:
        first = text.server_words(coded[0])
        if _codes_alone(first):
            # a summary that only labels the codes ("Status code: 550 5.7.350" under "More
            # Info for Email Admins"): the same code further down with the server's words
            # ("Reported error: 550 5.7.350 Remote server returned ...") says why
            first = _worded(first, coded[1:])
            if _codes_alone(first):
                # nothing further down: the report's own words just above the codes
                # ("Your message can't be sent because you've reached your daily limit"
                # over "Status code: 550 5.1.90")
                at = blocks.index(coded[0])
                above = next((b for b in reversed(blocks[max(0, at - 3):at])
                              if _WORD.search(b)), None)
                if above is not None:
                    first = f"{first} {codes.unwrap_reply(above)}"
        if _code_class(first) == "4":
            later = next((words for words in map(text.server_words, coded[1:])
                          if _code_class(words) == "5"), None)
            return later or first
        return first
    for block in blocks:
        if text.BOUNCE_WORDS.search(block):
            return codes.unwrap_reply(block)
    return ""


_WORD = lazy(r"[^\W\d_]{2,}")


def _worded(summary: str, blocks: list[str]) -> str:
    """The server's words of the first block that holds a code of `summary` (its words
    may be the inner reply the block wraps), else `summary`."""
    same = [c for c in (codes.find_status(summary), codes.find_reply_code(summary)) if c]
    for block in blocks:
        if any(c in block for c in same):
            words = text.server_words(block)
            if not _codes_alone(words):
                return words
    return summary


def _codes_alone(words: str) -> bool:
    """Whether `words` are codes under a short label and nothing more ("Status code: 550
    5.7.350", "Error: 5.1.1"): no words of a reply."""
    label, colon, rest = words.partition(":")
    if not colon or len(label) > 30 or any(ch.isdigit() for ch in label):
        rest = words
    return not _WORD.search(codes.STATUS.sub(" ", rest)[:200])


# an entry that ends in the label of what follows it: "... was not delivered. Reason:
# -------" (the reason is in the next paragraph, under the rule)
_DANGLING_LABEL = lazy(r"(?i)\b(?:reason|cause|details?|error|diagnostics?|d(?:ů|u)vod|grund|raison|motivo"
                       r"|causa|przyczyna|oorzaak)[ \t]*[:：][ \t]*[-=_~*]{0,80}[ \t]*\Z")


def _label_only(words: str, address: str) -> bool:
    """An entry that is the address under one label word and nothing more (a program's
    list of refused addresses, "rejected: [ 'jo@example.org' ]"): it says no cause."""
    return len(_WORD.findall(words.replace(address, " ")[:200])) <= 1


# a label of a summary of the message ("To: ...", "Subject: ...", "Attachment: ...")
_SUMMARY_LABEL = lazy(r"(?:^|\s)(?:To|From|Sender|Recipients?|Subject|Date|Sent|Attachments?"
                      r"|Size|Message[- ]ID|Policy|Rule|Action|Dictionary|Reference)[ \t]*:")


def _message_summary(words: str) -> bool:
    """An entry that lists the message's particulars ("To: ... Subject: ... Policy: ...
    Action: ...") under the report's sentence about why: the sentence says the cause."""
    return len(_SUMMARY_LABEL.findall(words[:2000])) >= 3


def _code_class(words: str) -> str:
    return (codes.find_reply_code(words) or codes.find_status(words) or "")[:1]


def _drop_wordless(findings: list[Finding]) -> list[Finding]:
    """Keep recipients with some diagnostic; if none has one, keep them all."""
    kept = [f for f in findings if f.diagnostic]
    return kept or findings
