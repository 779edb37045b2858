"""Notices of mailing-list and newsletter software about MEMBERS whose mail bounces
(Mailman 2 and 3, Sympa, LISTSERV, phpList, Google Groups, Groups.io): the list has
disabled or removed a member after too many bounces, or warns its owner or the member
that mail to the member keeps bouncing::

    Subject: Bounce action notification

        Member:     ann@example.net
        Action:     Subscription removed.
        Reason:     Excessive or fatal bounces.

    Subscriber 4412 (bo@example.com) has 3 consecutive bounces, over the threshold of 3

    Member: cy@example.org
    Error returned by the member's mail server:
      550 5.7.1 ... has a policy that prohibited the mail that you sent.

The failed recipients are the members, never the list's own addresses (its domain,
``-owner``, ``-request``). Where the notice quotes a member's server (the last bounce,
a bounce history, "Error returned ..."), that reply is the evidence and the rules
judge it; where it only says the list stopped mailing the member, that is the
answer (``suppressed``: nobody tried; the cause of the earlier bounces is not known,
so nothing says the address is bad). A notice with a delivery-status part is a
bounce and goes to the DSN reader, and so does a bounce the notice attaches.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail
from ..model import Action, Finding, Reason
from . import codes, generic, text

NAME = "listmembers"

# the list counts a member's bounces ("excessive or fatal bounces", "bounce score",
# "3 consecutive bounces", "has been bouncing", "marked as Bounced")
_BOUNCING = lazy(
    r"(?i)\b(?:excessive|too many|repeated|consecutive|fatal|multiple|continued|persistent"
    r"|several)\b[^.\n]{0,40}?\bbounc(?:es|ed)\b|\bbounce (?:score|threshold|probes?|history|count)\b"
    r"|\bbouncing (?:subscribers|members|addresses|status)\b|\b(?:has|have) been bouncing\b"
    # "mail to that address kept bouncing", "bounced again and again"
    r"|\b(?:kept|keeps|keep|continued to|continues to) bounc(?:ing|e)\b"
    r"|\bbounced (?:repeatedly|again and again|too often|over and over)\b"
    r"|\b(?:is|are) (?:now )?(?:marked|flagged|listed) as [\"'\u201c]?bounc(?:ing|ed)\b"
    r"|\bmarked as bounc(?:ing|ed)\b|\bdelivery problems for members\b"
    r"|\b(?:to|for) (?:some of )?its members\b[^.]{0,40}?\bcould not be delivered\b"
)
# the notice is about a list's members, not about the reader's own post
_MEMBERSHIP = lazy(
    r"(?i)\b(?:members?(?:hip)?|subscri(?:ber|ption)s?|mailing[- ]list|list|group|newsletter"
    r"|readers?|audience|contacts?)\b|\bunsubscrib")
# the list has stopped mailing the member
_STOPPED = lazy(
    r"(?i)\b(?:removed|deleted|unsubscribed|disabled|suspended|deactivated|paused"
    r"|(?:switched|turned) off|stopped"
    r"|marked (?:as )?(?:unconfirmed|inactive|bounced)|set to no-?mail"
    r"|(?:will )?(?:no longer|not) receive (?:any )?(?:more )?(?:messages|mail|e-?mails?|posts)"
    r"|receive no (?:more )?(?:messages|mail|e-?mails?|posts))\b"
)
_LABELLED = lazy(
    r"(?im)^[ \t>]*(?:member|subscriber|address|e-?mail|recipient)s?[ \t]*:[ \t]*"
    r"(?:[^\n<@]{0,80}<)?([^\s<>@]{1,64}@[^\s<>]{1,255})"
)
_YOURS = lazy(r"(?i)\byour (?:membership|subscription|(?:e-?mail )?address|account)\b")
_URL = lazy(r"(?i)\b(?:https?|mailto):[^\s<>\"]{1,2000}")
_HEAD = 3000


def matches(mail: Mail) -> bool:
    """Without a delivery-status part and not from a mailer daemon, the notice counts a
    list member's bounces in its subject or first paragraphs."""
    if not mail.has_headers or mail.delivery_status:
        return False
    if generic.daemon_sender(mail):
        return False
    head = f"{mail.subject}\n{text.report_part(mail.text)[:_HEAD]}"
    return bool(_BOUNCING.search(head) and _MEMBERSHIP.search(head)
                and not any(_is_bounce(inner) for inner in mail.attached_messages()))


def _is_bounce(mail: Mail) -> bool:
    """An attached report (the bounce that triggered the notice) says more than the
    notice: it is read instead."""
    sender = codes.find_addresses(mail.sender)
    return bool(mail.delivery_status or (sender and text.is_system_address(sender[0]))
                or text.REPORT_SUBJECT.search(mail.subject))


