"""Automatic replies (RFC 3834): out-of-office and vacation notices, not bounces.

Recognised by ``Auto-Submitted: auto-replied`` or the headers and subjects that
vacation programs use (``X-Autoreply``, ``Subject: Out of office``, ``Auto:``...), unless
the body reads as a delivery report (a mail server's bounce may carry such headers too).
Pasted without headers, a notice is known by its words::

    I am out of the office until 9 March with no access to email.
    Ich bin bis zum 9. März nicht im Büro.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail
from ..model import Action, Finding, Reason
from . import codes, listnotice, text

NAME = "rfc3834"

# "Automatic reply" in more languages (a subject, or the first words of a pasted notice)
_AUTOMATIC_REPLY = (
    r"automatick(?:á|a) odpov(?:ě|e)(?:ď|d)|automatikus v(?:á|a)lasz|r(?:ă|a)spuns automat|"
    r"otomatik (?:yan(?:ı|i)t|cevap)|αυτόματη απάντηση|automatisk(?:t)? svar|"
    r"automaattinen vastaus|automatyczna odpowied|автоматичн\w{0,2} (?:відповідь|отговор)|"
    r"автовідповідь|자동 ?(?:응답|회신|답장)|부재중|自動返信|自動回覆|"
    r"tr(?:ả|a) l(?:ờ|o)i t(?:ự|u) (?:độ|do)ng|ตอบกลับอัตโนมัติ|"
    r"balasan (?:otomatis|automatik)|מענה אוטומטי|תשובה אוטומטית|پاسخ خودکار|स्वचालित उत्तर|"
    r"autosvar|autovastaus"
)
_SUBJECT = lazy(
    r"(?i)^(?:auto(?:matic|matische?|matique|m[áa]tica|matica|matisch|maattinen|matyczna|"
    r"matick[áa])?[ -]?(?:reply|response|antwort|r[ée]ponse|respuesta|risposta|resposta|"
    r"antwoord|svar|vastaus|odpowied[źz]|odpov[ěe]d[’']?)|out of (?:the )?office|"
    r"vacation|abwesenheit|absence|on leave|away from|autoreply|"
    # Sieve's vacation action puts "Auto: " before the subject it answers
    r"auto:|"
    r"respuesta autom|risposta automatica|r[ée]ponse automatique|resposta autom[áa]tica|"
    r"不在|自動応答|自动回复|автоответ|автоматический ответ)"
    # "Frank Mueller is out of the office", "Anna ist nicht im Büro"
    r"|\b(?:is|are) out of (?:the )?office\b|\bnicht im b(?:ü|ue)ro\b|\best absente? du bureau\b"
    r"|^(?:" + _AUTOMATIC_REPLY + r")"
)
# "Re: Failed payment": a reply to the reader's own message, whose subject it repeats
_REPLY_SUBJECT = lazy(
    r"(?i)^[ \t]*(?:\[[^\]\n]{0,40}\][ \t]*)?(?:re|aw|sv|antw|odp|rif|vs|ynt|回复|答复)[ \t]*:"
)
_ROBOT_SENDER = lazy(
    r"(?i)mailer-daemon|postmaster|mail delivery (?:system|subsystem)|microsoftexchange"
)


# What a delivery report says and an out-of-office notice does not: a reply code with
# its enhanced status, DSN fields, the report's own sentences.
_BOUNCE_STRUCTURE = (
    r"(?:^|[\s:(\['\"\u2018\u201c])[245]\d\d[ -]#?[245]\.\d{1,3}\.\d{1,3}\b|"
    r"^(?:final-recipient|diagnostic-code|x-failed-recipients)[ \t]*:"
)
_BOUNCE_WORDS = (
    r"undelivered mail|undeliverable|could ?n[o']t be delivered|could not deliver|"
    r"delivery (?:has |to the following [a-z ]{0,40})?failed|failed permanently|"
    r"permanent (?:fatal )?(?:error|failure)|not be delivered to|wasn'?t delivered|"
    r"(?:was|were|has|have) not (?:been )?(?:delivered|passed on|passed|forwarded) to|"
    r"could ?n[o']t be processed|"
    r"following (?:addresses|recipients?)(?: had| failed| could)|"
    r"(?:user|recipient) unknown|no such (?:user|mailbox|recipient)|"
    r"delivery (?:status notification|failure)|returned mail|"
    r"no longer (?:in use|valid|active)|new (?:e-?mail )?address is|"
    r"(?:was|were) not delivered\b"
)
_BOUNCE_BODY = lazy(r"(?im)" + _BOUNCE_STRUCTURE + "|" + _BOUNCE_WORDS)
_BOUNCE_CODES = lazy(r"(?im)" + _BOUNCE_STRUCTURE)
# An out-of-office notice pasted without its headers, in the languages that write most.
_AWAY = lazy(
    r"(?i)\bout of (?:the )?office\b|\bautomatic reply\b|\bauto(?:matic)?[- ]?reply:|"
    r"\[auto(?:matic)?[- ]?reply\]|\bprecedence:[ \t]*auto_reply\b|"
    r"\b(?:mailbox|inbox|address) is no longer (?:being )?(?:read|monitored|checked)\b|"
    # someone gone, in the third person: "Jonas Meyer is no longer with Example Logistics"
    r"\b(?:is|are) no longer (?:with|at|employed (?:by|at|with)|working (?:for|at|with))\b|"
    # "Tomasz no longer works for Example Freight and nobody reads this mailbox now"
    r"\bno longer works? (?:for|at|with|here)\b|"
    r"\b(?:nobody|no one|no-one) (?:reads|checks|monitors) this (?:mailbox|inbox|address)\b|"
    # a help desk's or an unread address's own answer: "This is an automated message -
    # replies to this address are not processed"
    r"\breplies to this (?:address|mailbox) are not (?:processed|read|monitored)\b|"
    r"\bthis is an automated (?:message|reply|response)\b(?! from (?:the )?mail(?:er)?\b)|"
    r"\bvacation ?/ ?auto[- ]?(?:reply|responder)\b|\bauto[- ]?responder\b|"
    # "(sent automatically by my vacation responder)", "I'll be back at my desk on Monday"
    r"\bvacation (?:auto[- ]?)?(?:responder|reply|message)\b|"
    r"\b(?:i.ll|i will) be back (?:at my desk|in the office|at work|in office)\b|"
    r"\bi(?:'m| am) (?:currently )?(?:away|out|on (?:annual )?(?:leave|vacation|holiday))\b|"
    r"\bon (?:annual |parental |maternity |sick )?leave until\b|"
    r"\bon (?:vacation|holiday) until\b|\baway from (?:the|my) (?:office|desk)\b|"
    # "I'm at a trade fair until Friday and will reply next week"
    r"\bi(?:'m| am) (?:at|attending|travel+ing|visiting|in)\b[^.\n]{0,60}\buntil\b|"
    r"\b(?:i|we)(?:'ll| will) (?:reply|respond|answer|get back to you)\b[^.\n]{0,30}"
    r"\b(?:when i(?:'m| am) back|on my return|upon my return|after|next week|on return)\b|"
    r"nicht im b(?:ü|ue)ro|\bim urlaub\b|\babwesend\b|abwesenheitsnotiz|au(?:ß|ss)er haus|"
    r"absente? du bureau|\ben cong(?:é|e)s?\b|\ben vacances\b|r(?:é|e)ponse automatique|"
    r"fuera de (?:la )?oficina|\bde vacaciones\b|respuesta autom(?:á|a)tica|"
    r"fuori (?:ufficio|sede)|\bin ferie\b|risposta automatica|"
    r"niet (?:op kantoor|aanwezig)|\bafwezig\b|\bmet vakantie\b|"
    r"fora do escrit(?:ó|o)rio|\bde f(?:é|e)rias\b|resposta autom(?:á|a)tica|"
    r"不在|休暇|自動応答|自动回复|休假|"
    # "on a business trip", "on holiday" (Korean, Japanese, Chinese)
    r"출장 ?중|휴가 ?중|出張中|出差中|"
    # "automatic reply" and "away from the office" in more languages
    + _AUTOMATIC_REPLY + r"|"
    r"mimo kancel(?:á|a)(?:ř|r)|poza biurem|εκτός γραφείου|מחוץ למשרד|ofis d(?:ı|i)(?:ş|s)(?:ı|i)nda|"
    r"\bp(?:å|a) semester\b|\bholder ferie\b|\bp(?:å|a) ferie\b|\bna dovolen(?:é|e)\b|"
    r"szabads(?:á|a)g(?:on|omat)|\bngh(?:ỉ|i) ph(?:é|e)p\b|\bsedang cuti\b|"
    # people who have left, and help desks confirming a request
    r"\b(?:i.m|i am|i.ve|i have) (?:no longer (?:with|at|employed)|left )|\bi(?:.ve| have)? retired "
    r"(?:from|on|at|in|last)\b|"
    r"nicht mehr (?:bei|f(?:ü|ue)r)|ne fait plus partie|"
    r"ya no (?:trabaja|forma parte)|\bwe(?:.ve| have)? (?:just )?received your (?:request|message|"
    r"e-?mail|ticket|inquiry|enquiry)|thanks? (?:you )?for (?:contacting|e-?mailing|writing to)\b"
    # "we will reply as soon as we can", "we'll get back to you within two working days"
    r"|\bwe(?:.ll| will) (?:reply|respond|answer|get back to you|be in touch)\b[^.\n]{0,20}"
    r"\b(?:as soon as (?:we can|possible|we are able)|shortly|within (?:\w+ ){1,3}(?:hours?|days?))"
    # a help desk's acknowledgement: "We've logged your request as #90412" (not its "reply
    # above this line", which heads every update of a ticket too)
    r"|\bwe(?:.ve| have) (?:logged|registered|opened|created|recorded) (?:your |a )?(?:request|ticket|case"
    r"|enquiry|inquiry)"
    # "Your request has been received and assigned ticket number #48213"
    r"|\byour (?:request|ticket|case|enquiry|inquiry|support request) (?:has been|was) (?:received"
    r"|logged|registered)\b"
    # "This is an automatic acknowledgement", "Your message has been logged in our queue"
    r"|\bautomatic (?:acknowledge?ment|confirmation of receipt)\b"
    r"|\byour (?:message|e-?mail) (?:has been|was) (?:logged|registered)\b"
)
# a help desk's ticket number: a confirmation when a message's headers make it automatic,
# but in pasted text as often a console row or a person's note ("[Ticket #5512] ...")
_TICKET = lazy(r"(?i)ticket (?:#|number|no\.?|id:?) ?#?\d")
#: where an away notice says so: its first lines (searching long documents is costly)
_AWAY_HEAD = 1200
#: a pasted notice is short; longer headerless input is a document
_MAX_PASTE = 64 * 1024


# A challenge: the recipient's filter holds the message until the sender proves to be a
# person. Not an out-of-office notice, and no bounce either.
_CHALLENGE = lazy(
    r"(?i)confirm (?:that )?you(?: are|.re) (?:a )?(?:real |human )?(?:person|human|sender)"
    r"|(?:sender|spam)[- ]verification|verify (?:that )?you(?: are|.re) (?:a )?(?:real )?"
    r"(?:person|human)|(?:being )?held until you (?:confirm|verify|reply)"
    r"|challenge[- ]response|to (?:release|deliver) (?:it|your message),? (?:simply )?"
    r"(?:reply|click|open|visit)"
    # held for the sender to confirm: "will be delivered once you confirm it", "is held
    # and will be released after you verify"
    r"|(?:held|retained|kept|pending|waiting)\b[^.\n]{0,80}?\b(?:until|once|after|as soon as|when)"
    r" you(?: have)? (?:confirm|verify|validate|reply|click|complete|solve)"
    r"|will be (?:delivered|released|forwarded) (?:only )?(?:once|when|after|as soon as|if) you"
    r"(?: have)? (?:confirm|verify|validate|reply|click|complete|solve)"
    # the same in other languages: "será entregue assim que você confirmar", "confirme o
    # envio", "se entregará cuando confirme", "sobald Sie ... bestätigen", "dès que vous
    # confirmez", "non appena confermi"
    r"|ser(?:á|a) entregue (?:assim que|quando|ap(?:ó|o)s) (?:voc(?:ê|e) )?confirm|confirme o envio"
    r"|se entregar(?:á|a) (?:cuando|una vez que|en cuanto) (?:usted )?confirme|confirme (?:el|su) env(?:í|i)o"
    r"|zugestellt,? sobald Sie [^.\n]{0,60}?best(?:ä|ae)tig|best(?:ä|ae)tigen Sie (?:den|Ihren) Versand"
    r"|(?:d(?:é|e)livr(?:é|e)|remis|distribu(?:é|e))e? (?:d(?:è|e)s que|lorsque|apr(?:è|e)s que) vous"
    r" (?:aurez )?(?:confirm|valid)"
    r"|consegnat[oa] (?:non appena|quando|dopo che) (?:avrai |avr(?:à|a) )?confermat?"
)


# An automatic reply saying the person or the address is gone for good: "I have left
# Harbour Logistics", "this mailbox is no longer monitored", "ist nicht mehr für ...
# tätig", "je ne fais plus partie de", "jag har gått i pension". Still an automatic reply
# (the message was delivered), but one that says no one reads the address any more.
_GONE = lazy(
    r"(?i)\b(?:i|she|he|they)(?: have| has|'ve|’ve) left\b(?! (?:the )?office\b| for\b| on\b"
    r"| early\b| town\b| the country\b)"
    r"|\b(?:i am|i'm|i’m|she is|he is|they are|is|are) no longer (?:with|at|employed|working|part of)\b"
    r"|\b(?:mailbox|inbox|address|account) (?:is|will be|has been) (?:now )?(?:no longer (?:monitored|read"
    r"|checked|in use|active|used)|retired|closed|deactivated|discontinued|decommissioned)\b"
    r"|\b(?:i|she|he|they)(?: have| has|'ve|’ve) (?:retired|moved on)\b|\bretired (?:on|at the end of|in)\b"
    r"|nicht mehr (?:f(?:ü|ue)r|bei|im) [^.\n]{0,60}?(?:t(?:ä|ae)tig|besch(?:ä|ae)ftigt|angestellt)"
    r"|nicht mehr (?:im unternehmen|bei uns)|(?:postfach|adresse) wird nicht mehr (?:gelesen|abgerufen"
    r"|betreut)|in den ruhestand"
    r"|ne fai(?:s|t) plus partie|(?:a|ai) quitt(?:é|e) (?:l.|la |le |notre |nos )"
    r"|adresse (?:sera|est) (?:prochainement |bient(?:ô|o)t )?(?:d(?:é|e)sactiv|ferm|supprim)"
    r"|n.est plus (?:lue|consult(?:é|e)e)|parti(?:e)? (?:à|a) la retraite"
    r"|ya no (?:trabaja|forma parte|pertenece)|se ha jubilado|ya no se (?:lee|revisa)"
    r"|non (?:fa|faccio) pi(?:ù|u) parte|non lavora pi(?:ù|u)"
    r"|non (?:è|e) pi(?:ù|u) (?:attiva|letta|monitorata)"
    r"|niet meer (?:werkzaam|in dienst)|wordt niet meer gelezen|met pensioen"
    r"|g(?:å|a)tt i pension|l(?:ä|a)ses inte l(?:ä|a)ngre|inte l(?:ä|a)ngre anst(?:ä|a)lld"
    r"|ikke lenger ansatt|leses ikke lenger|ikke l(?:æ|ae)ngere ansat|l(?:æ|ae)ses ikke l(?:æ|ae)ngere"
    r"|n(?:ã|a)o (?:trabalha|faz parte) mais|j(?:á|a) n(?:ã|a)o (?:trabalha|faz parte)|se aposentou"
)


def is_auto_reply_subject(subject: str) -> bool:
    """Whether `subject` is an automatic reply's ("Automatic reply: ...", "Out of Office")."""
    return bool(_SUBJECT.search(subject))


