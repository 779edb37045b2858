"""Verizon Wireless gateways (post_master@vtext.com, sysadmin@...vzwpix.com): a short
error, the remote reply, and the envelope of the returned message as indented fields::

    Error: Invalid user address

    Error message below:
    550 - Requested action not taken: no such user here

    Message details:
      Subject: Test message
      MAIL FROM: jane@example.org
      RCPT TO: 5555550100@vtext.com

The MMS gateway writes "Error: No valid recipients ..." and quotes the "Original
Message:" headers instead. Its MIME structure is often broken (a boundary parameter on an
unfolded line), so unparsed multipart bodies are read as text too.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail, part_text
from ...model import Finding
from .. import codes, text

NAME = "verizon"

_SENDER = lazy(r"(?i)post_master@vtext\.com|sysadmin@[a-z0-9.-]{0,80}vzwpix\.com")
_ERROR = lazy(r"(?m)^[ \t]*Error:[ \t]*([^\n]{1,500})$")
_BELOW = lazy(
    r"(?im)^[ \t]*Error message below:[ \t]*\n((?:[ \t]*\S[^\n]{0,1000}(?:\n|\Z)){1,10})")
_RCPT = lazy(r"(?im)^[ \t]*RCPT TO:[ \t]*<?([^\s<>@]{1,128}@[^\s<>@]{1,255})>?[ \t]*$")
_ORIGINAL = lazy(r"(?im)^[ \t]*Original Message:[ \t]*$")
_TO = lazy(r"(?im)^[ \t]*To:[ \t]*([^\n]{1,1000})$")


def matches(mail: Mail) -> bool:
    """Verizon's gateway sender and an "Error:" line."""
    if not mail.has_headers or not _SENDER.search(mail.sender):
        return False
    return bool(_ERROR.search(_body(mail)[:20000]))


def parse(mail: Mail) -> list[Finding]:
    """One finding for the envelope recipient named in the report."""
    body = _body(mail)[:200000]
    error = _ERROR.search(body)
    if error is None:
        return []
    addresses = [m.group(1) for m in _RCPT.finditer(body)]
    original = _ORIGINAL.search(body)
    if not addresses and original:
        to = _TO.search(body, original.end())
        addresses = codes.find_addresses(to.group(1)) if to else []
    below = _BELOW.search(body)
    words = codes.unwrap_reply(below.group(1)) if below else error.group(1).strip()
    return [text.finding_from_words(words, a, NAME)
            for a in text.unique(codes.clean_address(a) for a in addresses)]


def _body(mail: Mail) -> str:
    """The decoded text, or the raw bodies of multipart parts that failed to parse."""
    if mail.text.strip():
        return mail.text
    loose = [part_text(p) for p in mail.parts()
             if p.get_content_maintype() == "multipart" and not p.is_multipart()]
    return "\n".join(loose).replace("\r\n", "\n").replace("\r", "\n")
