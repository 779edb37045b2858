"""Sendmail (V8 with an RFC 3464 part; V5 text only). Dashed lines divide the report; the
transcript quotes the server (``<<<``) after the command sent (``>>>``), then Sendmail's
own verdict per recipient::

       ----- The following addresses had permanent fatal errors -----
    <jane@example.org>
        (reason: 550 5.1.1 <jane@example.org>... User unknown)
       ----- Transcript of session follows -----
    ... while talking to mx.example.org.:
    >>> RCPT To:<jane@example.org>
    <<< 550 5.1.1 <jane@example.org>... User unknown
    550 5.1.1 <jane@example.org>... User unknown

The server's reply is the diagnostic; Sendmail's own line only when the server said
nothing (``<jane@example.org>... Deferred: Connection refused by mx.example.org.``).
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

from ...mail import Mail
from ...model import Action, Finding, Reason
from .. import codes, dsn, text

NAME = "sendmail"

_SECTION = lazy(r"(?m)^[ \t]*-{3,}[ \t]*([A-Za-z][A-Za-z ()-]{4,80}?)[ \t]*-{3,}[ \t]*$")
_FATAL = lazy(r"(?i)addresses had (permanent fatal|transient non-fatal) errors")
_TALKING = lazy(r"(?i)^(?:\.\.\.[ \t]+)?while talking to ([^\s:]{1,255}?)\.?:?$")
# 550 5.1.1 <jane@example.org>... User unknown  |  jane@example.org... Deferred: 452 ...
_VERDICT = lazy(
    r"^(?:[245]\d\d(?:[ \t]+[245]\.\d{1,3}\.\d{1,3})?[ \t]+)?"
    r"(?:<?([^\s<>]{1,320}?)>?|(\"[^\"\n]{1,320}\"))\.\.\.[ \t]*(.{0,2000})$"
)
_SUMMARY = lazy(r"(?i)Service unavailable|Data format error|Remote protocol error")
# the time in the queue: given up ("Message could not be delivered for 5 days") or still
# trying ("Warning: could not send message for past 4 hours", "message still undelivered
# after 4 hours")
_GAVE_UP = r"Message could not be delivered for"
_STILL_QUEUED = r"message still undelivered after|Warning: could not send message for past"
# the reason when the words name none
_EXPIRED = lazy(rf"(?i){_GAVE_UP}|{_STILL_QUEUED}")
# a warning while the queue keeps trying ("THIS IS A WARNING MESSAGE ONLY"), unless the
# report gave up or lists permanent fatal errors as well
_WARNING = lazy(rf"(?i){_STILL_QUEUED}|this is a warning message only")
_FINAL = lazy(rf"(?i){_GAVE_UP}|permanent fatal errors")


_COMMANDS = frozenset({"MAIL", "RCPT", "DATA", "EHLO", "HELO", "STARTTLS", "AUTH", "RSET"})


class _Block:
    """One server reply (``<<<`` lines), the command it answered and the host."""

    __slots__ = ("command", "host", "lines")

    def __init__(self, lines: list[str], command: str | None, host: str | None) -> None:
        self.lines, self.command, self.host = lines, command, host


class _Entry:
    """An address of the error list with its ``(reason: ...)``, ``(expanded from: ...)``."""

    __slots__ = ("expanded", "name", "reason")

    def __init__(self, name: str) -> None:
        self.name = name
        self.reason: str | None = None
        self.expanded: str | None = None


class _Transcript:
    """What the session transcript says, in the order it says it."""

    __slots__ = ("blocks", "notes", "output", "verdicts")

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        # (recipient as written, Sendmail's own words, index of the reply it answered)
        self.verdicts: list[tuple[str, str, int | None]] = []
        # Sendmail's own coded lines naming no one: "554 5.3.0 unknown mailer error 255"
        self.notes: list[str] = []
        # a local program's own words, uncoded: 'smrsh: "procmail" not available ...'
        self.output: list[str] = []


def matches(mail: Mail) -> bool:
    """The dashed section lines Sendmail writes."""
    report = mail.text[:30000]
    return any(
        _FATAL.search(m.group(1)) or m.group(1).lower().startswith("transcript of session")
        for m in _SECTION.finditer(report)
    )


def parse(mail: Mail) -> list[Finding]:
    """Recipients from the fatal-errors list (or the transcript), each with the server's
    reply that refused it."""
    sections = _sections(mail.text)
    listed = {entry.name: entry for entry in _listed(sections.get("errors", ""))}
    script = _transcript(sections.get("transcript", ""))
    names = list(listed) or text.unique(v[0] for v in script.verdicts)
    if not names:
        return []
    standard = dsn.parse(mail) if mail.delivery_status else []
    notice = f"{mail.subject}\n{mail.text[:30000]}"
    hint = Reason.EXPIRED if _EXPIRED.search(notice) else None
    warning = "non-fatal" in sections.get("kind", "") or (
        _WARNING.search(notice) is not None and not _FINAL.search(notice))
    default = Action.DELAYED if warning else Action.FAILED
    findings = []
    for name in names[:500]:
        entry = listed.get(name, _Entry(name))
        finding = _finding(name, entry.reason, script, len(names) == 1)
        lower = (finding.address or "").lower()
        other = next((f for f in standard if lower and (f.address or "").lower() == lower),
                     standard[0] if len(standard) == 1 and len(names) == 1 else None)
        address = (finding.address or (other.address if other else None)
                   or text.complete_local_part(name, mail.text))  # "jsmith... User unknown"
        original = codes.clean_address(entry.expanded)
        if address is None and original:
            # a program or file the address led to ("|/usr/bin/filter" expanded from
            # <jane@example.org>): the failed recipient is the address
            address, original = original, None
        findings.append(finding.with_changes(
            address=address, action=other.action if other else default, reason_hint=hint,
            original_recipient=original if original != address else None))
    return findings


def _sections(report: str) -> dict[str, str]:
    """The text of the error list and of the transcript, cut at the returned message."""
    out: dict[str, str] = {}
    marks = list(_SECTION.finditer(report[:200000]))
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(report)
        body = report[mark.end():end]
        title = mark.group(1).lower()
        if _FATAL.search(title) and "errors" not in out:
            out["errors"], out["kind"] = body, title
        elif title.startswith("transcript of session") and "transcript" not in out:
            out["transcript"] = body
    return out


def _listed(section: str) -> list[_Entry]:
    """``<jane@example.org>`` lines and the parenthesised lines under each."""
    entries: list[_Entry] = []
    for line in section.split("\n")[:2000]:
        stripped = line.strip()
        if not stripped:
            continue
        if line[0] not in " \t" and (" " not in stripped or (  # or a quoted program
                len(stripped) > 2 and stripped[0] == stripped[-1] == '"')):
            entries.append(_Entry(stripped.strip("<>")))
            continue
        inner = stripped[1:-1] if stripped[:1] == "(" and stripped[-1:] == ")" else stripped
        key, _, value = inner.partition(":")
        if entries and key.lower() == "reason" and entries[-1].reason is None:
            entries[-1].reason = value.strip() or None
        elif entries and key.lower() == "expanded from":
            entries[-1].expanded = value.strip()
    return entries


def _transcript(section: str) -> _Transcript:
    """Replies and verdicts in order. Sendmail pipelines RCPT with DATA, so a reply read
    after ``>>> DATA`` that is followed by another reply answered a RCPT."""
    script = _Transcript()
    host: str | None = None
    command: str | None = None
    reading = False
    unused: int | None = None
    replies = 0  # replies read since the last command sent
    for raw in section.split("\n")[:5000]:
        line = raw.strip()
        talking = _TALKING.match(line)
        if talking:
            host, command, reading, unused, replies = talking.group(1), None, False, None, 0
        elif line.startswith(">>>"):
            sent = line[3:].strip().split(" ", 1)[0].split(":", 1)[0].upper()
            # (">>> ." ends the message: its reply answers the data)
            command = sent if sent in _COMMANDS else "DATA" if sent == "." else "QUIT"
            reading, unused, replies = False, None, 0
        elif line.startswith("<<<"):
            if not reading:
                if command == "DATA" and replies:
                    script.blocks[-1].command = "RCPT"
                script.blocks.append(_Block([], command or "CONNECT", host))
                unused, replies = len(script.blocks) - 1, replies + 1
            script.blocks[-1].lines.append(line[3:].strip())
            reading = True
        else:
            reading = False
            verdict = _VERDICT.match(line)
            if verdict and (verdict.group(1) or verdict.group(2)):
                script.verdicts.append((verdict.group(1) or verdict.group(2), line, unused))
                unused = None
            elif codes.find_status(line[:16]) and not _SUMMARY.search(line):
                script.notes.append(line)
            elif line and not verdict and not codes.find_reply_code(line[:4]) and host is None:
                script.output.append(line)
    return script


def _finding(name: str, reason: str | None, script: _Transcript, alone: bool) -> Finding:
    address = codes.clean_address(name)
    lower = name.lower()
    mine = [v for v in script.verdicts if v[0].strip("<>").lower() == lower]
    block = next((script.blocks[v[2]] for v in reversed(mine) if v[2] is not None), None)
    if block is None and reason:
        # (reason: ...) quotes one line of the reply, the first or (a multi-line reply) the last
        block = next((b for b in reversed(script.blocks) if reason in b.lines), None)
    if block is None and (not reason or _SUMMARY.search(reason)
                          or codes.is_vague_status(codes.find_status(reason))):
        # (reason: 554 5.0.0 Service unavailable) is Sendmail's summary; the server said
        # <<< 550 5.7.1 Message rejected: spam content detected
        block = _refusal(script, lower, alone)
    if block is not None:
        found = text.finding_from_words(codes.unwrap_reply("\n".join(block.lines)), address, NAME)
        command = block.command if block.command != "QUIT" else None
        return found.with_changes(remote_mta=block.host, smtp_command=command)
    # (reason: 554 5.4.6 Too many hops) / 554 5.4.6 Too many hops 26 (25 max): from <...>
    fuller = [n for n in script.notes if reason and n.startswith(reason)]
    if reason and reason.isdigit():
        # (reason: 127) is a program's exit status; Sendmail's own line says what it means:
        # 554 5.3.0 unknown mailer error 127
        fuller = [n for n in script.notes if n.split()[-1:] == [reason]] or fuller
    words = (fuller or [reason or ""])[0] or (script.notes[-1] if alone and script.notes else "")
    if alone and script.output and (not reason or _SUMMARY.search(reason)):
        # (reason: service unavailable) over a local program's own words in the transcript
        words = " ".join([*script.output[:3], words])
    if mine:
        own = mine[-1][1]
        # <jane@example.org>... Deferred: Connection refused by mx.example.org.
        # 554 <jane@example.org>... 550 Host unknown (Authoritative answer from name server)
        after = own.split("...", 1)[1].strip()
        after = re.sub(r"(?i)^deferred:[ \t]*", "", after)
        words = after if codes.find_reply_code(after) or not codes.find_reply_code(own) else own
    return text.finding_from_words(words, address, NAME) if words else Finding(
        address=address, parser=NAME)


def _refusal(script: _Transcript, lower: str, alone: bool) -> _Block | None:
    """The server's refusal (a 4xx or 5xx ``<<<`` reply) naming the recipient, or for a
    report of one recipient, the last refusal of the transcript."""
    refusals = [b for b in script.blocks
                if (codes.find_reply_code(b.lines[0]) or "2")[0] in "45"]
    named = next((b for b in reversed(refusals) if any(lower in line.lower()
                                                       for line in b.lines)), None)
    return named or (refusals[-1] if alone and refusals else None)