def matches(mail: Mail) -> bool:
    """An auto-reply by header or subject (or, pasted without headers, by its words),
    and not a delivery report: bounce structure or wording in the body outranks an
    ``Auto-Submitted`` header. A challenge to prove you are a person is neither."""
    if not mail.has_headers:
        return _pasted_notice(mail)
    if mail.delivery_status or mail.header("X-Failed-Recipients"):
        return False
    subject = mail.subject
    if _ROBOT_SENDER.search(mail.sender) or (
        text.REPORT_SUBJECT.search(subject) and not _REPLY_SUBJECT.search(subject)
        and not _SUBJECT.search(subject)  # "Automatic reply: FW: Undeliverable: ..."
    ):
        return False
    by_headers = _auto_reply_headers(mail, subject)
    # generated automatically ("Auto-Submitted: auto-generated") and saying so in its
    # words: away, or a help desk confirming a request
    if (not by_headers and mail.header("Auto-Submitted").strip().lower() in ("", "no")
            and not _copied_from_a_client(mail)):
        return False
    # (the message it answers, quoted below, may be a bounce: only its own words count)
    body = _own_words(mail.text[:20000])
    if _CHALLENGE.search(body[:_AWAY_HEAD]):
        return False
    if listnotice.from_a_list(mail) and not _AWAY.search(_head(body)):
        return False  # a list's own acknowledgement or reminder: nobody is away
    bounce = _BOUNCE_BODY.search(body)
    head = _head(body)
    if bounce is None:
        return by_headers or bool(_AWAY.search(head) or _TICKET.search(head))
    # bounce wording: still an auto-reply if the headers say so and the notice says it
    # is away before it mentions the failure (an old address "could not be delivered"),
    # and before any reply code or DSN field it quotes ("now comes back with 550 5.1.1")
    if not by_headers:
        return False
    coded = _BOUNCE_CODES.search(body)
    first = min(bounce.start(), coded.start()) if coded else bounce.start()
    away = _AWAY.search(head[:first]) or _TICKET.search(head[:first])
    return away is not None


