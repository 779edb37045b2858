"""Helpers for reading free-text reports: cutting off the returned message, finding the
paragraph that talks about a recipient, and pulling the server's words out of it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

from bouncefix.regex import lazy

from ..model import Action, Finding
from . import codes

# Lines after which a report quotes the message it returns.
_RETURNED = lazy(
    r"(?im)^[ \t]*(?:"
    r"-{2,}[ \t]*(?:original[ \t]+message|this[ \t]+is[ \t]+a[ \t]+copy|below[ \t]+this[ \t]+line"
    r"|returned[ \t]+message|undelivered[ \t]+message|message[ \t]+headers?[ \t]+follow"
    r"|start[ \t]+of[ \t]+(?:returned|original)|original[ \t]+message[ \t]+(?:headers|follows))"
    r"|content-type:[ \t]*(?:message/rfc822|text/rfc822-headers)"
    r"|(?:-{2,}[ \t]*)?the[ \t]+original[ \t]+message[ \t]+(?:headers|follows)"
    r"|original[ \t]+message[ \t]+headers?:?"
    r")",
    guard=("original", "this", "below", "returned", "undelivered", "message", "start",
           "content-type:"),
)
_PARAGRAPH_BREAK = lazy(r"\n[ \t]*\n")
_SYSTEM_LOCALS = lazy(
    r"(?i)^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|mailer_daemon|"
    r"noreply|no-reply|bounces?|double-bounce|nobody|root|daemon)$",
    guard=("master", "daemon", "reply", "bounce", "nobody", "root"),
)
_CODE_LINE = lazy(
    # (or as Python's smtplib prints a refusal: "(554, b'Message rejected: ...')")
    r"(?:^|[\s:;(\[])(?:" + codes.REPLY_CODE
    + r")(?:[ \t-]|$|(?<=\(\d\d\d),[ \t]?b['\"])|(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\d|\.\d)"
)


@lru_cache(maxsize=16)
def report_part(text: str) -> str:
    """The text up to where the returned message starts (memoised: every parser asks).
    A mark above everything ("----- Original message -----" as a paste's first line) ends
    no report: the report is below it."""
    match = _RETURNED.search(text)
    if match is not None and not text[:match.start()].strip():
        match = _RETURNED.search(text, match.end())
    return text[: match.start()] if match else text


def is_system_address(address: str) -> bool:
    """True for mailer-daemon, postmaster and similar robot addresses."""
    return bool(_SYSTEM_LOCALS.match(address.split("@", 1)[0]))


_ROLE_LOCALS = frozenset({
    "postmaster", "abuse", "hostmaster", "webmaster", "security", "noc", "listserv",
    "listproc", "majordomo", "mailman", "ezmlm", "sympa", "lyris", "listmaster", "unsubscribe",
    "subscribe",
})
_LIST_ENDINGS = ("-request", "-owner", "-bounces", "-bounce", "-unsubscribe", "-subscribe",
                 "-admin", "-help", "-leave", "-join")
_LIST_OPENINGS = ("owner-", "bounce-", "bounces-", "bounce+", "bounces+", "unsubscribe-",
                  "unsubscribe+", "unsub-", "unsub+")


def is_list_or_role_address(address: str) -> bool:
    """True for a mailing list's own addresses (``-request``, ``-owner``, ``-bounces``,
    ``owner-``, listserv, majordomo, unsubscribe addresses) and role mailboxes a report
    names for contact (postmaster, abuse, hostmaster, webmaster): never failed
    recipients of the generic readers."""
    local = address.split("@", 1)[0].lower()
    return (local in _ROLE_LOCALS or local.endswith(_LIST_ENDINGS)
            or local.startswith(_LIST_OPENINGS) or "unsubscribe" in local)


# A header of a returned message quoted inline, without a marker line before it.
_QUOTED_HEADER = lazy(
    r"(?i)(?:received|from|to|cc|subject|date|message-id|return-path|mime-version|"
    r"content-type|content-transfer-encoding|reply-to|sender|in-reply-to|references|"
    r"dkim-signature|x-[a-z0-9-]{1,40})[ \t]*:"
)
_CORE_HEADER = ("received", "from", "subject", "date", "message-id", "return-path")


def returned_cut(report: str) -> str:
    """`report` up to a returned message's header block quoted inline with no marker
    before it: three or more header lines in a row, one of them Received, From,
    Subject, Date, Message-ID or Return-Path, after text that names an address or a
    code (a forwarded report's own header block, first, is not cut at)."""
    if report.count(":") < 3:
        return report
    run = core = 0
    run_start = position = 0
    refused: set[int] = set()
    for line in report.split("\n"):
        if line[:1] in (" ", "\t") and run:
            pass  # a folded header line
        elif line and _QUOTED_HEADER.match(line):
            if not run:
                run_start, core = position, 0
            run += 1
            core += line[: line.index(":")].strip().lower() in _CORE_HEADER
            if run >= 3 and core and run_start > 0 and run_start not in refused:
                head = report[:run_start]
                if "@" in head or _CODE_LINE.search(head):
                    return head
                refused.add(run_start)  # a forwarded report's own headers come first
        else:
            run = 0
        position += len(line) + 1
    return report


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped of leading/trailing blank lines."""
    return list(_paragraphs(text))


@lru_cache(maxsize=16)
def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip("\n") for p in _PARAGRAPH_BREAK.split(text) if p.strip())


def server_words(block: str) -> str:
    """The most reply-like sentence in `block`: from the first line carrying a failing
    code (else the first carrying any), through its continuation lines, unwrapped, and of
    a relay's wrapper around a quoted remote reply, the remote reply
    (:func:`innermost_reply`). Falls back to the whole block."""
    lines = block.split("\n")
    first = None
    for index, line in enumerate(lines):
        if _CODE_LINE.search(line):
            # a transcript's accepted steps (220, 250, 334) come before the refusal it
            # reports; a refusal is most often the first coded line, and then the search ends
            if (codes.find_reply_code(line) or codes.find_status(line) or "5")[0] in "45":
                break
            if first is None:
                first = index
    else:
        if first is None:
            return codes.unwrap_reply(block)
        index = first
    taken = [lines[index]]
    for follow in lines[index + 1 : index + 12]:
        if not follow.strip():
            break
        taken.append(follow)
    if _CODE_ALONE.match(lines[index]):
        # a code under a label after the words it belongs to: PHPMailer's "... Detail:
        # Virus Detected; Content Rejected\n SMTP code: 550"
        above: list[str] = []
        for line in reversed(lines[max(0, index - 3):index]):
            if not line.strip():
                break
            above.insert(0, line)
        taken = [*above, *taken]
    if _summary_only(taken[0]):
        # a summary ("400 4.4.7 Message delayed", "5.0.0") over the line that names the
        # cause ("LastError: '451 4.4.0 ... "421 4.4.2 Connection dropped ..."'")
        cause = next((i for i, line in enumerate(taken[1:], 1)
                      if codes.find_status(line) and not _summary_only(line)), None)
        if cause is not None:
            taken = taken[cause:]
    return innermost_reply(codes.unwrap_reply("\n".join(taken)))


# a line that holds only a labelled reply code: "SMTP code: 550", "Error code = 451", and
# PHPMailer's enhanced code after it ("SMTP code: 550 Additional SMTP info: 5.4.5")
_CODE_ALONE = lazy(r"(?i)[ \t]*(?:smtp[ \t]+)?(?:reply[ \t]+|error[ \t]+|status[ \t]+|response[ \t]+)?"
                   r"(?:code|status)[ \t]*[:=][ \t]*[245]\d\d"
                   r"(?:[ \t]+(?:additional[ \t]+smtp[ \t]+info|enhanced[ \t]+(?:status[ \t]+)?code)"
                   r"[ \t]*[:=][ \t]*[245]\.\d{1,3}\.\d{1,3})?[ \t.]*$")


def _summary_only(line: str) -> bool:
    return codes.is_summary_status(codes.find_status(line))


# What a relay says around the reply it quotes: "554 5.0.0 Service unavailable",
# "Unknown address error 5.1.0 ('550 5.7.1 ...')", "the remote server answered: 550 ...".
_WRAPPER = lazy(
    r"(?i)service unavailable|unknown address error|remote (?:server|host|mta|system) "
    r"(?:said|says|returned|replied|answered|responded|reported)|error from remote"
    # "Primary target IP address responded with:", "the next hop replied"
    r"|\b(?:target|destination|primary|next[- ]hop|upstream|receiving) (?:[\w.-]{1,30} ){0,3}"
    r"(?:said|says|returned|replied|answered|responded|reported)\b"
    # a queue's own give-up or delay notice around the last reply it got
    r"|message (?:expired|delayed)|unable to deliver (?:in|within|after)"
    r"|retry time(?:out)? (?:exceeded|expired)"
)
# What stands right before a quoted reply: a quote or bracket, a colon, Sendmail's "<<<",
# or a verb of saying.
_INNER_LEAD = lazy(
    r"(?:['\"(\[<:>\u2018\u201c]|\b(?:said|says|answered|returned|replied|responded|"
    r"response|reply|reason|error))[ \t]*\Z",
    re.I,
)
_CLOSING = {"(": ")", "[": "]", "<": ">", "'": "'", '"': '"', "\u2018": "\u2019",
            "\u201c": "\u201d"}
_LETTERS = lazy(r"[^\W\d_]{3}")  # three letters of any script


def _reply_starts(words: str) -> list[tuple[int, str | None, str | None]]:
    """Where each reply begins in `words`: (offset, reply code, status). A status right
    after a reply code ("550 5.1.1", "550-5.1.1", "550 #5.1.1") belongs to it."""
    starts: list[tuple[int, str | None, str | None]] = [
        (offset, code, None) for offset, code in codes.reply_codes(words)
    ]
    at = {offset: index for index, (offset, _, _) in enumerate(starts)}
    for match in codes.STATUS.finditer(words[:20000]):
        status = f"{match.group(1)}.{int(match.group(2))}.{int(match.group(3))}"
        owner = next((at[o] for o in range(match.start() - 4, match.start() - 7, -1) if o in at),
                     None)
        if owner is not None:
            offset, code, known = starts[owner]
            starts[owner] = (offset, code, known or status)
        else:
            starts.append((match.start(), None, status))
    return sorted(starts)


def final_reply(words: str) -> str:
    """Of several attempts' replies, temporary ones and then a permanent one (a log of
    tries, an API's list of attempts), the permanent reply and what follows it: it ended
    delivery, so its codes and words are the ones that count, not the earlier tries'
    (a greylisting deferral on the way to a DMARC refusal). Anything else as it is."""
    if len(words) < 12 or words.count(" ") < 4:
        return words
    coded = codes.reply_codes(words)
    if len(coded) < 2 or not coded[0][1].startswith("4"):
        return words
    last_temporary = max(offset for offset, code in coded if code.startswith("4"))
    final = next((offset for offset, code in coded
                  if code.startswith("5") and offset > last_temporary), None)
    if final is None or _QUOTED_BY.search(words, max(0, final - 40), final):
        # (a permanent reply the temporary one quotes, "450 ... unverified address: host
        # store.example.org said: 550 ...", is no later attempt: the 450 stands)
        return words
    return words[final:].strip()


# a server quoting another's reply: "host mailstore.example.org[192.0.2.70] said: "
_QUOTED_BY = lazy(r"(?i)\b(?:said|says|answered|replied|responded)\b[ \t]*:?[ \t]*['\"(]?[ \t]*\Z")


_STATUS_ONLY = lazy(r"[245]\.\d{1,3}\.\d{1,3}[ \t]*[:;,-]?[ \t]*")


def innermost_reply(words: str) -> str:
    """Of a relay's wrapper around a quoted remote reply, the remote reply::

        Unknown address error 5.1.0 ('550 5.7.1 <jane@example.org>: Relay access denied')
        554 5.0.0 Service unavailable; the remote server answered: 550 5.7.1 Refused

    give ``550 5.7.1 ...``. The first reply is a wrapper when it has no reply code, no
    status detail (x.0.0) or a relay's wording; the inner one has a reply code, some
    words and stands after a quote, a colon or a verb of saying. Anything else is
    returned as it is."""
    if len(words) < 12:
        return words
    starts = _reply_starts(words)
    if len(starts) < 2:
        return words
    first_offset, first_code, first_status = starts[0]
    for offset, code, _status in starts[1:]:
        if code is None or offset <= first_offset or code[0] not in "45":
            continue  # (a positive reply, "221 ... closing", is no failure inside)
        wrapper = words[first_offset:offset]
        if first_code is None and _STATUS_ONLY.fullmatch(wrapper):
            return words  # the status before its own reply code: "ERROR:5.7.1:550 Refused"
        if not (first_code is None or codes.is_vague_status(first_status)
                or _WRAPPER.search(wrapper)):
            return words
        lead = _INNER_LEAD.search(words, max(0, offset - 40), offset)
        if lead is None:
            continue
        inner = words[offset:]
        closing = _CLOSING.get(lead.group(0).strip()[-1:])
        if closing:
            inner = _until_closing(inner, lead.group(0).strip()[-1], closing)
            if codes.reply_codes(words[offset + len(inner):]):
                return words  # more replies after the quote: a log of attempts, no wrapper
        inner = inner.strip()
        if _LETTERS.search(inner):
            return inner
    return words


def _until_closing(text: str, opening: str, closing: str) -> str:
    """`text` up to the `closing` that ends what an `opening` before it began."""
    if opening == closing:
        end = text.rfind(closing)
        return text[:end] if end > 0 else text
    depth = 0
    for index, char in enumerate(text):
        if char == opening:
            depth += 1
        elif char == closing:
            if depth == 0:
                return text[:index]
            depth -= 1
    return text


def finding_from_words(words: str, address: str | None, parser: str, **extra: object) -> Finding:
    """A Finding for `address` with codes and command pulled out of `words` (of a
    relay's wrapper around a quoted remote reply, from the remote reply)."""
    words = innermost_reply(final_reply(words.strip()))
    return Finding(
        address=address,
        reply_code=codes.find_reply_code(words),
        status=codes.find_status(words),
        diagnostic=words or None,
        smtp_command=codes.find_command(words),
        parser=parser,
        **extra,  # type: ignore[arg-type]
    )


# where a returned message names its recipients: its To:, Cc: and Bcc: lines, and a
# Received line's "for <ann@example.org>"
_ADDRESSED_LINE = lazy(r"(?im)^[ \t>]*(?:to|cc|bcc)[ \t]*:[^\n]{0,2000}"
                      r"|\bfor <[^<>\s@]{1,64}@[^<>\s]{1,255}>")


def returned_recipients(report: str) -> list[str]:
    """The addresses the returned message in `report` was sent to, once each: its To:,
    Cc: and Bcc: lines and its Received lines' "for <ann@example.org>"."""
    return unique(a for m in _ADDRESSED_LINE.finditer(report[:200_000])
                  for a in codes.find_addresses(m.group(0)))


def complete_local_part(local: str, report: str) -> str | None:
    """The full address of a recipient a report names by its local part alone
    ("jsmith... User unknown"), from the returned message's recipients (the one there
    with that local part); None when there is not exactly one."""
    wanted = local.strip().strip("<>").lower()
    if not wanted or "@" in wanted or len(wanted) > 64:
        return None
    found = [a for a in returned_recipients(report) if a.partition("@")[0].lower() == wanted]
    return found[0] if len(found) == 1 else None


def unique(addresses: Iterable[str | None]) -> list[str]:
    """Addresses without None and without case-insensitive duplicates, order kept."""
    seen: set[str] = set()
    out = []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


# The language of delivery failures, for telling a report's words from other text.
BOUNCE_WORDS = lazy(
    r"(?i)(?:undeliver|undelivered|delivery (?:has )?failed|could not be delivered|"
    r"couldn'?t be delivered|can'?t be delivered|cannot be delivered|wasn'?t delivered|"
    r"not (?:be )?delivered|returned mail|"
    r"delivery status notification|failure notice|mail delivery|non[- ]?delivery|"
    r"permanent(?:ly)? (?:error|fatal|failure)|rejected|does ?n[o']t exist|no such user|"
    r"user unknown|unknown user|mailbox (?:is )?(?:full|unavailable|not found)|"
    r"over ?quota|address (?:rejected|not found)|unable to deliver|delivery to the following|"
    r"did not reach|could not reach|not reach the following|failed permanently|failed \(permanent\)|"
    # a mail library's own line: "SMTP Error: The following recipients failed: ..."
    r"following recipients? (?:failed|(?:was|were) rejected)|"
    # a sending service's record, pasted in part: "permanently failed", Mailgun's
    # "severity": "permanent"
    r"permanently failed|\"severity\"[ \t]*:[ \t]*\"permanent\"|"
    # Microsoft 365's friendly report: "k.okafor wasn't found at students.example.org"
    r"(?:wasn'?t|was not) found at [\w-]{1,63}\.|"
    r"delivery to [^\s@]{1,64}@[^\s]{1,255} (?:has )?failed|failed after|gave up|giving up|"
    r"(?:message |e-?mail )?not sent to|did not (?:attempt|try) (?:to )?deliver|"
    r"could not be (?:fully |successfully )?delivered|failed to be (?:received|delivered)|"
    r"(?:failed|unable) to deliver|could ?n[o']t deliver|cannot deliver|"
    r"not (?:yet )?(?:been )?delivered|(?:temporary )?problem delivering|trouble delivering|"
    r"delivery incomplete|delivery (?:is |has been )?delayed|delayed to these recipients|"
    # a system's own refusal of what it was sent: "was not posted", "could not accept
    # your email", "was not turned into a ticket"
    r"(?:was|were) not (?:posted|accepted|turned into a)|could ?n[o']t accept your (?:e-?mail|message)|"
    r"could ?n[o']t be posted|can ?n[o']t be posted|cannot be posted|"
    # outgoing mail still queued: "hasn't gone out yet and is being retried"
    r"(?:has|have)(?:n.t| not) gone (?:out|through) yet|(?:is|are) being retried|"
    # "we haven't been able to hand it to the recipient's server", "every attempt since
    # 13:50 has failed"
    r"(?:has|have)(?:n.t| not) been able to (?:deliver|hand|pass|send) (?:it|them|the|this|your)\b|"
    # "We did not send the confirmation email to ann@..."
    r"\b(?:we|it) (?:did not|didn.t|could not|couldn.t) send (?:the |your |this |a )?(?:\S{1,20} )?"
    r"(?:e-?mail|message|notification|invitation|reminder|invoice|confirmation) to\b|"
    r"(?:every|each) (?:delivery )?attempt\b[^.\n]{0,40}? (?:has|have) failed|"
    # the same in other languages ("does not exist" first)
    r"\bnon esiste|n.existe (?:pas|plus)|\bno existe|n(?:ã|a)o existe|existiert nicht|bestaat niet|"
    r"nie istnieje|не существует|存在しません|不存在|"
    r"konnte nicht zugestellt|nicht zugestellt werden|n.a pas pu (?:(?:ê|e)tre )?(?:remis|distribu)|"
    r"no se (?:ha )?(?:pod(?:ido|ía)|pudo) entregar|no (?:ha|han) sido entregad|no hemos podido entregar|"
    r"n(?:ã|a)o (?:foi poss(?:í|i)vel entregar|p(?:ô|o)de ser entregue)|"
    r"non (?:(?:è|e) stato possibile (?:recapitar|consegnar)|(?:è|e) stato (?:recapitat|consegnat))|"
    r"consegna fallita|"
    r"kon niet (?:worden )?(?:afgeleverd|bezorgd)|"
    r"δεν (?:έχει |είχε )?παραδοθεί|δεν παραδόθηκε|δεν ήταν δυνατ(?:ή|ό)|δεν (?:έχει )?σταλεί|"
    r"لم يتم (?:إرسال|تسليم|توصيل)|تعذر (?:إرسال|تسليم|توصيل)|לא (?:נשלחה|נמסרה|ניתן למסור)|"
    r"nemohla b(?:ý|y)t doru(?:č|c)ena|nebyla doru(?:č|c)ena|nelze doru(?:č|c)it|"
    r"nemohla by(?:ť|t) doru(?:č|c)en|nebola doru(?:č|c)en|nem siker(?:ü|u)lt k(?:é|e)zbes(?:í|i)teni|"
    r"nu a (?:putut|fost) (?:fi )?livrat|kunde inte levereras|kunne ikke (?:leveres|afleveres)|"
    r"ei voitu toimittaa|teslim edilemedi|nije (?:mogu(?:ć|c)e isporu(?:č|c)iti|isporu(?:č|c)en)|"
    r"nie (?:mog(?:ł|l)a|mo(?:ż|z)na(?: by(?:ł|l)o)?) (?:zosta(?:ć|c) )?dostarczy|"
    r"не (?:может быть|удалось|было|был) достав(?:лен|ить)|無法投遞|无法投递|投递失败|退信|"
    r"无法传递|無法傳遞|无法将邮件传递|未能送达|(?:无法|無法|不能)(?:送达|送達|寄达|寄達)|(?:邮件|郵件)退回|"
    r"配信できませんでした|送信できませんでした|届けることができませんでした|配信エラー|"
    r"zustellung verz(?:ö|oe)gert|distribution retard(?:é|e)e|remise retard(?:é|e)e|"
    r"entrega (?:retrasada|demorada|atrasada)|consegna ritardata|bezorging vertraagd|"
    r"(?:delivery|sending) (?:was )?not attempted|suppression list|suppressed address|"
    # a service's own notice that it skipped a send: "No delivery was attempted", "Invoice
    # INV-0388 was not emailed"
    r"\bno delivery (?:was |has been )?attempted\b|\b(?:was|were) not e-?mailed\b|"
    # the same in other languages: "niet verstuurd", "nicht versendet", "n'a pas été envoyé",
    # "no se ha enviado", "não foi enviado", "non è stato inviato"; "geen afleverpoging"
    r"niet (?:verstuurd|verzonden)|nicht (?:versendet|verschickt|gesendet)|"
    r"n.(?:a|ont) pas (?:(?:é|e)t(?:é|e) )?envoy|no se (?:ha |han |pudo )?envi(?:ado|ó|o)\b|"
    r"n(?:ã|a)o (?:foi|foram) enviad|non (?:(?:è|e) stat[oa]|sono stat[ie]) inviat|"
    r"geen (?:aflever|bezorg)poging|kein(?:en)? Zustellversuch|"
    r"aucune tentative de (?:remise|livraison|distribution)|"
    r"\bstatus=(?:bounced|deferred|expired)\b|"
    # a sending tool's status label: "Delivery status: Deferred", "Status: Hard bounce"
    r"\b(?:status|result|outcome)[ \t]*:[ \t]*(?:deferred|bounced|hard[ -]bounced?|soft[ -]bounced?"
    r"|undeliverable|failed)\b|"
    r"did ?n[o']t accept (?:the|your|this) (?:e-?mail|message)|"
    r"(?:e-?mail|message|mail) (?:to \S{1,320} )?could ?n[o']t be processed|"
    r"could not be (?:handed|passed) on|never accepted (?:it|the message|your message)|"
    r"host or domain name not found|name service error for name=|"
    r"(?:was|were|has|have) not (?:been )?(?:passed on|passed|forwarded) to|"
    r"could ?n[o']t be sent|can ?n[o']t be sent|(?:was|were|has|have)(?: not|n.t)(?: been)? sent\b|"
    # a mail app's or a sending tool's own words: "Email failed to send", "Sending of the
    # message failed", "Send failed"
    r"(?:e-?mail|message|mail|reply|invitation|reminder)s? failed to send|"
    r"\b(?:sending|send)(?: of (?:the |your |this )?(?:message|e-?mail|mail))? (?:has )?failed\b|"
    r"error (?:occurred |occured |happened )?(?:while |when |trying to |in )?send(?:ing)? "
    r"(?:your |the |this |an? )?(?:message|e-?mail|mail)|"
    r"(?:could ?n[o']t|can ?n[o']t|cannot|failed to|unable to) send "
    r"(?:your |the |this |an? )?(?:message|e-?mail|mail)\b|"
    # mail apps' notices in more languages
    r"th(?:ư|u) kh(?:ô|o)ng (?:đ|d)(?:ư|u)(?:ợ|o)c g(?:ử|u)i|pesan tidak terkirim|nie dostarczono|"
    r"лист не доставлено|письмо не доставлено|ไม่สามารถส่ง|डिलीवर नहीं|لم يتم تسليم|"
    # Hebrew and Persian: "could not be delivered", "was not delivered"
    r"לא ניתן היה למסור|לא ניתן למסור|לא נמסרה|לא נמסר|לא הצלחנו למסור|"
    r"تحویل داده نشد|ارسال نشد|"
    r"메일 (?:발송|전송) 실패|메일이 반송|(?:발송|전송|전달)되지 못했|(?:발송|전송)할 수 없습니다|"
    r"配送が完了しなかった|配送できませんでした|(?:配送|配信|送信)に失敗|送信できません|"
    r"impossibile inviare|sending paused|ability to send (?:e-?mail )?(?:has been|is) paused|"
    r"non (?:(?:è|e) stato|sono stati) consegnat|no (?:ha|han) podido (?:ser )?entregar|"
    r"发送失败|(?:邮件|郵件)(?:发送|投递|投遞)失败|メール送信エラー|"
    r"mancato recapito|impossibile inviare|mensaje no entregado|mensagem n(?:ã|a)o entregue|"
    r"message non (?:remis|distribu)|(?:é|e)chec de la remise|nachricht (?:wurde )?nicht zugestellt|"
    r"bericht niet (?:bezorgd|afgeleverd)|ileti teslim edilemedi|mesaj iletilemedi|"
    r"配信遅延|送信遅延|まだ配信されていません|届いていません|pesan (?:anda )?diblokir|"
    # the address does not exist, said of the recipient in Japanese, Chinese and Korean
    r"(?:は|が)存在しません|地址不存在|用户不存在|用戶不存在|존재하지 않는|"
    r"전송 지연|발송 지연|전달되지 않았|nie wys(?:ł|l)ano|nie zosta(?:ł|l)a wys(?:ł|l)ana|"
    r"non (?:(?:è|e) )?(?:stat[oa] )?consegnat|niet (?:worden )?(?:afgeleverd|bezorgd)|"
    r"kunde inte (?:levereras|skickas)|har inte levererats|blev ikke (?:leveret|afleveret)|"
    r"kunne ikke (?:leveres|afleveres)|ble ikke levert|nelze doru(?:č|c)it|nebyl[ao]? doru(?:č|c)en|"
    r"nepoda(?:ř|r)ilo se doru(?:č|c)it|nem k(?:é|e)zbes(?:í|i)thet|ei voitu toimittaa|"
    r"не (?:вдалося|удалось) доставити|не доставлен|전달하지 못|전송하지 못|"
    r"배달(?:되지| 실패)|未能(?:送达|投递|送達|投遞)|non recapitat|"
    r"kh(?:ô|o)ng (?:th(?:ể|e) )?g(?:ử|u)i (?:đ|d)(?:ư|u)(?:ợ|o)c|kh(?:ô|o)ng th(?:ể|e) g(?:ử|u)i th(?:ư|u))"
)


# What a report's subject says in its first words (after a "[tag]" and up to three other
# words: "Mail delivery failed", "Returned mail: ...", "[Postmaster] Undeliverable: ...",
# "Unzustellbar: ..."); never a question, which a person asks.
REPORT_SUBJECT = lazy(
    r"(?i)^[ \t]*(?:\[[^\]\n]{0,40}\][ \t]*)?(?:\S{1,20}[ \t]+){0,3}"
    r"[^\x00-\x7f\s]{0,6}(?:undeliver|undelivered"
    r"|returned|failure|failed|could ?not|couldn.t|not delivered|not sent|non[- ]?deliver|nondeliver"
    r"|delivery (?:status|notification|report|problem|error|warning|failure|delayed|failed)"
    r"|mail (?:system )?error|warning|delay|rejected|bounce"
    r"|unzustell|nicht zugestellt|non remis|non distribu|no se (?:pudo|puede)|no entregad"
    r"|niet verstuurd|niet verzonden|nicht versendet|nicht verschickt|non envoy|no enviad|n[ãa]o enviad"
    r"|non inviat"
    r"|no hemos podido entregar|no (?:ha|han) sido entregad|not e-?mailed"
    r"|n[ãa]o entregue|non recapit|onbestelbaar|niedostarcz|nedoru[čc]|olevererbar"
    r"|kan ikke leveres|недостав|不達|配信|配送|失敗|退信|退回|未送达|실패|non consegnat|error|problem"
    r"|notif)"
    r"(?![^?]*\?[ \t]*$)"
    # "Reference request to Graham Pell is delayed", "Invoice 2031 to Smit was not sent", "A
    # confirmation email from "Sign-up" was not sent"
    r"|\b(?:message|e-?mail|mail|request|invitation|invoice|reminder|notification|reply|document"
    r"|confirmation)s?\b[^?\n]{0,80}?[ \t](?:is|are|was|were|has been|have been)[ \t]+(?:delayed|bounced"
    r"|returned|undeliverable|not[ \t]+(?:yet[ \t]+)?(?:been[ \t]+)?(?:delivered|sent))[ \t]*[.!]?[ \t]*$"
    # "[BLOCKED] Your message "Q3 figures" was not sent"
    r"|^[ \t]*(?:\[[^\]\n]{0,40}\][ \t]*)?your (?:message|e-?mail|mail)\b[^?\n]{0,120}?"
    r"(?:(?:was|were|has been|have been) not|(?:has|have) not (?:yet )?been|(?:has|have)n.t (?:yet )?been"
    r"|wasn.t|weren.t|could not be|couldn.t be|cannot be"
    r"|can.t be) (?:sent|delivered)\b(?![^?]*\?[ \t]*$)"
    r"|^[ \t]*(?:\[[^\]\n]{0,40}\][ \t]*)?your (?:message|e-?mail|mail)\b[^?\n]{0,120}?"
    r"(?:was|were|has been|have been) (?:blocked|rejected|returned|stopped|quarantined|refused)\b"
    r"(?![^?]*\?[ \t]*$)"
)


# A subject a person writes when forwarding a message ("Fwd:", "FW:", "TR:", "WG:", "RV:",
# "I:", "Enc:").
FORWARD_SUBJECT = lazy(r"(?i)^[ \t]*(?:fwd?|tr|wg|rv|i|enc)[ \t]*:")


# Words that say why a delivery failed (not the framing around it).
CAUSE_WORDS = lazy(
    r"(?i)because|reason|full|quota|unknown|exist|not found|reject|refus|block|denied|"
    r"disabled|deactivated|inactive|suspended|too (?:large|big|many)|spam|policy|time[ds]? ?out|expired|"
    r"unreachable|unavailable|invalid|n(?:o|.)t (?:allowed|permitted)|suppression list|"
    r"suppressed|\bno (?:such )?(?:user|mailbox|account|group|list|address|recipient)\b|"
    # the sender gave up, or the receiving server never answered
    r"\b(?:gave|given|giving) up\b|stopped trying|not responding|"
    # the same words in the languages of the phrase families (de, nl, fr, es, pt, it, pl,
    # ru, ja, zh): unknown, does not exist, full, refused, blocked, disabled, invalid, too
    # large, not allowed, limit, timed out
    r"unbekannt|existiert nicht|gibt es nicht|\bvoll\b|abgelehnt|abgewiesen|gesperrt|blockiert|"
    r"deaktiviert|ung(?:ü|ue)ltig|zu gro(?:ß|ss)|nicht (?:erlaubt|zul(?:ä|ae)ssig)|"
    r"onbekend|bestaat niet|geweigerd|geblokkeerd|"
    r"inconnu|n.existe (?:pas|plus)|\bplein|\bpleine\b|rejet|bloqu|d(?:é|e)sactiv|trop volumineux|"
    r"non autoris|desconocid|desconhecid|sconosciut|inesistent|no existe|n(?:ã|a)o existe|"
    r"non esiste|\blleno|\bcheia\b|\bpieno\b|rechaz|rejeitad|recusad|rifiutat|bloquead|bloccat|"
    r"desactivad|desativad|disattivat|inv(?:á|a)lid|non valid|no permitid|n(?:ã|a)o permitid|"
    r"non consentit|nieznan|nie istnieje|przepe(?:ł|l)nion|odrzuc|zablokow|"
    r"неизвестн|не существует|переполнен|отклон|заблокир|запрещ|"
    r"存在しません|存在しない|見つかりません|拒否|上限|超過|ブロック|無効|"
    r"不存在|拒绝|拒絕|已满|已滿|超过|无效|無效|阻止|限制|"
    # "reason" as a report's label: "Razlog:", "Důvod:", "Powód:", "Motivo:", "Grund:"
    r"\brazlog|\bd(?:ů|u)vod|\bd(?:ô|o)vod|\bpow(?:ó|o)d\b|\bprzyczyn|\bmotivo\b|\bgrund\b|"
    r"\braison\b|\bmotif\b|\boorzaak|\borsak\b|\b(?:å|a)rsak\b|причин|αιτία|السبب|סיבה|"
    # timed out, not reachable, connection broken off
    r"zeit(?:ü|ue)berschreitung|nicht erreichbar|unterbrochen|d(?:é|e)lai d.attente|injoignable|"
    r"tiempo de espera|inalcanzable|tempo (?:limite )?esgotado|inacess(?:í|i)vel|"
    r"tempo (?:di attesa )?scaduto|irraggiungibil|przekroczono czas|тайм-?аут|недоступ|"
    r"タイムアウト|超时|逾時"
)


_BOILERPLATE = lazy(
    r"(?i)automatically generated|this is the mail system|mail delivery software|"
    r"this message was created automatically|do not reply|replies are not read"
)


def explanation(blocks: list[str]) -> str:
    """The report's own account of why delivery failed, for a recipient whose entry
    says nothing coded: the first paragraph with bounce wording and a cause, with the
    paragraphs after it that go on with bounce or cause wording ("... not delivered
    because the destination was not reachable ..." then "... within 5 days: Host ... is
    not responding"); else the first with bounce wording; "" when none has any."""
    head = blocks[:40]
    worded = [i for i, b in enumerate(head)
              if bounce_words(b) and not _BOILERPLATE.search(b)]
    if not worded:
        # no bounce wording at all ("the group you tried to contact may not exist, or you
        # may not have permission to post"): the first paragraph that names a cause
        # (a sentence, not a marker line: "--- Delivery report unavailable ---")
        at = next((i for i, b in enumerate(head) if CAUSE_WORDS.search(b) and len(b.split()) > 6
                   and not _BOILERPLATE.search(b) and not _ADDRESSES_ONLY.match(b)), None)
        if at is None:
            return ""
        caused_only = head[at]
        if caused_only.rstrip().endswith(":") and at + 1 < len(head) and not (
                _BOILERPLATE.search(head[at + 1])):
            caused_only += " " + head[at + 1]  # "... refused for this reason:" and the reason
        return codes.unwrap_reply(caused_only)[:2000]
    first = next((i for i in worded if CAUSE_WORDS.search(head[i])), worded[0])
    lead = worded[0]
    if (first != lead and lead + 1 < len(head) and CAUSE_WORDS.search(head[lead + 1])
            and not _BOILERPLATE.search(head[lead + 1])):
        # a headline ("Your message was NOT sent.") and the paragraph right after it that
        # says why, before any later paragraph with both kinds of words (an entry's
        # "Action: rejected")
        first = lead
    chosen = [head[first]]
    caused = bool(CAUSE_WORDS.search(head[first]))
    for block in head[first + 1:]:
        if _ADDRESSES_ONLY.match(block):
            continue  # the recipients the heading introduces; the reason may follow them
        if _BOILERPLATE.search(block):
            break
        said = bounce_words(block) or bool(CAUSE_WORDS.search(block))
        # (what a paragraph ending in a colon introduces belongs to it: "... was refused
        # for this reason:" then "The message is not from a list member")
        if not said and caused and not chosen[-1].rstrip().endswith(":"):
            break
        chosen.append(block)  # a heading without a cause takes the next paragraph
        caused = caused or bool(CAUSE_WORDS.search(block))
        if not said:
            break
    if not caused:
        # no cause near the heading: a later paragraph that names one ("Diagnostic
        # information for administrators: ... every attempt ... has timed out")
        later = next((b for b in head[first + 1:] if CAUSE_WORDS.search(b)
                      and not _BOILERPLATE.search(b) and not _ADDRESSES_ONLY.match(b)), None)
        if later is not None and later not in chosen:
            chosen.append(later)
    return codes.unwrap_reply(" ".join(chosen))[:2000]


# a paragraph that only lists addresses ("    ann@example.org\n    <bob@example.net>"),
# each perhaps after a short label ("宛先: ann@example.org", "Recipient: bob@example.net")
# (an address stops at CJK and full-width punctuation: a sentence written without spaces
# around an address, "このアカウント（ann@example.com）から...", is no address line)
_ADDRESSES_ONLY = lazy(r"(?:[ \t]*(?:[^\s:@<>]{1,20}(?: [^\s:@<>]{1,20}){0,2}[ \t]*:[ \t]*)?"
                       r"[-*<\"']?[^\s@<>\"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]{1,64}@"
                       r"[^\s@<>\"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]{1,255}"
                       r"[>\"',;]?[ \t]*(?:\n|\Z))+\Z")


def bounce_words(words: str) -> bool:
    """Whether `words` use the language of delivery failures."""
    return bool(BOUNCE_WORDS.search(words[:20000]))


def has_code(block: str) -> bool:
    """Whether `block` carries a reply code or an enhanced status code."""
    return bool(codes.find_status(block) or codes.find_reply_code(block))


# a newsletter's footer: "You are receiving this because you subscribed ...", an
# "Unsubscribe:" label or link
_NEWSLETTER = lazy(
    r"(?im)\byou(?:.re| are) (?:receiving|getting) this (?:e-?mail |message |newsletter |digest )?"
    r"because\b|^[ \t]*unsubscribe[ \t]*:|https?://\S{1,200}/unsubscribe\b")


def newsletter(whole: str) -> bool:
    """Whether `whole` ends with a newsletter's footer (a digest that quotes replies as
    examples reports no failure of its own)."""
    return bool(_NEWSLETTER.search(whole[-2000:]))


def has_evidence(block: str) -> bool:
    """Whether `block` carries a code or the wording of a delivery failure."""
    return has_code(block) or bool(BOUNCE_WORDS.search(block))


class Blocks:
    """A report's lines and their paragraphs, for cutting out each recipient's block."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.paragraph: list[int] = []  # the paragraph number of each line
        self.bounds: list[tuple[int, int]] = []
        self._addresses: dict[tuple[int, int], set[str]] = {}
        start = None
        for index, line in enumerate([*lines, ""]):
            if line.strip():
                if start is None:
                    start = index
            elif start is not None:
                self.bounds.append((start, index))
                start = None
            if index < len(lines):
                self.paragraph.append(len(self.bounds) if line.strip() else -1)

    def _names_another(self, bounds: tuple[int, int], address: str, chosen: set[str]) -> bool:
        """Whether the paragraph at `bounds` names a failed recipient other than
        `address` (its addresses found once)."""
        named = self._addresses.get(bounds)
        if named is None:
            named = self._addresses[bounds] = {
                a.lower() for a in codes.find_addresses("\n".join(self.lines[slice(*bounds)]))}
        return bool(named & chosen - {address.lower()})

    def words_for(self, line: int, address: str, starts: list[int],
                  chosen: set[str]) -> tuple[str, str | None]:
        """The recipient's block and the remote host its framing names: from its line to
        the next recipient's line in the same paragraph; when that says nothing coded,
        the paragraphs after it that name no other recipient (an address line, then the
        reason below it). `starts` are the lines that open a recipient's entry, sorted."""
        number = self.paragraph[line]
        if number < 0 or number >= len(self.bounds):
            return "", None
        first, end = self.bounds[number]
        later = bisect_right(starts, line)
        stop = min(starts[later], end) if later < len(starts) else end
        block = self.lines[line:stop]
        words = block_words(block, address)
        remote = remote_host(block)
        if remote is None and first < line and not has_code(self.lines[line - 1]):
            # Exim 4.9x names the host on a line of its own above "SMTP error from remote
            # mail server after RCPT TO:<...>:"
            remote = remote_host(self.lines[line - 1 : line])
        if has_code(words):
            return words, remote
        following: list[str] = []
        lead_in = words.rstrip().endswith(":")
        looked = 0  # the next two paragraphs, not counting a message summary's lines
        for other in self.bounds[number + 1 : number + 6]:
            if looked == 2:
                break
            later = bisect_left(starts, other[0])
            if later < len(starts) and starts[later] < other[1]:
                break  # another recipient's paragraph
            lines = self.lines[other[0] : other[1]]
            if all(_SUMMARY_LINE.match(line) for line in lines):
                continue  # "Sent: Fri, 8 Mar 2024 ..." under the recipient's line
            looked += 1
            joined = "\n".join(lines)
            if not following and not lead_in and len(joined) <= 80 and joined.rstrip().endswith(":"):
                lead_in = True  # "The response was:" on its own: the next paragraph
                continue
            # a paragraph with a code or bounce wording, or, below a block that has no
            # code, the report's sentence saying why ("The account ... is disabled."), or
            # what a line ending in a colon introduces ("The response was:")
            evident = has_evidence(joined) or (not has_code(words) and (
                bool(CAUSE_WORDS.search(joined)) or (lead_in and not following)))
            if evident and not self._names_another(other, address, chosen):
                following.append(block_words(lines, None))
                if has_code(joined):
                    break
        if (not following and not has_evidence(words) and not CAUSE_WORDS.search(words)
                and first < line):
            # "Delivery failed:" above a bare address: the paragraph's own words
            return block_words(self.lines[first:end], address), remote
        return " ".join(w for w in (words, *following) if w), remote


# a line of a summary of the returned message ("Subject: ...", "Sent: ...")
_SUMMARY_LINE = lazy(r"[ \t]*(?:Subject|Sent|Date|Size|Message-ID|Betreff|Gesendet|Datum|Objet"
                     r"|Envoy(?:é|e)|Asunto|Enviado|Oggetto|Inviato)[ \t]*:")


def block_words(lines: list[str], address: str | None) -> str:
    """The server's words in one recipient's block, unwrapped, in their order: cause
    lines before and after the coded reply stay (an address line, then "mailbox is full"
    below it; a sentence, then the "550 ..." line); lines that only name an address, and
    framing lines ending in a colon before the reply ("host mx.example.org[192.0.2.1]
    said:"), are left out. Of a relay's wrapper around a quoted reply, the inner reply."""
    kept = [line for line in lines if line.strip() and not _only_address(line)]
    coded = next((i for i, line in enumerate(kept) if has_code(line)), None)
    if coded is None:
        return codes.unwrap_reply("\n".join(kept))
    before = [line for line in kept[:coded] if not _is_framing(line)]
    return innermost_reply(codes.unwrap_reply("\n".join([*before, *kept[coded:]])))


# Exim's "  host mx.example.org [192.0.2.1]" line above the reply
_HOST_LINE = lazy(r"(?i)[ \t]*host[ \t]+[^\s\[]{1,255}[ \t]*\[[0-9a-f.:]{1,45}\][ \t]*:?[ \t]*")


def _is_framing(line: str) -> bool:
    """A line that introduces the reply: it ends in a colon, or names the host."""
    return line.rstrip().endswith(":") or bool(_HOST_LINE.fullmatch(line))


# "host mx.example.org[192.0.2.1] said:", "while talking to mx.example.org.:"
_REMOTE_HOST = lazy(
    r"(?i)\b(?:host|talking[ \t]+to|server)[ \t]+([A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,63})"
    r"\.?[ \t]*[\[(:]"
)


def remote_host(lines: list[str]) -> str | None:
    """The remote MTA a block's framing names, if any."""
    for line in lines:
        if "host" in line or "talking" in line or "server" in line:
            match = _REMOTE_HOST.search(line)
            if match:
                return match.group(1).lower()
    return None


def _only_address(line: str) -> bool:
    """A line naming one address and nothing else ("  <jane@example.org>:")."""
    stripped = line.strip().strip("<>\"'()[],;:.\u300c\u300d\u3010\u3011")
    if "@" not in stripped or " " in stripped:
        return False
    found = codes.ADDRESS.match(stripped)
    return found is not None and found.end() == len(stripped)


# A notice that delivery is still being tried: "has been delayed", "will keep trying",
# "this is a warning message only", "we'll retry", "delivery incomplete".
STILL_TRYING = lazy(
    r"(?i)\b(?:has been|is being|was|is) delayed\b|delivery (?:is )?delayed|"
    r"(?:will|we.ll|we will|i.ll|continue to) (?:keep )?(?:re)?try(?:ing)?\b|keep trying|"
    r"warning message only|(?:do not|don.t) need to resend|delivery incomplete|not yet (?:been )?delivered|"
    # "has not been delivered yet", "we retry for two more days"
    r"(?:not|n.t) (?:yet )?been (?:delivered|sent) yet\b|\bwe (?:re-?try|try again)\b|"
    # "This is only a warning; MDaemon has not given up"
    r"\bonly a warning\b|\b(?:has|have) not (?:yet )?given up\b|\bhasn.t (?:yet )?given up\b|"
    r"(?:will be|may be|is) (?:re-?scanned|released|reviewed)|delivered automatically|"
    r"still (?:trying|being retried|in (?:the |its |our |this server.s )?(?:\S{1,20} )?queue|undelivered"
    r"|not delivered|pending|queued|"
    r"waiting to be (?:delivered|sent))|(?:has|have)n.t gone (?:through|out) yet|"
    r"will be retried|continue (?:re)?trying|will be (?:attempted|tried) again|"
    # a queue manager's own log line: "Retrying in 00:30:00 (attempt 3)", "next retry at 09:40"
    r"\bretrying (?:in|at|every|after)\b|\bnext (?:attempt|retry|try) (?:in|at)\b|"
    # Sendmail's queue listing: "(Deferred: Connection timed out with mx.example.net.)"
    r"\(deferred[ \t]*:|"
    # "We're retrying every few minutes", "Three messages are queued", "still delivering to"
    r"\b(?:we.re|we are|it.s|it is|is|are) (?:still )?re-?trying\b|\b(?:is|are) (?:still )?queued\b"
    r"|still delivering\b|"
    # in plainer or learners' English: "delivery will be tried again", "stays in the queue"
    r"will be tried again|(?:stays?|remains?|is kept|sits?) in (?:the )?queue|"
    # a queue viewer's own state: "Status : Retry",
    # "NextRetryTime : ...", "top deferral reason:"
    r"\bstatus[ \t]*:[ \t]*retry\b|\bnext[ \t]?retry(?:[ \t]?time)?[ \t]*[:=]|"
    r"\bdeferral reasons?[ \t]*:|"
    # Exim's delay warning: "Warning: message 1sQz4T-0007Ab-2K delayed 1 hours", "Delay reason:"
    r"\bdelay reason[ \t]*:|\bwarning: message \S{1,60} delayed \d{1,4} (?:hours?|minutes?|days?)\b|"
    # a mail queue listing (Postfix mailq): every message in it is still queued
    r"-queue id- |\bkbytes in \d{1,9} requests?\b|\bsoft[- ]reject(?:ed)?\b|"
    r"weiterhin versucht|versucht es (?:\S{1,20} ){0,2}weiter\b|"
    r"verz(?:ö|oe)gert|continuer(?:a|ons) (?:à|a) essayer|seguir(?:á|a|emos) "
    r"intentando|continuar(?:á|a|emos) (?:a )?tentar|continuer(?:à|a|emo) a provare|"
    # a list or group holding the post for its moderators: not failed, waiting
    r"\bawait(?:s|ing)? (?:the )?(?:list |group )?(?:moderator|moderation|approval)|"
    r"\b(?:held|on hold|waiting) (?:\S{1,20} ){0,3}?(?:for|until) (?:a |an |the |one of the )?"
    r"(?:list |group )?(?:moderators?|managers?|owners?)(?:.s)? (?:to approve|can|approval|review)"
)
# "we will retry" in more languages: a second pattern, asked only when one of its own
# words occurs (_MORE_WORDS), so that the common case stays one short search
STILL_TRYING_MORE = lazy(
    r"(?i)"
    # (not "aucune nouvelle tentative ne sera faite": no further attempt)
    r"r(?:é|e)essaier(?:ons|a)|(?<!aucune )(?<!pas de )(?<!sans )nouvelle tentative|"
    r"wird (?:es )?erneut versucht|"
    r"(?:nicht|kein(?:e|en)?) (?:\S{1,20} )?erneut (?:zu )?(?:senden|schicken|versenden)|"
    r"(?<!no )reintentar(?:emos|á)|(?<!no )volver(?:emos|(?:á|a)n?) a intentar"
    r"|(?<!não )(?<!nao )tentar(?:emos|(?:á|a)|(?:ã|a)o) "
    r"(?:novamente|de novo)|voltar(?:emos|(?:á|a)) a tentar|(?<!non )riprover(?:emo|(?:à|a)\b)|"
    # the sending service retries ("Gmail probeert het nog 45 uur opnieuw", "będzie ponawiać
    # próby", "会在接下来的 45 小时内重试")
    r"probeert het (?:(?!niet\b)\S{1,20} ){0,6}opnieuw|(?<!nie )(?<!nie będzie )ponawia(?:ć|c)? pr(?:ó|o)b|"
    r"(?:小时|小時|天)(?:内|內)重试|"
    # "this is only a warning" / "it will be sent again later" in the Romance languages
    r"(?:é|e) apenas um aviso|es (?:s(?:ó|o)lo|solamente) (?:una )?advertencia|(?:è|e) solo un avviso|"
    r"ser(?:á|a) reenviad[ao] automaticamente|se reenviar(?:á|a) autom(?:á|a)ticamente|"
    r"verr(?:à|a) reinviat[oa] automaticamente|"
    r"proberen het (?:later )?opnieuw|spr(?:ó|o)bujemy ponownie|zkus(?:í|i)me (?:to )?znovu|"
    r"повтор(?:им|ит) попытку|再試行します|将(?:会)?重试|다시 시도합니다|"
    r"tentatives? (?:de \S{1,20} )?continuent|"
    r"toujours pas (?:pu )?(?:(?:é|e)t(?:é|e) |(?:ê|e)tre )?(?:remis|distribu|livr)|"
    r"non encore (?:remis|distribu|livr)|zustellversuche werden fortgesetzt|"
    r"(?:los )?intentos (?:de entrega )?contin(?:ú|u)an|as tentativas (?:de entrega )?continuam|"
    r"i tentativi (?:di consegna )?continuano|再送を続け|配信が遅れて|"
    r"再送信(?:して(?:いただく)?)?(?:する)?必要は(?:ありません|ございません)|まだ配(?:信|送)されていません|"
    r"警告のみです|引き続き試行|まだ\S{0,12}届いていません|引き続き再送|継続して再送|将继续尝试|將繼續嘗試|继续尝试投递|"
    # Gmail's delay notice in Chinese: "會在接下來的 45 小時內重新嘗試傳送"
    r"重新嘗試傳送|重新尝试发送|重新尝试投递|"
    r"s(?:ẽ|e) th(?:ử|u) l(?:ạ|a)i|akan mencoba lagi|tekrar denenecek|denemeye devam|"
    r"ponovno (?:posla|poslati|posl(?:a|á)na)|turpin(?:ā|a)sim m(?:ē|e)(?:ģ|g)in(?:ā|a)t|қайта жіберіл|"
    r"znovu (?:odes|odos)|(?:pouze|jen|iba|len) (?:o )?upozorn|(?:tylko|jedynie) ostrze(?:ż|z)en|"
    # "nie została jeszcze dostarczona", "serwer będzie dalej próbował"
    r"(?:zosta(?:ł|l)a|zosta(?:ł|l)) jeszcze dostarczon"
    r"|jeszcze nie (?:zosta(?:ł|l)a |zosta(?:ł|l) )?dostarczon|"
    r"b(?:ę|e)dzie dalej pr(?:ó|o)bowa|"
    r"(?:ú|u)jra (?:megpr(?:ó|o)b|pr(?:ó|o)b)|"
    r"(?:î|i)ncerc(?:ă|a)m din nou|θα (?:ξανα)?προσπαθ|θα συνεχίσει να προσπαθ|"
    r"ננסה שוב|دوباره تلاش|دوبارہ کوشش|আবার চেষ্টা|"
    r"மீண்டும் முயற்சி|tutajaribu tena|f(?:ö|o)rs(?:ö|o)ker igen|pr(?:ø|o)ver (?:igjen|igen)|"
    r"yrit(?:ä|a)(?:mme|(?:ä|a)n) uudelleen|tornarem a intentar|berriro saiatuko|cuba semula|"
    r"susubukan (?:muli|ulit)|"
    # "not yet delivered" and "has been delayed" in more languages
    r"noch nicht zugestellt|pas encore (?:(?:é|e)t(?:é|e) )?(?:remis|distribu|livr)|"
    r"(?:todav(?:í|i)a|a(?:ú|u)n) no (?:se )?ha (?:sido )?entregad|se ha retrasado|"
    r"seguir(?:á|a|emos) intent(?:á|a)ndo|ainda n(?:ã|a)o (?:foi )?entregue|"
    r"non (?:(?:è|e) )?ancora (?:stat[oa] )?(?:consegnat|recapitat)|nog niet (?:afgeleverd|bezorgd)|"
    r"proberen het (?:\S{1,20} ){0,6}opnieuw|(?:ä|a)nnu inte (?:levererat|levererats)|"
    r"endnu ikke (?:blevet )?leveret|enn(?:å|a) ikke (?:blitt )?levert|"
    r"jeszcze nie (?:zosta(?:ł|l)a )?dostarczon|(?:dosud|zat(?:í|i)m) nebyl[ao]? doru(?:č|c)en|"
    r"(?:ещ(?:ё|е)|пока) не доставлен|ще не доставлен|尚未(?:送达|投递|送達|投遞)|"
    r"아직 (?:\S{1,20} ){0,3}전달되지 않|"
    r"versuchen es (?:\S{1,20} ){0,3}erneut"
)


# A notice that delivery has ended: the sending server gave up.
GAVE_UP = lazy(
    r"(?i)\bga(?:ve|ving) up\b|\b(?:could|can)(?:not|n.t| not) be delivered|undeliver|"
    r"\bpermanent|\bexpired\b|(?:queue|queued)\b.{0,20}too long|too long in (?:the )?queue|"
    # (not Exchange's failover note: "delivery failed to all alternate hosts")
    r"delivery (?:has )?failed(?! to all alternate hosts)|failed permanently|"
    # a message tracking log's or trace's own failure event: "EventId : FAIL", "Fail  Reason:"
    r"\beventid[ \t]*:[ \t]*fail\b|\bfail[ \t]+reason[ \t]*:|"
    r"returned to sender|not (?:be )?retried|no (?:further|more) (?:re)?tr(?:y|ies)|"
    # "Gmail stopped trying after 2 days", "we have given up", "will not be retried"
    r"\bstopped (?:re)?trying\b|\bgiven up\b|\b(?:will not|won.t) (?:be )?retr(?:y|ied)\b",
    guard=("gav", "be delivered", "undeliver", "permanent", "expired", "too long", "delivery",
           "eventid", "reason", "returned to sender", "retried", "no ", "stopped", "given",
           "retr"),
)


# a negation just before: "no permanent failure so far", "has not expired yet"
_NEGATED_BEFORE = lazy(r"(?i)(?:\bno|\bnot|\bnever|\bwithout|\w[’']t)\b"
                       r"(?:[ \t]+[\w\"']{1,20}){0,2}[ \t\"']*\Z")


def _gave_up(text: str) -> bool:
    """Whether `text` says the sending server gave up (not "no permanent failure yet")."""
    for found in GAVE_UP.finditer(text):
        if not _NEGATED_BEFORE.search(text, max(0, found.start() - 40), found.start()):
            return True
    return False


def mark_delays(findings: list[Finding], notice: str, pasted: bool = False) -> list[Finding]:
    """`findings` as delays when the notice says delivery is still being tried, or (for
    a pasted reply, `pasted`) when the reply is a temporary one (4xx, 4.x.x) and nothing
    says delivery ended: the sending server retries those. A finding whose codes are
    permanent (5xx, 5.x.x) stays a failure."""
    if not findings:
        return findings
    # a mail log's own line for the recipient says it stays queued (:func:`_log_retries`)
    # (a mail log's lines with a status, read once for all the findings)
    logged = ([line for line in notice[:20000].lower().split("\n") if "status=" in line]
              if "status=" in notice else [])
    findings = [_logged_delay(f, logged) for f in findings]
    # read as one line: a sentence folded over two ("still being\nretried") still says it
    head = notice[:20000].replace("\n", " ")
    lowered = head.lower()
    # a mail log whose lines say deferred, none bounced ("status=deferred"), or a sending
    # tool's status label ("Delivery status: Deferred")
    deferred_log = "deferred" in lowered and bool(_DEFERRED_STATUS.search(lowered)) and not (
        _ENDED_STATUS.search(lowered))
    # a message trace's latest event or state: "Defer  Reason: [{LED=451 ...", "Status:
    # Pending" (unless a later event says it failed: "Fail  Reason: ... QUEUE.Expired")
    traced = ("defer" in lowered or "pending" in lowered) and bool(
        _TRACE_PENDING.search(head)) and not _gave_up(head)
    retried = deferred_log and _log_retries(lowered)
    if deferred_log or traced or _queue_entry(notice) or (
            _any_in(lowered, _STILL_TRYING_WORDS) and STILL_TRYING.search(head)) or (
            _any_in(lowered, _MORE_WORDS) and STILL_TRYING_MORE.search(head)):
        return [f.with_changes(action=Action.DELAYED)
                if f.action is Action.FAILED and (retried or not _permanent(f)) else f
                for f in findings]
    if pasted and not _gave_up(head):
        return [f.with_changes(action=Action.DELAYED)
                if f.action is Action.FAILED and _transient(f) else f for f in findings]
    return findings


# One entry of a mail queue listing (Postfix's mailq) without its heading: the queue id,
# the size, the arrival time and the sender ("A91C22E17F*   18412 Tue Jun  4 08:02:11
# news@example.com"); what it lists is still queued.
QUEUE_ENTRY_HEAD = (
    r"[0-9A-Za-z]{6,20}[*!]?[ \t]{1,12}\d{1,10}[ \t]{1,6}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[ \t]"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]{1,2}\d{1,2}[ \t]\d\d:\d\d:\d\d")
_QUEUE_ENTRY = lazy(r"(?m)^" + QUEUE_ENTRY_HEAD + r"[ \t]")
_WEEKDAYS = ("Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun ")


def _queue_entry(notice: str) -> bool:
    """Whether `notice` holds an entry of a mail queue listing (_QUEUE_ENTRY)."""
    head = notice[:20000]
    return _any_in(head, _WEEKDAYS) and _QUEUE_ENTRY.search(head) is not None


_TRACE_PENDING = lazy(r"(?i)\bdefer[ \t]+reason[ \t]*:|\b(?:status[ \t]*(?:is[ \t]*)?:?|says|shows)"
                      r"[ \t]*pending\b")
# (or the queue it sits in: "in the deferred queue", an admin console's "Mail Queues >
# Deferred")
_DEFERRED_STATUS = lazy(r"\bstatus[ \t]*[:=][ \t]*deferred\b|\bdeferred[ \t]+queue\b"
                        r"|\bqueues?[ \t]*>[ \t]*deferred\b")
_ENDED_STATUS = lazy(r"\bstatus[ \t]*[:=][ \t]*(?:bounced|failed|expired|hard[ -]bounced?)\b")


#: a literal of which every STILL_TRYING match holds one (the regex has no literal
#: prefix, so on a long report this check is far cheaper than the search)
_STILL_TRYING_WORDS = ("delay", "try", "retri", "warning message", "resend", "incomplete",
                       "only a warning", "given up",
                       "queue id-", "kbytes in", "soft reject", "soft-reject", "scanned",
                       "released", "reviewed", "delivered automatically", "not yet", "still ",
                       "delivered yet", "sent yet",
                       "gone through yet", "gone out yet", "deferr", "tried again", "attempted again",
                       " in the queue", " in queue", "queued",
                       "versucht", "verzögert", "verzoegert", "essayer", "intentando",
                       "tentar", "provare", "await", "held", "hold", "waiting")
#: the same for STILL_TRYING_MORE
_MORE_WORDS = ("apenas um aviso", "advertencia", "solo un avviso", "reenviad", "reinviat",
               "reenviar",
               "essaier", "tentative", "erneut", "reintent", "intentar", "novamente", "de novo",
               "riprover", "opnieuw", "ponownie", "ponawia", "znovu", "upozorn", "ostrzeżen", "ostrzezen",
               "jeszcze", "dalej pr",
               "повтор", "再試行", "重试",
               "다시 시도", "まだ配信", "届いていません", "再送", "继续尝试", "繼續嘗試",
               "重新嘗試", "重新尝试", "まだ配送", "警告のみ", "引き続き試行",
               "thử lại", "thu lai",
               "mencoba lagi", "tekrar denen", "denemeye devam", "ponovno", "turpin", "қайта", "újra", "ujra",
               "din nou", "προσπαθ", "שוב", "تلاش", "دوبارہ", "আবার", "மீண்டும்", "tutajaribu",
               "ker igen", "ver igen", "ver igjen", "uudelleen", "tornarem", "berriro",
               "cuba semula", "susubukan", "noch nicht", "pas encore", "todavía no", "todavia no",
               "continuent", "toujours pas", "non encore", "fortgesetzt", "continúan", "continuan",
               "continuam", "continuano",
               "aún no", "aun no", "retrasado", "intentándo", "intentando", "ainda n", "ancora",
               "nog niet", "opnieuw", "ännu inte", "annu inte", "endnu ikke", "ennå ikke",
               "enna ikke", "jeszcze nie", "dosud", "zatím", "zatim", "не доставлен", "尚未",
               "아직")


def _any_in(lowered: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` occurs in `lowered` (a literal pre-check before a regex
    without a literal prefix)."""
    return any(word in lowered for word in words)


def _may_still_try(head: str) -> bool:
    """The pre-check mark_delays makes before STILL_TRYING (tests hold the two together)."""
    return _any_in(head.lower(), _STILL_TRYING_WORDS)


_LOG_DSN_TEMPORARY = lazy(r"\bdsn=4\.\d{1,3}\.\d{1,3}\b")


def _log_retries(lowered: str) -> bool:
    """Whether a mail log's lines (lower-cased) give a temporary status of their own
    ("dsn=4.7.0") and never a permanent one: the MTA retries, whatever reply it quotes."""
    return "dsn=5." not in lowered and _LOG_DSN_TEMPORARY.search(lowered) is not None


def _logged_delay(finding: Finding, logged: list[str]) -> Finding:
    """`finding` as a delay when a mail log says its recipient stays queued: the log's
    last line for the address says "status=deferred" (whatever other recipients' lines
    say), or, with no such line, the finding's own words do and its codes are temporary
    or the log's own status is ("dsn=4.7.0"); as delivered when every line for it says
    "status=sent". `logged` is the log's lines with a status, lower-cased."""
    if finding.action is not Action.FAILED:
        return finding
    words = (finding.diagnostic or "")[:4000].lower()
    said = _log_outcomes(logged, finding.address)
    last = said[-1] if said else None
    if said and set(said) == {"sent"} and not NOT_KEPT.search(words):
        # every line of the log for this recipient says it went through (and nothing
        # that it was then discarded): another recipient's words ran into its entry
        return finding.with_changes(action=Action.DELIVERED)
    if last == "deferred" or (last is None and "status=deferred" in words and (
            not _permanent(finding) or _log_retries(words))):
        return finding.with_changes(action=Action.DELAYED)
    return finding


_LOG_OUTCOME = lazy(r"\bstatus=(\w{1,20})")


#: accepted, then not delivered after all: "250 Spam detected; discarded", "250 quarantined"
NOT_KEPT = lazy(r"(?i)discard|quarantin|\bdropped\b|\bdeleted\b|silently|black ?hole")


def _log_outcomes(logged: list[str], address: str | None) -> list[str]:
    """The status words of the log lines (`logged`) for `address`, in order ("deferred",
    then "bounced"); none when no line names it."""
    if not address or not logged:
        return []
    wanted = address.lower()
    return [found.group(1) for line in logged if wanted in line
            for found in [_LOG_OUTCOME.search(line)] if found]


def _permanent(finding: Finding) -> bool:
    return (finding.status or "").startswith("5") or (finding.reply_code or "").startswith("5")


def _transient(finding: Finding) -> bool:
    codes = [c for c in (finding.status, finding.reply_code) if c]
    return bool(codes) and all(c.startswith("4") for c in codes)
