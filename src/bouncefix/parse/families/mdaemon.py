"""MDaemon (Alt-N / MDaemon Technologies; also its SecurityGateway): ``From: MDaemon@``,
``X-MDDSN-Message: Yes``, a fixed notice, then the SMTP session transcript with ``-->`` for
what MDaemon sent and ``<--`` for what the server answered::

    MDaemon Delivery Status Notification - https://www.mdaemon.com
    The attached message had PERMANENT fatal delivery errors.
    YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS

    --- Session Transcript ---
     Mon 2024-03-04 10:00:01: *  To: jane@example.org
     Mon 2024-03-04 10:00:02: --> RCPT To:<jane@example.org>
     Mon 2024-03-04 10:00:02: <-- 550 5.1.1 <jane@example.org>: User unknown
    --- End Transcript ---

Without a server reply the last transcript line says what went wrong ("*  Name server
reports domain name unknown"). Local failures are one line: "jane@example.org - no such
user here.".
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding
from .. import codes, text

NAME = "mdaemon"

_NOTICE = lazy(
    r"(?i)The attached message (?:has )?had (PERMANENT|TRANSIENT|TEMPORARY)[a-z ]{0,20} delivery errors"
    r"|MDaemon Delivery Status Notification"
)
# "--- Session Transcript ---", or as a heading: "Session transcript:" (over a rule)
_START = lazy(r"(?im)^[ \t]*(?:-{2,80}[ \t]*Session Transcript[ \t]*-{2,80}"
              r"|Session Transcript[ \t]*:?)[ \t]*$")
_STOP = lazy(r"(?im)^[ \t]*-{2,80}[ \t]*End (?:of Session )?Transcript[ \t]*-{2,80}")
# " Wed 2024-03-04 10:00:02: <-- 550 ..."  (the timestamp is optional, and may have
# milliseconds: "10:00:02.348:")
_LINE = lazy(r"^[ \t]*(?:[A-Za-z]{3} [\d-]{8,10} [\d:]{5,8}(?:[.,]\d{1,6})?:[ \t]*)?(.{0,2000})$")
_TO = lazy(r"(?i)^\*[ \t]+To:[ \t]*(.{1,500})$")
# "*  Subject: ..." echoes the message; "Parsing message <...>" names the queue file
_ECHO = lazy(r"^(?:\*[ \t]+[A-Za-z -]{1,30}:|Parsing message\b)")
_CONNECT = lazy(r"^Attempting SMTP connection to \[([^\]\s:]{1,255})")
_FAILED = lazy(r"(?im)^[ \t]*Failed address:[ \t]*(\S{1,320})")
_LOCAL = lazy(r"(?im)^[ \t]*<?([^\s<>@]{1,64}@[^\s<>@]{1,255}?)>? - (no such user here\.?)")


def matches(mail: Mail) -> bool:
    """MDaemon's own DSN header, or its notice with the session transcript."""
    report = mail.text[:20000]
    if mail.header("X-MDDSN-Message").strip().lower() == "yes" and (
            _START.search(report) or _LOCAL.search(report)):
        return True
    return bool(_NOTICE.search(report)) and bool(_START.search(report))


def parse(mail: Mail) -> list[Finding]:
    """The recipients of the transcript with the server reply that refused them."""
    report = mail.text[:200000]
    action = Action.FAILED
    notice = _NOTICE.search(report[:20000])
    if notice and notice.group(1) and notice.group(1).upper() != "PERMANENT":
        action = Action.DELAYED
    start = _START.search(report)
    if not start:
        return [
            text.finding_from_words(m.group(2), codes.clean_address(m.group(1)), NAME)
            for m in _LOCAL.finditer(report[:20000]) if codes.clean_address(m.group(1))
        ][:1000]
    stop = _STOP.search(report, start.end())
    lines = [_content(line) for line in report[start.end(): stop.start() if stop else None]
             .split("\n")[:5000]]
    findings = _transcript(lines, report[: start.start()])
    return [f.with_changes(action=action) for f in findings]


def _content(line: str) -> str:
    match = _LINE.match(line)
    return (match.group(1) if match else line).strip()


def _transcript(lines: list[str], notice: str) -> list[Finding]:
    """Walk the session: each recipient a 4xx/5xx answer to RCPT refused, and the first
    refusal of anything else (the message, the connection) for the recipients left."""
    listed = [a for m in map(_TO.match, lines) if m for a in codes.find_addresses(m.group(1))]
    listed += [m.group(1) for m in _FAILED.finditer(notice)]
    command: str | None = None
    rcpt: str | None = None
    remote: str | None = None
    accepted: list[str] = []  # the recipients the server took (250 to RCPT) so far
    refused: list[Finding] = []  # the recipients refused at RCPT so far
    for index, line in enumerate(lines):
        connect = _CONNECT.match(line)
        if connect:
            remote = connect.group(1)
        elif line.startswith("-->"):
            sent = line[3:].strip()
            command = sent.split(" ", 1)[0].split(":", 1)[0].upper() or None
            if command == "RCPT":
                rcpt = next(iter(codes.find_addresses(sent)), None)
        elif line.startswith("<--") and line[3:].strip()[:1] == "2":
            if command == "RCPT" and rcpt:
                accepted.append(rcpt)
        elif line.startswith("<--") and line[3:].strip()[:1] in ("4", "5"):
            reply = [line[3:].strip()]
            reply += [f[3:].strip() for f in _following_replies(lines, index)]
            words = codes.unwrap_reply("\n".join(reply))
            # a refusal of the message (after DATA) concerns every recipient the session
            # had accepted, when the notice lists none
            name = codes.find_command(f"after {command}") if command else "CONNECT"
            if command == "RCPT" and rcpt:
                refused.append(text.finding_from_words(
                    words, codes.clean_address(rcpt), NAME).with_changes(
                    smtp_command=name, remote_mta=remote))
                rcpt = None
                continue
            done = {f.address.lower() for f in refused if f.address}
            whom = [a for a in listed or accepted if a.lower() not in done]
            return refused + [
                text.finding_from_words(words, address, NAME).with_changes(
                    smtp_command=name, remote_mta=remote)
                for address in text.unique(codes.clean_address(a) for a in whom)
            ]
    if refused:
        return refused
    # no refusal in the session: MDaemon's last remark is the reason
    remarks = [line.lstrip("* ").strip() for line in lines
               if line and not _ECHO.match(line) and not line.startswith(("-->", "<--"))]
    words = remarks[-1] if remarks else ""
    return [text.finding_from_words(words, a, NAME) for a in text.unique(
        codes.clean_address(a) for a in listed)]


def _following_replies(lines: list[str], index: int) -> list[str]:
    taken = []
    for line in lines[index + 1 : index + 20]:
        if not line.startswith("<--"):
            break
        taken.append(line)
    return taken
