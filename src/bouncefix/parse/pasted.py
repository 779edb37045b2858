"""Text pasted on its own: a server's reply, a log line, or sentences copied from a
webmail bounce page, with no message headers around it::

    550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown
    connect to mx.example.org[192.0.2.10]:25: Connection timed out
    The recipient's email address doesn't exist.

Any such text reaches the rules, with or without an SMTP code: the rules know more words
than a list of "bounce words" could. What the rules do not recognise either, and that has
no code and no bounce wording, is no bounce (``analyze`` drops it: see
:func:`has_evidence`). Pasted out-of-office notices and abuse reports are recognised by
their own parsers first.
"""

from __future__ import annotations

from bouncefix.regex import lazy

from ..mail import Mail
from ..model import Action, Finding
from . import codes, generic, text

NAME = "pasted"

#: longer headerless input is a document, not a paste: left to the generic reader
MAX_PASTE = 64 * 1024


def matches(mail: Mail) -> bool:
    """Headerless text of paste size."""
    return not mail.has_headers and 0 < len(mail.text.strip()) <= MAX_PASTE


def parse(mail: Mail) -> list[Finding]:
    """What the generic reader finds, else the whole text as one finding; a notice that
    says delivery is still being tried, or a temporary reply with nothing saying the
    sending server gave up, makes each finding a delay."""
    found = _findings(mail)
    if found and not any(f.address for f in found) and text.newsletter(mail.text):
        return []  # a newsletter or digest that quotes replies as examples: nothing failed
    command = codes.transcript_command(mail.text) or codes.only_command(mail.text)
    if command:
        found = [f if f.smtp_command else f.with_changes(smtp_command=command) for f in found]
    return _successes(text.mark_delays(found, mail.text, pasted=True), mail.text)


# a log's or a console's own word that the message went through: "status=sent",
# "Status: Delivered", a console row "Status   Delivered"
_STATUS_SUCCESS = lazy(r"(?im)\bstatus=sent\b|^[ \t]*(?:delivery )?status[ \t]*[:=]?[ \t]+"
                       r"(?:delivered|sent|accepted|relayed)[ \t]*$")
#: replies that accept a message for delivery (not a greeting, "ready for TLS" or a login)
_ACCEPTING = {"250", "251", "252"}


def _successes(found: list[Finding], pasted: str) -> list[Finding]:
    """Findings that are successes: a log's or console's status that says sent or
    delivered, or a delivery accepted with class 2 codes (250 2.0.0), where no code says
    failed and the words do not say the message was then discarded."""
    said = bool(_STATUS_SUCCESS.search(pasted[:20000]))
    out = []
    for finding in found:
        codes_given = [c for c in (finding.status, finding.reply_code) if c]
        failing = any(not c.startswith("2") for c in codes_given)
        accepted = (bool(codes_given) and not failing
                    and (finding.reply_code is None or finding.reply_code in _ACCEPTING))
        success = (accepted or (said and not failing)) and not text.NOT_KEPT.search(
            (finding.diagnostic or "")[:4000])
        if success and finding.action is Action.FAILED:
            refusal = _refused_after_data(pasted)
            if refusal:  # the recipient was accepted, the message itself then refused
                refused = text.finding_from_words(refusal, finding.address, NAME)
                out.append(refused.with_changes(smtp_command=refused.smtp_command or "DATA"))
                continue
            finding = finding.with_changes(action=Action.DELIVERED)
        out.append(finding)
    return out


# a transcript's "354 Go ahead": what the server answers after it is about the message
_GO_AHEAD = lazy(r"(?m)^[ \t<*-]{0,6}354[ -]")


def _refused_after_data(pasted: str) -> str | None:
    """The refusal (4xx or 5xx) a transcript shows after the server took the message
    text ("354 Go ahead", the message, then "550-5.7.1 ..."), or None."""
    head = pasted[:20000]
    go_ahead = _GO_AHEAD.search(head)
    if go_ahead is None:
        return None
    rest = head[go_ahead.end():]
    failing = next((offset for offset, code in codes.reply_codes(rest) if code[0] in "45"), None)
    if failing is None:
        return None
    start = rest.rfind("\n", 0, failing) + 1
    end = rest.find("\n\n", failing)
    return codes.unwrap_reply(rest[start:end if end > 0 else None]) or None


