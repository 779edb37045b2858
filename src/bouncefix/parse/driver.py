"""Run the parsers over one message, in registry order, and merge with the DSN part."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

from bouncefix.regex import lazy

from ..mail import Mail
from ..model import Action, Finding
from . import codes, dsn, generic, reply, text
from .registry import GATED

MAX_RECIPIENTS = 1000

_FILLABLE = [name for name in Finding._fields if name not in ("parser", "action", "address")]


class ParseResult(NamedTuple):
    """Findings of one message and the parser that produced them."""

    findings: tuple[Finding, ...]
    parser: str | None
    truncated: int = 0


#: parts of reports about traffic, not about one message: an SMTP TLS report (RFC 8460)
#: lists other servers' failed sessions, never a bounce
_AGGREGATE_REPORTS = frozenset({"application/tlsrpt+json", "application/tlsrpt+gzip"})


def read_findings(mail: Mail) -> ParseResult:
    """Try each parser in order; the first that returns findings wins."""
    if not _AGGREGATE_REPORTS.isdisjoint(mail.content_types):
        return ParseResult((), None)
    standard = dsn.parse(mail) if dsn.matches(mail) else []
    haystack = None
    for parser, signature in GATED:
        if signature:
            if haystack is None:
                haystack = mail.signature_text
            for word in signature:  # a loop, not any(): no generator per parser
                if word in haystack:
                    break
            else:
                continue
        if not parser.matches(mail):
            continue
        found = parser.parse(mail)
        if not found:
            continue
        cut = max(len(found) - MAX_RECIPIENTS, 0)
        found = found[:MAX_RECIPIENTS]  # before merging: the work stays bounded
        if parser is not dsn and standard:
            found = merge(found, standard)
            if any(f.diagnostic is None for f in found):
                # neither the family's text nor the DSN fields gave words: the report's
                # paragraphs about each such recipient
                filled = iter(enrich_from_text([f for f in found if f.diagnostic is None], mail))
                found = [next(filled) if f.diagnostic is None else f for f in found]
        elif parser is dsn:
            found = enrich_from_text(found, mail)
        elif any(_wordless(f) for f in found):
            # a family's recipients with no words of their own (a report copied out of
            # order): the text's paragraph naming each, or (one such) its coded reply
            filled = iter(enrich_from_text([f for f in found if _wordless(f)], mail))
            found = [next(filled) if _wordless(f) else f for f in found]
        else:  # no DSN fields to say so: a notice that delivery is still being tried
            # the subject counts: "Warning: Delivery has been delayed"
            found = text.mark_delays(found, f"{mail.subject}\n{text.report_part(mail.text)}")
        return ParseResult(tuple(reply.tidy(f) for f in _as_sent(found, mail)), parser.NAME, cut)
    return ParseResult((), None)


def _as_sent(found: list[Finding], mail: Mail) -> list[Finding]:
    """A report's one failed recipient that is not the address the sender wrote to, as
    the report shows it: the member a list's VERP return path names, or the returned
    message's Delivered-To where its To or Cc holds that address (a forward's server
    stamped it on the way: "Delivered-To: chris@..." then the failure at the forward's
    target). That address is the original recipient, the one on the sender's list."""
    if len(found) != 1 or not found[0].address or found[0].original_recipient:
        return found
    member = generic.verp_member(mail) or _forwarded_from(mail)
    if member is None or member.lower() == found[0].address.lower():
        return found
    return [found[0].with_changes(original_recipient=member)]


def _forwarded_from(mail: Mail) -> str | None:
    """The returned message's one Delivered-To address, where its To or Cc names it
    (attached, or quoted inline after the report)."""
    original = mail.original
    if original is not None:
        fields = [(name.lower(), value) for name, value in original.raw_items()[:200]]
    else:
        # the header block after the report's mark ("--- Below this line is a copy of
        # the message.")
        whole = mail.text[:200_000]
        copy = whole[len(text.report_part(whole)):].split("\n", 1)[-1].lstrip("\n")
        head = copy.split("\n\n", 1)[0][:20_000]
        fields = [(m.group(1).lower(), m.group(2)) for m in _ADDRESS_FIELD.finditer(head)]
    stamped = [value for name, value in fields if name == "delivered-to"]
    delivered = codes.only_address(stamped[0][:400]) if len(stamped) == 1 else None
    if delivered is None:
        return None
    written = {a.lower() for name, value in fields if name in ("to", "cc")
               for a in codes.find_addresses(value[:4000])}
    return delivered if delivered.lower() in written else None


