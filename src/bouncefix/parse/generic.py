"""The fallback: any text that carries recipient addresses and SMTP codes or bounce words.

Used when no MTA-specific parser recognised the report, and for pasted fragments such as::

    550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown

or the friendly wording of webmail ("The recipient's email address doesn't exist").
"""

from __future__ import annotations

from bouncefix import recache

from ..mail import Mail
from ..model import Finding
from . import codes, text

NAME = "generic"
SIGNATURE: tuple[str, ...] = ()  # always asked


_BOUNCE_WORDS = recache.compile(
    r"(?i)(?:undeliver|undelivered|delivery (?:has )?failed|could not be delivered|"
    r"couldn'?t be delivered|wasn'?t delivered|not (?:be )?delivered|returned mail|"
    r"delivery status notification|failure notice|mail delivery|non[- ]?delivery|"
    r"permanent(?:ly)? (?:error|fatal|failure)|rejected|does ?n[o']t exist|no such user|"
    r"user unknown|unknown user|mailbox (?:is )?(?:full|unavailable|not found)|"
    r"over ?quota|address (?:rejected|not found)|unable to deliver|delivery to the following|"
    r"did not reach|could not reach|not reach the following)"
)
_BOUNCE_SUBJECT = recache.compile(
    r"(?i)^(?:undeliverable|undelivered mail|returned mail|mail delivery failed|"
    r"delivery status notification|failure notice|non[- ]?delivery|"
    r"delivery failure|mail system error|message not delivered)"
)
_HEADER_NAMES = recache.compile(
    r"(?im)^(?:from|to|cc|reply-to|return-path|sender|message-id|references|in-reply-to|"
    r"delivered-to|received|subject|x-[a-z0-9-]+|dkim-signature|authentication-results)"
    r"[ \t]*:.*$"
)


def matches(mail: Mail) -> bool:
    """Anything with a code or bounce wording in its report part."""
    report = text.report_part(mail.text)
    if _BOUNCE_SUBJECT.search(mail.subject.strip()):
        return True
    return bool(codes.find_status(report) or codes.find_reply_code(report)) or bool(
        _BOUNCE_WORDS.search(report[:20000])
    )


def parse(mail: Mail) -> list[Finding]:
    """Recipients named in the report, each with the server words around it."""
    report = text.report_part(mail.text)
    scrubbed = _HEADER_NAMES.sub("", report)
    own = _own_addresses(mail)
    candidates = [
        a
        for a in text.unique(
            [*_header_recipients(mail), *codes.find_addresses(scrubbed)]
        )
        if a.lower() not in own and not text.is_system_address(a)
    ]
    blocks = text.paragraphs(scrubbed)
    findings = []
    for address in candidates[:500]:
        words = _words_for(address, blocks, scrubbed)
        findings.append(text.finding_from_words(words, address, NAME))
    if findings:
        return _drop_wordless(findings)
    words = _best_block(blocks)
    if words and (codes.find_status(words) or codes.find_reply_code(words)
                  or _BOUNCE_WORDS.search(words)):
        return [text.finding_from_words(words, _single_original_recipient(mail), NAME)]
    return []


def bounce_words(words: str) -> bool:
    """Whether `words` use the language of delivery failures."""
    return bool(_BOUNCE_WORDS.search(words[:20000]))


def _own_addresses(mail: Mail) -> set[str]:
    """Addresses the bounce itself is from or to: never failed recipients."""
    own: set[str] = set()
    for name in ("From", "To", "Return-Path", "Reply-To", "Sender", "Delivered-To"):
        for value in mail.headers(name):
            own.update(a.lower() for a in codes.find_addresses(value))
    return own


def _header_recipients(mail: Mail) -> list[str]:
    values = mail.headers("X-Failed-Recipients")
    return [a for v in values for a in codes.find_addresses(v)]


def _single_original_recipient(mail: Mail) -> str | None:
    original = mail.original
    if original is None:
        return None
    found = codes.find_addresses(str(original.get("To", "")))
    return found[0] if len(found) == 1 else None


def _words_for(address: str, blocks: list[str], report: str) -> str:
    """The server's words about `address`: its own paragraph when that has a code or
    bounce words, else the nearest following paragraph that does."""
    lower = address.lower()
    for index, block in enumerate(blocks):
        if lower not in block.lower():
            continue
        if _has_code(block):
            return _focus(block, lower)
        if _has_evidence(block):
            # "Your message to x couldn't be delivered." and the why in the next paragraph
            following = [b for b in blocks[index + 1 : index + 3]
                         if _has_evidence(b) and not codes.find_addresses(b)]
            return " ".join([_focus(block, lower), *(codes.unwrap_reply(b) for b in following)])
        for follow in blocks[index + 1 : index + 3]:
            if _has_evidence(follow) and not codes.find_addresses(follow):
                return text.server_words(follow)
        return text.server_words(block)
    return _best_block(blocks)


def _focus(block: str, lower_address: str) -> str:
    """In a paragraph listing several recipients, the lines about this one."""
    lines = block.split("\n")
    for index, line in enumerate(lines):
        if lower_address in line.lower():
            piece = [line]
            for follow in lines[index + 1 : index + 8]:
                if codes.find_addresses(follow) and not follow.startswith((" ", "\t")):
                    break
                piece.append(follow)
            joined = "\n".join(piece)
            if _has_evidence(joined):
                return text.server_words(joined) if _has_code(joined) else codes.unwrap_reply(
                    joined
                )
    return text.server_words(block)


def _has_code(block: str) -> bool:
    return bool(codes.find_status(block) or codes.find_reply_code(block))


def _has_evidence(block: str) -> bool:
    return _has_code(block) or bool(_BOUNCE_WORDS.search(block))


def _best_block(blocks: list[str]) -> str:
    for block in blocks:
        if _has_code(block):
            return text.server_words(block)
    for block in blocks:
        if _BOUNCE_WORDS.search(block):
            return codes.unwrap_reply(block)
    return ""


def _drop_wordless(findings: list[Finding]) -> list[Finding]:
    """Keep recipients with some diagnostic; if none has one, keep them all."""
    kept = [f for f in findings if f.diagnostic]
    return kept or findings