# Python's smtplib prints the refused recipients as a dict, each with its own reply:
# {'ann@example.org': (550, b'5.1.1 User unknown'), 'bob@example.net': (452, b'4.2.2 Full')}
_SMTPLIB_ENTRY = lazy(
    r"""['"]([^'"\s]{1,320}@[^'"\s]{1,255})['"]: \((\d{3}), b?(['"])((?:(?!\3)[^\\]|\\.){0,2000})\3\)"""
)


def _smtplib_entries(pasted: str) -> list[Finding]:
    """One finding per recipient of a printed smtplib refusal, each with its own reply."""
    if "': (" not in pasted and '": (' not in pasted:  # no dict entry: no regex scan
        return []
    found = []
    for entry in _SMTPLIB_ENTRY.finditer(pasted[:MAX_PASTE]):
        address = codes.clean_address(entry.group(1))
        if address:
            # (a multi-line reply, its line breaks printed as "\n")
            words = codes.unwrap_reply(f"{entry.group(2)} {entry.group(4)}".replace("\\n", "\n"))
            found.append(text.finding_from_words(words, address, NAME))
    return found


# A table exported from a sending platform or a spreadsheet, pasted with its header row:
#   Email,Bounce type,Reason,Bounced at
#   "ann@example.org","Hard Bounce","Bad email address","2024-05-02 10:41"
# The header names the address column; each row is one recipient, its other cells the
# words about it.
_TABLE_HEADER = lazy(
    r"(?i)^[ \t\"']*(?:[^,;\t\n]{0,40}[,;\t])*?[ \t\"']*(?:e-?mail(?:[ _]?address)?|address|"
    r"recipient(?:[ _]?address|[ _]?e-?mail)?|to|rcpt(?:[ _]?to)?|contact)[ \t\"']*(?:[,;\t]|$)"
)
#: rows read from a pasted table, at most
_TABLE_ROWS = 1000
_DELIMITERS = (",", ";", "\t")


def _table_rows(pasted: str) -> list[Finding]:
    """One finding per row of a pasted table whose header row names an address column
    (empty when the text is no such table)."""
    lines = pasted.lstrip().split("\n", 4)
    # (the header row first, or under a title line or two: "Exported from Email log search:")
    at = next((i for i, line in enumerate(lines[:4])
               if "@" not in line and _TABLE_HEADER.match(line)
               and (i == 0 or _header_cells(line))), None)
    if at is None:
        return []
    head, _, rest = "\n".join(lines[at:]).partition("\n")
    if not rest:
        return []
    delimiter = max(_DELIMITERS, key=head.count)
    if not head.count(delimiter):
        return []
    import csv

    rows = csv.reader(rest.split("\n")[:_TABLE_ROWS], delimiter=delimiter)
    names = next(csv.reader([head], delimiter=delimiter))
    column = next((i for i, name in enumerate(names)
                   if _TABLE_HEADER.match(name.strip() + delimiter)), None)
    if column is None:
        return []
    found = []
    for row in rows:
        if len(row) <= column:
            continue
        address = codes.clean_address(row[column].strip())
        if not address:
            continue
        words = " - ".join(cell.strip() for i, cell in enumerate(row)
                           if i != column and cell.strip() and not _DATE.match(cell.strip()))
        finding = text.finding_from_words(words, address, NAME)
        if any(cell.strip().lower() in _DELIVERED_CELLS for cell in row):
            finding = finding.with_changes(action=Action.DELIVERED)  # a row that went through
        found.append(finding)
    return found


def _header_cells(line: str) -> bool:
    """Whether a line below a title reads as a table's header row: three or more short
    cells ("Date,Sender,Recipient,Status"), not a sentence that has a comma."""
    delimiter = max(_DELIMITERS, key=line.count)
    cells = line.split(delimiter)
    return len(cells) >= 3 and all(len(cell.strip()) <= 30 for cell in cells)


#: a status cell saying the row's message went through
_DELIVERED_CELLS = frozenset({"delivered", "sent", "accepted", "relayed", "processed", "opened",
                              "clicked", "zugestellt", "entregado", "entregue", "délivré", "remis",
                              "consegnato", "afgeleverd"})


# a cell that only says when: "2024-05-02 10:41", "02/05/2024", "1714646460"
_DATE = lazy(r"^(?:\d{4}-\d\d-\d\d(?:[T ][\d:.]{4,15}(?:Z| ?UTC| ?GMT| ?[+-]\d\d:?\d\d)?)?"
             r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
             r"(?: [\d:]{4,8})?|\d{9,13})$")


