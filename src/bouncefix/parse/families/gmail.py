"""Gmail and Google Workspace (mailer-daemon@googlemail.com). The classic report lists
the recipients, then Google's own summary and the remote server's reply::

    Delivery to the following recipient failed permanently:
         jane@example.org
    Technical details of permanent failure:
    Google tried to deliver your message, but it was rejected by the server for the
    recipient domain example.org by mx.example.org. [192.0.2.25].
    The error that the other server returned was:
    550 5.1.1 <jane@example.org>... User Unknown

The current report has a headline, a sentence per recipient and an RFC 3464 part::

    ** Address not found **
    Your message wasn't delivered to jane@example.org because the address couldn't be found.
    The response from the remote server was:
    550 5.1.1 The email account that you tried to reach does not exist. ... - gsmtp
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding, Reason
from .. import codes, dsn, text

NAME = "gmail"

_FROM = lazy(r"(?i)mailer-daemon@(?:googlemail|google|gmail)\.com")
_CLASSIC = lazy(
    r"(?im)^[ \t]*Delivery to the following recipients?[ \t]+"
    r"(failed permanently|has been delayed|failed temporarily|failed)[^\n]{0,40}$"
)
_STRONG = lazy(
    r"(?i)Technical details of (?:permanent|temporary) failure:"
    r"|Google tried to deliver your message"
)
_HEADLINE = lazy(r"(?m)^[ \t]*\*\*[ \t]?([A-Za-z][^*\n]{2,60}?)[ \t]?\*\*[ \t]*$")
_DETAILS = lazy(r"(?i)Technical details of (permanent|temporary) failure:[ \t]*")
_OTHER_SERVER = lazy(r"(?i)The error that the other server returned was:[ \t]*")
_RESPONSE = lazy(r"(?i)The response (?:from the remote server )?was:[ \t]*")
_LISTED = lazy(r"(?m)^[ \t]{1,40}([^\s@]{1,128}@[^\s@]{1,255})[ \t]*$")
# Your message wasn't delivered to jane@example.org because the address couldn't be found
# (under "** Message blocked **": "Your message to jane@example.org has been blocked.")
_SENTENCE = lazy(
    r"(?i)(?:wasn't|was not) delivered to[ \t]+([^\s@]{1,128}@[^\s,@]{1,255})[^\n]{0,400}"
    r"|problem delivering your message to[ \t]+([^\s@]{1,128}@[^\s,@]{1,255})[^\n]{0,400}"
    r"|your message to[ \t]+([^\s@]{1,128}@[^\s,@]{1,255}?)[ \t]+has been blocked\b[^\n]{0,400}"
)
# ... rejected by the server for the recipient domain example.org by mx.example.org. [192.0.2.25].
_REMOTE = lazy(
    r"(?i)for the recipient domain \S{1,255} by ([A-Za-z0-9][A-Za-z0-9.-]{0,254}?)\.?[ \t]+\["
)
# 550 550 5.7.1 <jane@example.org>... Access denied (state 13).
_STATE = lazy(r"\(state (\d{1,2})\)")
_STATE_COMMAND = {"6": "MAIL", "8": "AUTH", "9": "AUTH", "12": "AUTH", "13": "EHLO",
                  "14": "RCPT", "15": "DATA", "16": "DATA", "17": "DATA", "18": "DATA"}
# Remote-MTA: dns; aspmx.l.google.com. (198.51.100.26, the server for the domain example.org.)
_DSN_HOST = lazy(r"\A([A-Za-z0-9][A-Za-z0-9.-]{0,254}?)\.?(?:[ \t]|\Z)")
_TEMPORARY = lazy(r"(?i)\*\*[ \t]?Delivery incomplete|temporary problem delivering")


def matches(mail: Mail) -> bool:
    """Google's mailer-daemon with one of its report layouts, or its fixed sentences."""
    report = text.report_part(mail.text)[:20000]
    if _STRONG.search(report):
        return True
    if not mail.has_headers or not _FROM.search(mail.sender):
        return False
    return bool(_CLASSIC.search(report) or _HEADLINE.search(report))


def parse(mail: Mail) -> list[Finding]:
    """The classic layout when its headline is there, else the current one."""
    report = text.report_part(mail.text)[:200000]
    classic = _CLASSIC.search(report)
    if classic:
        return _classic(report, classic)
    return _current(mail, report)


def _classic(report: str, headline: re.Match[str]) -> list[Finding]:
    details = _DETAILS.search(report, headline.end())
    listing = report[headline.end(): details.start() if details else len(report)]
    addresses = text.unique(codes.clean_address(m.group(1)) for m in _LISTED.finditer(listing))
    kind = headline.group(1).lower()
    delayed = "delayed" in kind or "temporar" in kind
    if details:
        words = _classic_words(report[details.end():])
        delayed = delayed or details.group(1).lower() == "temporary"
    else:
        words = headline.group(0).strip().rstrip(":")
    # "Delivery to the following recipient has been delayed:" and no details at all
    hint = Reason.EXPIRED if delayed and not details else None
    remote = _REMOTE.search(report)
    state = _STATE.search(words)
    findings = []
    for address in addresses:
        found = text.finding_from_words(
            words, address, NAME, remote_mta=remote.group(1) if remote else None,
            action=Action.DELAYED if delayed else Action.FAILED, reason_hint=hint)
        if found.smtp_command is None and state:
            found = found.with_changes(smtp_command=_STATE_COMMAND.get(state.group(1)))
        findings.append(found)
    return findings


def _classic_words(details: str) -> str:
    """The remote server's reply when Google quotes it, else Google's own summary."""
    quoted = _OTHER_SERVER.search(details)
    if quoted:
        tail = details[quoted.end():].lstrip("\n")
        return codes.unwrap_reply(tail.split("\n\n", 1)[0])
    return codes.unwrap_reply(details.strip().split("\n\n", 1)[0][:4000])


def _current(mail: Mail, report: str) -> list[Finding]:
    headline = _HEADLINE.search(report)
    if headline is None:
        return []
    standard = {f.address.lower(): f for f in dsn.parse(mail) if f.address}
    sentences: dict[str, tuple[str, str]] = {}
    for match in _SENTENCE.finditer(report):
        address = codes.clean_address(match.group(1) or match.group(2) or match.group(3))
        if address:
            sentences.setdefault(address.lower(), (address, match.group(0).strip()))
    addresses = [f.address for f in standard.values() if f.address] or [
        a for a, _ in sentences.values()]
    if not addresses:
        addresses = codes.find_addresses(mail.header("X-Failed-Recipients"))
    response = _RESPONSE.search(report)
    words = codes.unwrap_reply(report[response.end():][:4000]) if response else ""
    temporary = _TEMPORARY.search(report) is not None
    findings = []
    for address in text.unique(addresses):
        said = words if len(addresses) == 1 else ""
        other = standard.get(address.lower())
        # the notice's words in English, else its status part ("Action: delayed" under a
        # notice in French or Japanese)
        action = Action.DELAYED if temporary or (
            other is not None and other.action is Action.DELAYED) else Action.FAILED
        if not said and (other is None or not other.diagnostic):
            said = sentences.get(address.lower(), ("", headline.group(1)))[1]
        host = _DSN_HOST.match(other.remote_mta or "") if other else None
        remote = host.group(1) if host else None
        if said:
            findings.append(text.finding_from_words(said, address, NAME, action=action,
                                                    remote_mta=remote))
        else:
            findings.append(Finding(address=address, action=action, remote_mta=remote,
                                    parser=NAME))
    return findings