# where a reply's quote of the message it answers begins
_QUOTE_START = lazy(r"(?im)^[ \t]*(?:-{2,}[ \t]*(?:original message|urspr(?:ü|ue)ngliche nachricht|"
                    r"message d.origine|mensaje original|forwarded message)[ \t]*-{2,}|>)")


def _own_words(body: str) -> str:
    """`body` up to where it quotes the message it answers ("-----Original Message-----",
    or the first line quoted with ">")."""
    quote = _QUOTE_START.search(body)
    return body[:quote.start()] if quote else body


def _copied_from_a_client(mail: Mail) -> bool:
    """Whether the headers are the few a mail program shows above a message copied from
    it (Outlook's "Sent:" for the date, no Received or Message-ID): the message's own
    headers, which would say it is automatic, are lost, and its words must say so."""
    return bool(mail.header("Sent")) and not mail.header("Received") and not mail.header(
        "Message-ID")


def _auto_reply_headers(mail: Mail, subject: str) -> bool:
    auto = mail.header("Auto-Submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    if mail.header("X-Autoreply") or mail.header("X-Autorespond") or (mail.header(
        "X-Auto-Response-Suppress"
    ).lower() == "all" and _SUBJECT.search(subject)):
        return True
    if mail.header("Precedence").lower() == "auto_reply":
        return True
    return bool(_SUBJECT.search(subject.strip()))