# an address field of a returned message's header block quoted inline
_ADDRESS_FIELD = lazy(r"(?im)^(Delivered-To|To|Cc)[ \t]*:[ \t]*([^\n]{0,2000})")


def _wordless(finding: Finding) -> bool:
    return not (finding.diagnostic or finding.status or finding.reply_code)


def merge(primary: list[Finding], standard: list[Finding]) -> list[Finding]:
    """Fill empty fields of a family parser's findings from the DSN findings of the
    same recipient (or, with one recipient on each side, from that one); the DSN's
    recipients the family parser did not name are added after its own."""
    by_address = {f.address.lower(): f for f in standard if f.address}
    merged = []
    used: set[int] = set()
    for finding in primary:
        other = by_address.get(finding.address.lower()) if finding.address else None
        if other is None and len(primary) == 1 and len(standard) == 1:
            other = standard[0]
        if other is None:
            merged.append(finding)
            continue
        used.add(id(other))
        changes = {
            name: getattr(other, name)
            for name in _FILLABLE
            if getattr(finding, name) is None and getattr(other, name) is not None
        }
        if (finding.diagnostic and other.diagnostic and not text.has_code(finding.diagnostic)
                and codes.find_reply_code(other.diagnostic)):
            # the family read only the report's prose ("its answer is in the report
            # below"); the DSN field holds the server's reply: it comes first
            changes["diagnostic"] = f"{other.diagnostic} {finding.diagnostic}"
        if other.action is Action.DELAYED and finding.action is Action.FAILED:
            # the DSN's own "Action: delayed" over a family's default: still being tried
            changes["action"] = Action.DELAYED
        if finding.address is None and other.address:
            changes["address"] = other.address
        elif (finding.address and other.address and other.original_recipient
              and other.original_recipient.lower() == finding.address.lower()
              and other.address.lower() != finding.address.lower()):
            # the family named the address written to, the DSN the alias's target that
            # failed ("Original-Recipient: info@..." over "Final-Recipient: inbox-3@..."):
            # the failure is the target's, with the address written to as the original
            changes["address"] = other.address
            changes["original_recipient"] = finding.address
        merged.append(finding.with_changes(**changes) if changes else finding)
    if used and all(f.address for f in primary):
        # (the family parser's own choice of failed or delayed recipients stands; a DSN
        # that names a recipient differently adds nothing)
        named = {f.address.lower() for f in primary if f.address}
        kept = Action.FAILED if any(f.action is Action.FAILED for f in primary) else Action.DELAYED
        more = [f for f in standard if id(f) not in used and f.address
                and f.address.lower() not in named and f.action is kept]
        if len(primary) + len(more) <= len(standard):
            merged += more
    return merged


# a one-line reply, perhaps the first line of a multi-line one ("554-5.7.1 Service
# unavailable", or as the DSN field gave it, "554 5.7.1 Service unavailable")
_CONTINUED = lazy(r"\A[ \t]*([245]\d\d)[ -](.{1,400})\Z")


def _whole_reply(diagnostic: str | None, report: str) -> str | None:
    """The whole multi-line reply the text part quotes, when a Diagnostic-Code holds only
    its first line ("554-5.7.1 Service unavailable" while a transcript goes on with
    "554-5.7.1 Client host [...] blocked using ..." and "554 5.7.1 see ..."); else None."""
    first = _CONTINUED.match(diagnostic or "")
    if first is None:
        return None
    code, words = first.group(1), first.group(2).strip()
    if f"{code}-" not in report:  # the text quotes no multi-line reply of this code
        return None
    lines = report[:200_000].split("\n")
    start = next((i for i, line in enumerate(lines) if f"{code}-" in line and words in line),
                 None)
    if start is None:
        return None
    taken = []
    for line in lines[start:start + 30]:
        at = line.find(f"{code}-")
        if at < 0:
            at = line.find(f"{code} ")
            if at < 0:
                break
            taken.append(line[at + 4:].strip())
            break  # "554 ..." ends the reply
        taken.append(line[at + 4:].strip())
    return f"{code} " + " ".join(taken) if len(taken) > 1 else None