def _findings(mail: Mail) -> list[Finding]:
    if generic.aggregate_report(mail.text):
        return []  # a DMARC or TLS report's summary of the domain's mail, no bounce
    entries = _smtplib_entries(mail.text) or _table_rows(mail.text[:MAX_PASTE])
    if entries:
        return entries
    found = generic.parse(mail) if generic.matches(mail) else []
    if found and all(not (f.address or f.reply_code or f.status) for f in found) and (
            len(text.paragraphs(mail.text[:MAX_PASTE])) > 1):
        # no recipient and no code: one paragraph chosen by its bounce wording may leave
        # out the one that says why ("Connection error: SSL_ERROR_..." above "Sending of
        # the message failed"): the rules read the whole paste
        found = []
    if found:
        if all(f.address is None for f in found):
            # the replies name nobody, and the paste names one failed recipient elsewhere
            # ("SMTP Error: The following recipients failed: jo@example.org: ...")
            names = _named(mail)
            if len(names) == 1:
                return [f.with_changes(parser=NAME, address=names[0]) for f in found]
        return [f.with_changes(parser=NAME) for f in _about_others(found)]
    report = text.report_part(mail.text)
    words = codes.unwrap_reply(report)[:4000]
    if not words or (generic.phishing(words) and not codes.find_reply_code(words)
                     and not codes.find_status(words)) or generic.quarantine_digest(mail, report):
        return []  # (phishing, or a quarantine's list of mail held for the reader)
    # ("Found inactive addresses: ann@..., bob@...": the same words for each)
    addresses: list[str | None] = [*_named(mail)] or [None]
    return [text.finding_from_words(words, address, NAME) for address in addresses]


def _about_others(found: list[Finding]) -> list[Finding]:
    """Without the findings whose words carry no code and speak of another recipient
    that has a coded reply of its own: "list@example.org: member ann@example.com's
    delivery has been disabled ... Last bounce: 550 5.7.26 ..." is about ann, not the
    list that prefixed the line."""
    coded = {f.address.lower() for f in found
             if f.address and (f.reply_code or f.status)}
    return [f for f in found if f.reply_code or f.status or not f.address or not any(
        other in (f.diagnostic or "").lower() for other in coded - {f.address.lower()})] or found


#: recipients a paste's words may name together, at most
_MAX_NAMED = 20


def _named(mail: Mail) -> list[str]:
    """The recipients the paste names, with the generic reader's care (no envelope
    sender, list or role address, URL): every one when all stand in a recipient's place
    (after a code, a failure's words, a recipients label); else the one it names (the
    strongly placed ones first); else none."""
    named = generic.named_recipients(mail.text[:MAX_PASTE].split("\n"), set())
    if 1 < len(named) <= _MAX_NAMED and all(n.strong for n in named):
        return [n.address for n in named]
    chosen = [n for n in named if n.strong] or named
    return [chosen[0].address] if len(chosen) == 1 else []


def has_evidence(finding: Finding, pasted: str | None = None) -> bool:
    """Whether a pasted finding shows a failure by itself: a code or bounce wording
    (the engine's rules are the other evidence). Given the paste, the wording must stand
    within one of its paragraphs: the finding's words run its paragraphs together, and a
    person's "... whether she got it or not" above a receipt's "Delivered:" says nothing."""
    if finding.reply_code or finding.status:
        return True
    words = finding.diagnostic or ""
    said = [m.group(0) for m in text.BOUNCE_WORDS.finditer(words[:20000])]
    said += [m.group(0) for m in _BOUNCED.finditer(words[:4000])]
    if not said or pasted is None:
        return bool(said)
    blocks = [" ".join(p.split()).lower() for p in text.paragraphs(pasted[:MAX_PASTE])]
    return any(" ".join(phrase.split()).lower() in block for phrase in said for block in blocks)


def says_it_failed(pasted: str) -> bool:
    """Whether the paste's own lines, not counting questions, use the language of a
    delivery failure: the lead that introduces its recipients ("Could not deliver message
    to the following recipient(s):"), which no recipient's own words repeat."""
    lines = [line for line in pasted[:20000].splitlines() if not line.rstrip().endswith("?")]
    return generic.bounce_words("\n".join(lines))


# a sending platform's or an application's own words for any failure ("we couldn't tell
# why this email bounced", "Could not instantiate mail function")
_BOUNCED = lazy(r"(?i)\bbounced\b|\bunable to send (?:the )?(?:e-?mail|mail|message)\b|"
               r"\berror sending (?:e-?mail|mail)\b|could not instantiate mail function")