def _pasted_notice(mail: Mail) -> bool:
    """Headerless text that speaks of being away, with no bounce wording and no codes."""
    words = mail.text[:_MAX_PASTE + 1]
    if not 0 < len(words.strip()) <= _MAX_PASTE:
        return False
    # a code says server reply (and the codes' patterns are compiled anyway)
    if codes.find_reply_code(words) or codes.find_status(words):
        return False
    # a notice pasted with its subject line above it ("Subject: Auto: Leaving Carter &
    # Co"): the subject says automatic reply, and only the words below it say bounce
    subject = _PASTED_SUBJECT.match(words)
    if subject and _SUBJECT.search(subject.group(1).strip()):
        return not _says_bounce(words[subject.end():])
    return bool(_AWAY.search(_head(words))) and not _says_bounce(words)


# what comes just before bounce wording that a person says the notice does not hold:
# "it didn't say undeliverable", "nothing about it being undelivered"
_NOT_SAID = lazy(r"(?i)(?:\b(?:didn.t|doesn.t|did not|does not|never|not) (?:say|mention|show)"
                 r"(?: anything about)?|\bnothing about(?: it being)?)[ \t\"'\u201c]{1,3}$")


def _says_bounce(words: str) -> bool:
    """Bounce wording or structure in pasted text, but not where the person pasting it
    says the notice does not say so."""
    for found in _BOUNCE_BODY.finditer(words):
        if not _NOT_SAID.search(words[max(found.start() - 40, 0):found.start()]):
            return True
    return False