def enrich_from_text(found: list[Finding], mail: Mail) -> list[Finding]:
    """A DSN's text part often says more than its fields (the server's full reply, the
    SMTP command). Fill what the fields left empty from the paragraph naming each
    recipient."""
    report = text.report_part(mail.text)
    if not report.strip():
        return found
    blocks = [b for b in text.paragraphs(report) if not _is_field_block(b)]
    about = _Paragraphs(blocks)
    out = []
    for finding in found:
        bare = finding.diagnostic if _BARE_CODE.fullmatch(finding.diagnostic or "") else None
        if bare:
            # "Diagnostic-Code: smtp; 550": a code without words; the text may quote them
            finding = finding.with_changes(diagnostic=None)
        whole = _whole_reply(finding.diagnostic, report)
        if whole:  # the field kept only the first line of a reply the text has whole
            finding = finding.with_changes(diagnostic=whole)
        diagnostic = finding.diagnostic or ""
        prose = about.prose_about(finding.address) if diagnostic and finding.address else ""
        if prose and prose not in diagnostic:
            # the report's own sentence about the recipient after the server's reply
            # ("... wasn't delivered to ann@... because the address couldn't be found")
            finding = finding.with_changes(diagnostic=f"{diagnostic} {prose}")
        if finding.diagnostic and finding.smtp_command:
            out.append(finding)
            continue
        words = about.words_about(finding.address) if finding.address else ""
        if not words and len(found) == 1:
            words = _first_with_code(blocks)
        if not words and finding.diagnostic is None and finding.address:
            # no code anywhere: the lines under the address where it opens a line of the
            # report ("  ann@example.org" / "    retry timeout exceeded"), in any language,
            # or the reason line of its entry ("Recipient: ann@..." / "Reason: ...")
            words = about.entry_of(finding.address) or about.reason_about(finding.address)
        if not words and finding.diagnostic is None:
            # no Diagnostic-Code and no coded reply: the report's explanatory sentence
            # ("Your message could not be delivered because the mailbox is full.")
            words = text.explanation(blocks)
        if not words:
            out.append(finding.with_changes(diagnostic=bare) if bare else finding)
            continue
        extra = text.finding_from_words(words, finding.address, finding.parser)
        changes = {
            name: getattr(extra, name)
            for name in ("diagnostic", "smtp_command", "reply_code", "status")
            if getattr(finding, name) is None and getattr(extra, name) is not None
        }
        if (codes.is_vague_status(finding.status) and extra.status
                and not codes.is_vague_status(extra.status)
                and extra.status[0] == (finding.status or "")[0]):
            changes["status"] = extra.status  # Status: 5.0.0 says less than the reply
        out.append(finding.with_changes(**changes) if changes else finding)
    return out


# a report's line that gives the reason for one recipient, in the usual languages
_REASON_LINE = lazy(
    r"(?im)^[ \t]*(?:reason|cause|error|problem|details?|motivo|causa|raz[óo]n|grund|ursache|"
    r"fehler|raison|motif|reden|oorzaak|orsak|[åa]rsak|syy|pow[óo]d|przyczyna|d[ůu]vod|"
    r"причина|原因|理由|사유|원인)[ \t]*[:：][ \t]*(\S[^\n]{0,500})")
# a "label: value" line (the next field of the same entry)
_LABEL_LINE = lazy(r"[ \t]*[^\s:]{1,30}(?: [^\s:]{1,30}){0,2}[ \t]*[:：]")

# a reply code (and enhanced status) with no words after it
_BARE_CODE = lazy(r"[ \t]*[245]\d\d(?:[ -]#?[245]\.\d{1,3}\.\d{1,3})?[ \t.]*")

_DSN_FIELD = lazy(
    r"(?im)^(?:Final-Recipient|Original-Recipient|Reporting-MTA|Action|Status|Remote-MTA|"
    r"Diagnostic-Code|Last-Attempt-Date|Arrival-Date|Received-From-MTA|X-[A-Za-z-]{1,40}|"
    r"Will-Retry-Until|Final-Log-ID|DSN-Gateway)[ \t]*:"
)


def _is_field_block(block: str) -> bool:
    """A paragraph of RFC 3464 fields printed as text: not the server's words."""
    lines = [line for line in block.split("\n") if line.strip() and line[0] not in " \t"]
    fields = len(_DSN_FIELD.findall(block))
    return bool(lines) and fields * 2 >= len(lines)


