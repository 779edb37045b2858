"""Notices of mailing-list software about the sender's own post (Mailman 2 and 3, Sympa,
LISTSERV, Majordomo, mlmmj): the list refused the post (the sender is not a member,
posting is closed, the post is too big) or holds it for a moderator. They come from
the list's own addresses (``team-owner@``, ``team-bounces@``, ``team-request@``) or the
list server's (``mailman@``, ``sympa@``, ``listserv@``), and speak of "your message
to" the list::

    From: chess-owner@lists.example.org
    Subject: Your message to Chess was rejected

    Your message to the Chess mailing-list was rejected for the following reasons:
    Posting to this list is closed to you ...

The failed recipient is the list. A refusal is the list's own restriction (the rules
read its words: "not a member" is ``filtered``, "too big" ``mesgtoobig``); a held post
is not delivered yet, so it is a delay, never a reason to drop anyone. Such a notice
often carries ``Auto-Submitted: auto-replied``, but it is no out-of-office reply.
(Google Groups' refusals come from Google's mailer-daemon: families/googlegroups.py.)
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail
from ..model import Action, Finding, Reason
from . import codes, text

NAME = "listnotice"

_LIST_SENDER = lazy(
    r"(?i)(?:^|[<\s\"'(])(?:([\w.+-]{1,64}?)[-+](?:owner|bounces|request|admin)|owner-([\w.+-]{1,64})"
    r"|(mailman|sympa|listserv|majordomo|mlmmj))@([\w.-]{1,255})"
)
# a list that asks the poster to confirm each post: "HISTMED-L: confirm your posting"
_CONFIRM_POST = r"\bconfirm (?:your|this|each|every) (?:message|post(?:ing)?)\b"
# the notice is about the reader's own post to a list
_ABOUT_POST = lazy(
    r"(?i)\byour (?:message|post(?:ing)?|mail|submission|e-?mail|article|request)"
    r"(?: titled| entitled)?"
    r"[^.\n]{0,120}?\b(?:to|for)\b|\bmessage distribution\b"
    # "You are not allowed to post to this mailing list", "not authorized to send mail to
    # the SOILSCI-L list"
    r"|\b(?:post|posting|write|writing|send|sending|send mail|send e-?mail) to (?:this|the) "
    r"(?:[\w.+-]{1,64} )?(?:mailing[- ])?list\b"
    r"|" + _CONFIRM_POST +
    # "A moderator of the list declined to distribute your message titled ..."
    r"|\b(?:distribute|post|publish|forward|approve)\s(?:your|the)\s(?:message|post(?:ing)?|mail|e-?mail)\b"
    # "Your message (attached below) was not distributed"
    r"|\byour (?:message|post(?:ing)?|mail|e-?mail)\b[^.\n]{0,120}?\b(?:was|has|could)\s"
    r"(?:not|n.t)\s(?:been\s|be\s)?(?:distributed|posted)\b"
    # the same in other languages: "Votre message ... envoyé à la liste", "Ihre Nachricht an
    # die Liste", "Su mensaje a la lista", "Il tuo messaggio alla lista"
    r"|\b(?:votre|ton) (?:message|courriel|e-?mail)\b[^\n]{0,120}?\b(?:à|a|pour|sur) la liste\b"
    r"|\bihre? (?:nachricht|e-?mail|mail)\b[^\n]{0,120}?\ban die (?:\w{0,20}liste)\b"
    r"|\bsu (?:mensaje|correo)\b[^\n]{0,120}?\ba la lista\b"
    r"|\b(?:il )?(?:tuo|suo) messaggio\b[^\n]{0,120}?\balla lista\b"
)
_HELD = lazy(
    r"(?i)\b(?:held|put on hold|on hold|waiting|awaits?|pending|queued|kept|(?:put|set) aside)\b[^.\n]{0,60}?"
    r"\b(?:moderat|approv|review|look at)|\bmoderator(?:.s)? (?:approval|review)\b|"
    r"\brequires? (?:the )?(?:moderator.s )?approval\b|\bawaiting (?:moderation|approval)\b|"
    # "forwarded to the list moderators for approval", "submitted to moderation"
    r"\b(?:forwarded|sent|submitted|passed)\b[^.\n]{0,30}?\bmoderat(?:ors?|ion)\b"
    # waiting for the poster's own confirmation
    r"|" + _CONFIRM_POST
)
_REFUSED = lazy(
    # (a sentence may wrap anywhere: "could not be\nposted")
    r"(?i)\b(?:rejected|refused|turned away|declined|discarded|bounced|not\s(?:been\s)?"
    r"(?:posted|distributed|accepted|allowed|authori[sz]ed|permitted)|could\snot\sbe\s"
    r"(?:posted|distributed|delivered)|not\sa\smember|non-?member|closed\sto\syou"
    r"|will\snot\s(?:go\sout|be\s(?:sent|posted|distributed))"
    r"|(?:did|will)\snot\s(?:distribute|post)|(?:didn|won).t\s(?:distribute|post)"
    r"|rejet[ée]e?|refus[ée]e?|abgelehnt|zur[üu]ckgewiesen|rechazad[oa]|rifiutat[oa]"
    r"|recusad[oa]"
    # "n'a pas été diffusé", "wurde nicht verteilt", "no se ha distribuido", "non è stato
    # distribuito", "não foi distribuído"
    r"|pas\s(?:[ée]t[ée]\s)?diffus[ée]e?|nicht\s(?:\w{1,10}\s)?verteilt"
    r"|no\s(?:se\s)?(?:ha\s(?:sido\s)?)?distribuid[oa]|non\s(?:[èe]\s(?:stat[oa]\s)?)?distribuit[oa]"
    r"|n[ãa]o\sfoi\sdistribu[íi]d[oa])\b"
)
# the list's name: "for list choir-members", "to the Chess mailing-list", "Your message
# to 'Choir-news'" (in that order of trust)
_LIST_NAMES = (
    lazy(r"(?i)\b(?:to|for|on)(?: the)? (?:mailing[- ])?list ['\"\u2018\u201c]?"
         r"([A-Za-z0-9][\w.+-]{0,63})"),
    lazy(r"(?i)\b(?:to|for)(?: the)? ['\"\u2018\u201c]?([A-Za-z0-9][\w.+-]{0,63})"
         r"['\"\u2019\u201d]?[ \t]+(?:mailing[- ]list|list|group)\b"),
    lazy(r"(?i)\byour (?:message|post|mail)\w{0,3} (?:to|for) ['\"\u2018\u201c]"
         r"([A-Za-z0-9][\w.+-]{0,63})['\"\u2019\u201d]"),
    # the same in French, German, Spanish, Italian, Portuguese and Dutch notices: "la liste
    # « team »", "die Liste team", "la lista 'team'", "de lijst team"
    lazy(r"(?i)\b(?:liste|lista|lijst)[ \t]{1,3}['\"\u2018\u201c\u00ab]?[ \t\u00a0]?"
         r"([A-Za-z0-9][\w.+-]{0,63})"),
)
_NOT_NAMES = frozenset({"this", "that", "the", "a", "an", "your", "our", "its", "which",
                        "de", "des", "du", "di", "der", "van", "da", "do", "della", "del"})
_HEAD = 3000


# a forum's refusal of a post by mail (Discourse: "Message-ID: <email_reject/...>")
_FORUM_REJECT = lazy(r"(?i)<email_reject/")


def from_a_list(mail: Mail) -> bool:
    """Sent by a list's own address (``team-owner@``) or a list server's (``mailman@``)."""
    return bool(_LIST_SENDER.search(mail.sender))


def matches(mail: Mail) -> bool:
    """From a list's or a list server's address (or a forum's refusal), about the reader's
    own post, which it refused or holds; never a delivery report (a list server's DSN
    about a member, an MTA's report with X-Failed-Recipients)."""
    if not mail.has_headers or mail.delivery_status or mail.header("X-Failed-Recipients") or not (
            _LIST_SENDER.search(mail.sender)
            or _FORUM_REJECT.match(mail.header("Message-ID") or "")):
        return False
    head = f"{mail.subject}\n{text.report_part(mail.text)[:_HEAD]}"
    if not (_ABOUT_POST.search(head) and (_HELD.search(head) or _REFUSED.search(head))):
        return False
    # a post the list distributed is addressed to the list, a notice to the poster
    listed = _list_address(mail, head)
    return listed is None or listed not in {a.lower() for a in codes.find_addresses(
        mail.header("To"))}


def parse(mail: Mail) -> list[Finding]:
    """The list as the failed recipient, with the paragraph that says why."""
    report = text.report_part(mail.text)[:50000]
    head = f"{mail.subject}\n{report[:_HEAD]}"
    held = bool(_HELD.search(head))
    blocks = text.paragraphs(report)[:12]
    # the paragraphs that say what happened, and the one after each (the reason often
    # follows: "... was not distributed.\n\nIts size (14.8 MB) is over the maximum")
    saying = {i for i, b in enumerate(blocks)
              if _HELD.search(b) or _REFUSED.search(b) or "reason" in b.lower()}
    words = " ".join(b for i, b in enumerate(blocks) if i in saying or i - 1 in saying)
    if _REFUSED.search(mail.subject) and not held:
        # the subject may name the cause the body leaves out ("... rejected: too large")
        words = f"{mail.subject} {words}"
    return [Finding(
        address=_list_address(mail, head),
        action=Action.DELAYED if held else Action.FAILED,
        diagnostic=codes.unwrap_reply(" ".join(words.split()))[:1000] or mail.subject or None,
        reason_hint=Reason.FILTERED,
        parser=NAME,
    )]


# a returned post's trace and id lines, with their folded continuations ("Received: ...
# with SMTP id <0.A3F2@LISTS.EXAMPLE.ORG>"): message ids, not addresses
_TRACE_LINES = lazy(r"(?im)^(?:received|message-id|in-reply-to|references|return-path)[ \t]*:"
                    r"[^\n]*(?:\n[ \t]+[^\n]*)*")


def _list_address(mail: Mail, head: str) -> str | None:
    """The list's address: from the list's own sender address (``team-owner@`` is
    ``team@``; the notice may name other lists, "post questions to team-users@"), as the
    notice writes it, or the list's name at the list server's domain."""
    sender = _LIST_SENDER.search(mail.sender)
    own = codes.find_addresses(mail.sender)
    domain = (sender.group(4).lower() if sender
              else own[0].rpartition("@")[2].lower() if own else None)
    if sender and (sender.group(1) or sender.group(2)):
        return f"{sender.group(1) or sender.group(2)}@{domain}".lower()
    # (the notice's own words: a returned post quoted inline below them has Received and
    # Message-ID lines whose ids look like addresses at the list server)
    notice = text.returned_cut(head)
    named = [a for a in codes.find_addresses(_TRACE_LINES.sub("", notice))
             if domain and a.lower().endswith(f"@{domain}") and not _LIST_SENDER.search(f"<{a}")]
    if named:
        return named[0].lower()
    if domain is None:
        return None
    for pattern in _LIST_NAMES:
        for found in pattern.finditer(head):
            if found.group(1).lower() not in _NOT_NAMES:
                return f"{found.group(1)}@{domain}".lower()
    # the returned post itself was addressed to the list, quoted inline or attached
    addressed = [line for line in head[len(notice):].split("\n")
                 if line.lower().startswith(("to:", "cc:"))]
    addressed += [f"{inner.header('To')},{inner.header('Cc')}"
                  for inner in mail.attached_messages()[:3]]
    for address in codes.find_addresses(",".join(addressed)):
        if address.lower().endswith(f"@{domain}") and not _LIST_SENDER.search(f"<{address}"):
            return address.lower()
    return None