def _head(words: str) -> str:
    """Where an away notice says so, its first _AWAY_HEAD characters, with line ends read
    as spaces (its words may be wrapped: "this mailbox is no\nlonger monitored"), which
    keeps every offset."""
    return words[:_AWAY_HEAD].replace("\n", " ")


# the first line of a pasted text, when it is a message's subject line
_PASTED_SUBJECT = lazy(r"(?i)[ \t\n]*subject:[ \t]*([^\n]{1,200})(?:\n|$)")


def parse(mail: Mail) -> list[Finding]:
    """The person who is away is the auto-reply's sender. A notice that the person is
    gone for good (:data:`_GONE`) carries the hint hasmoved; the engine reads it as an
    automatic reply that says so (the message was delivered: nothing bounced)."""
    senders = codes.find_addresses(mail.header("From")) or codes.find_addresses(
        mail.header("Return-Path")
    )  # none when pasted: the addresses in the notice are whom to contact instead
    body = " ".join(mail.text.split())[:300]
    gone = _GONE.search(_own_words(mail.text[:20000])[:2 * _AWAY_HEAD])
    return [
        Finding(
            address=senders[0] if senders else None,
            action=Action.DELIVERED,
            diagnostic=body or mail.subject or None,
            reason_hint=Reason.HASMOVED if gone else Reason.VACATION,
            parser=NAME,
        )
    ]