def parse(mail: Mail) -> list[Finding]:
    """One finding per member the notice names, with the server reply quoted for that
    member or else the notice's own words."""
    report = text.report_part(mail.text)[:50000]
    visible = _URL.sub(" ", report)
    members = _members(mail, visible)
    if not members:
        return [_finding(mail, visible, None)]
    spans = sorted((visible.lower().find(address.lower()), address) for address in members)
    findings = []
    for index, (start, address) in enumerate(spans):
        # (a member named only in the To: header, "your membership", has no block)
        end = spans[index + 1][0] if index + 1 < len(spans) else len(visible)
        block = visible[start:end] if 0 <= start < end else ""
        findings.append(_finding(mail, visible, address, block))
    return findings


def _finding(mail: Mail, report: str, address: str | None, block: str = "") -> Finding:
    """A member's reply, from their own block of the notice or else the whole notice
    (one quoted reply for one member); else the sentence that says the list stopped."""
    reply = (_reply(block) or (_reply(report) if len(codes.find_addresses(report)) <= 3 else None)
             or _quoted_failure(block, address))
    if not reply and address:
        # a table of members, each row with the status of the member's last bounce
        # ("ann@example.org   100   2024-04-30   5.1.1")
        row = " ".join(block.splitlines()[0].split()) if block else ""
        status = codes.find_status(row)
        reply = row if status and status[0] in "45" else None
    if reply:
        found = text.finding_from_words(reply, address, NAME)
        temporary = (found.reply_code or found.status or "5").startswith("4")
        return found._replace(action=Action.DELAYED if temporary else Action.FAILED)
    head = f"{mail.subject}\n{report[:_HEAD]}"
    own = [line for line in block.splitlines()[:1]
           if _BOUNCING.search(line) or _STOPPED.search(line)]
    sentences = own or [s.strip() for s in head.replace("\n", " ").split(". ")
                        if _BOUNCING.search(s) or _STOPPED.search(s) or "reason" in s.lower()]
    words = " ".join(" ".join(sentences[:4]).split())[:1000] or mail.subject or None
    stopped = bool(_STOPPED.search(head))
    return Finding(address=address, action=Action.FAILED, diagnostic=words,
                   reason_hint=Reason.SUPPRESSED if stopped else None, parser=NAME)


def _quoted_failure(block: str, address: str | None) -> str | None:
    """A bounce pasted into the notice without a code: the later paragraph that names the
    member and says what failed ("<ann@...>: Host or domain name not found ...")."""
    if not address:
        return None
    for paragraph in text.paragraphs(block)[1:12]:
        if address.lower() in paragraph.lower() and text.has_evidence(paragraph):
            return " ".join(paragraph.split())[:1000]
    return None


def _reply(block: str) -> str | None:
    """The first line of `block` that quotes a server's failure reply, with its
    continuation lines (a reply wrapped over several indented lines)."""
    lines = block.splitlines()
    for index, line in enumerate(lines):
        coded = codes.reply_codes(line)
        if not coded or coded[0][1][0] not in "45":
            continue
        words = [line[coded[0][0]:]]
        for more in lines[index + 1:index + 8]:
            if not more.strip() or codes.reply_codes(more) or not more[:1].isspace():
                break
            words.append(more)
        return " ".join(" ".join(words).split())
    return None


def _members(mail: Mail, report: str) -> list[str]:
    """The members the notice is about: labelled ("Member: ann@..."), else any address
    that is not the list's own (the list server's domains, -owner and -request
    addresses), else the reader of a notice about "your membership"."""
    own_domains = {a.rsplit("@", 1)[1].lower() for a in codes.find_addresses(mail.sender)}
    for address in codes.find_addresses(report) + codes.find_addresses(mail.subject):
        if text.is_list_or_role_address(address) or text.is_system_address(address):
            own_domains.add(address.rsplit("@", 1)[1].lower())
    labelled = [codes.clean_address(m.group(1)) for m in _LABELLED.finditer(report)]
    found = text.unique(a for a in labelled if a and not text.is_list_or_role_address(a))
    if found:
        return found
    everywhere = f"{mail.subject}\n{report}"
    # (not the list the member was taken off: "has been unsubscribed from news@lists...")
    lists = {m.group(0).lower() for m in codes.ADDRESS.finditer(everywhere)
             if generic.names_a_list(everywhere, m.start())}
    named = [a for a in codes.find_addresses(everywhere)
             if a.rsplit("@", 1)[1].lower() not in own_domains and a.lower() not in lists]
    if named:
        return text.unique(named)
    if _YOURS.search(report):
        return [a for a in codes.find_addresses(mail.header("To"))
                if not text.is_list_or_role_address(a)][:1]
    return []
