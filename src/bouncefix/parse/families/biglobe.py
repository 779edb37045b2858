"""BIGLOBE (and the cable ISPs on its mail system): ``From: postmaster@biglobe.ne.jp``,
``Subject: Returned mail: ...``, a text part with two dashed headings, the failed addresses
one per line under the first and the system's explanation under the second::

       ----- The following addresses had delivery problems -----
    jane@example.org

       ----- Non-delivered information -----
    The number of messages in recipient's mailbox exceeded the local limit.

The explanation is the system's own sentence: no reply code, no status.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Finding
from .. import codes, text

NAME = "biglobe"

_ADDRESSES = lazy(r"(?m)^[ \t]*-{3,8} ?The following addresses had delivery problems ?-{3,8}")
_INFO = lazy(r"(?m)^[ \t]*-{3,8} ?Non-delivered information ?-{3,8}[ \t]*$")
_FROM = lazy(
    r"(?i)\bpostmaster@(?:[a-z0-9-]{1,63}\.){0,4}(?:biglobe|inacatv|tmtv|ttv)\.ne\.jp")
_ADDRESS_LINE = lazy(r"^[ \t]*<?([^<>\s@]{1,64}@[^<>\s@]{1,255})>?[ \t]*$")


def matches(mail: Mail) -> bool:
    """Both dashed headings, from a BIGLOBE postmaster or with a 'Returned mail' subject."""
    if not mail.has_headers:
        return False
    body = mail.text[:20000]
    if not (_ADDRESSES.search(body) and _INFO.search(body)):
        return False
    return bool(_FROM.search(mail.sender)) or mail.subject.startswith("Returned mail:")


def parse(mail: Mail) -> list[Finding]:
    """The addresses under the first heading, each with the explanation under the second."""
    body = mail.text[:200000]
    start = _ADDRESSES.search(body)
    info = _INFO.search(body)
    if not start or not info or info.start() < start.end():
        return []
    addresses = []
    for line in body[start.end(): info.start()].split("\n")[:1000]:
        match = _ADDRESS_LINE.match(line)
        address = codes.clean_address(match.group(1)) if match else None
        if address:
            addresses.append(address)
    explanation = _explanation(body[info.end():])
    return [text.finding_from_words(explanation, address, NAME)
            for address in text.unique(addresses)]


def _explanation(rest: str) -> str:
    """The lines under 'Non-delivered information', up to a blank line or a boundary."""
    taken: list[str] = []
    for line in rest.lstrip("\n").split("\n")[:40]:
        if not line.strip() or line.startswith("--"):
            break
        taken.append(line.strip())
    return codes.unwrap_reply("\n".join(taken))