class _Paragraphs:
    """The paragraphs of a report, searchable by address in time linear in the text
    (not paragraphs x recipients): one lower-cased copy of them all, searched with
    str.find; the server's words of each paragraph worked out at most once."""

    def __init__(self, blocks: list[str]) -> None:
        self.blocks = blocks
        lowered = [block.lower() for block in blocks]
        self.text = "\x00".join(lowered)  # no address holds NUL: no match spans two
        self.starts = list(accumulate((len(b) + 1 for b in lowered[:-1]), initial=0))
        self._words: dict[int, str] = {}

    def words_about(self, address: str) -> str:
        """The server's words (with a code) in the first paragraph naming `address`
        that has some, or in the paragraph after it unless that one opens another
        recipient's entry; "" when none."""
        lower = address.lower()
        position = self.text.find(lower)
        while position >= 0:
            index = bisect_right(self.starts, position) - 1
            for candidate in (index, index + 1)[: len(self.blocks) - index]:
                if candidate > index and self._opens_other_entry(candidate, lower):
                    break
                words = self._coded_words(candidate)
                if words:
                    return words
            if index + 1 >= len(self.blocks):
                break
            position = self.text.find(lower, self.starts[index + 1])
        return ""

    def _opens_other_entry(self, index: int, lower: str) -> bool:
        """Whether paragraph `index` starts with another address on a line of its own
        ("  bo@example.net" / "    host ... said: 550 ..."): the next recipient's entry."""
        head = self.blocks[index].lstrip().split("\n", 1)[0].strip().strip("<>:").lower()
        return "@" in head and " " not in head and head != lower

    def prose_about(self, address: str) -> str:
        """Of the first three paragraphs naming `address`, the first that is the report's
        own sentence about it (cause words, no reply code), unwrapped ("We could not
        deliver your message to ann@..." then "The mailbox ann@... has been deactivated");
        "" when none is."""
        lower = address.lower()
        position = self.text.find(lower)
        for _ in range(3):
            if position < 0:
                break
            index = bisect_right(self.starts, position) - 1
            block = self.blocks[index]
            if len(block) <= 600 and not text.has_code(block) and text.CAUSE_WORDS.search(block):
                return " ".join(block.split())
            if index + 1 >= len(self.blocks):
                break
            position = self.text.find(lower, self.starts[index + 1])
        return ""

    def entry_of(self, address: str) -> str:
        """The lines below `address` in the first paragraph where it stands alone on a
        line (bracketed or not) and is followed by more lines: a recipient's entry in a
        report's list of failures; "" when there is none."""
        lower = address.lower()
        position = self.text.find(lower)
        while position >= 0:
            index = bisect_right(self.starts, position) - 1
            lines = self.blocks[index].split("\n")
            for number, line in enumerate(lines[:-1]):
                if line.strip().strip("<>").lower() == lower:
                    rest = [row.strip() for row in lines[number + 1:number + 8]]
                    if rest and "@" not in rest[0]:
                        return " ".join(row for row in rest if row)[:2000]
                    break
            if index + 1 >= len(self.blocks):
                break
            position = self.text.find(lower, self.starts[index + 1])
        return ""

    def reason_about(self, address: str) -> str:
        """The value of a reason line ("Reason:", "Motivo:", "Grund:" ...) in the first
        paragraph naming `address`, with the lines it wraps onto; "" when there is none."""
        position = self.text.find(address.lower())
        if position < 0:
            return ""
        block = self.blocks[bisect_right(self.starts, position) - 1]
        found = _REASON_LINE.search(block[:4000])
        if found is None:
            return ""
        # the value, and the lines indented under it
        lines = [found.group(1).strip()]
        for line in block[found.end():].split("\n")[1:8]:
            if not line[:1].isspace() or _LABEL_LINE.match(line):
                break
            lines.append(line.strip())
        return " ".join(part for part in lines if part)[:2000]

    def _coded_words(self, index: int) -> str:
        words = self._words.get(index)
        if words is None:
            words = text.server_words(self.blocks[index])
            if not (words and (codes.find_reply_code(words) or codes.find_status(words))):
                words = ""
            self._words[index] = words
        return words


def _first_with_code(blocks: list[str]) -> str:
    for block in blocks:
        words = text.server_words(block)
        if codes.find_reply_code(words):
            return words
    return ""
