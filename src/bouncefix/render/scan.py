"""One scan result rendered where it was analysed (in the worker processes), and the
summary of a whole scan gathered in the main process.

The split: a worker runs :class:`Renderer` on each report. It applies the filters, writes
the message's output for the streaming formats (json, jsonl, csv, plain text) and, for
the formats drawn from the whole scan (the terminal report, html), boils the report down
to a :class:`Digest`: its kind, date and size and one short, already sanitised
:class:`Row` per recipient. The main process only writes text and adds digests to a
:class:`ScanSummary`, which keeps counters and at most :data:`MAX_ROWS` rows, so its
memory does not grow with the size of the scan. Nothing here imports click: the workers
unpickle a Renderer without loading the command line.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model import Kind, MessageReport, RecipientReport
from ..regex import lazy
from ..sanitize import one_line, shown_name
from .formats import REPORT_FORMATS, OutputFormat

if TYPE_CHECKING:
    from ..filters import RecipientFilter

#: recipient rows a summary keeps for --details and the html table (about 300 bytes each)
MAX_ROWS = 100_000
#: distinct recipient domains counted one by one; the rest are counted together
MAX_DOMAINS = 50_000
#: kinds whose recipients are rows of the summary (failed, delayed, complained about)
ROW_KINDS = frozenset({Kind.BOUNCE, Kind.DELAY, Kind.FEEDBACK})
_ROW_KIND_VALUES = frozenset(kind.value for kind in ROW_KINDS)
OTHER_DOMAINS = "(other domains)"
NO_ADDRESS = "(no address)"


class Row(NamedTuple):
    """One recipient as the summary keeps it: short, sanitised text."""

    date: str  #: ISO 8601 bounce date, or ""
    address: str
    domain: str  #: lower case, "" when the address has none
    kind: str  #: Kind value
    reason: str
    hard: bool
    suppress: bool
    code: str  #: "550 5.1.1", "550", "5.1.1" or ""
    provider: str
    words: str  #: the server's words, one line, without the codes before them, cut
    source: str  #: the file, as text output shows it


class Digest(NamedTuple):
    """What the whole-scan formats need of one message (small to pickle)."""

    kind: str
    date: str | None
    rows: tuple[Row, ...]


class Rendered(NamedTuple):
    """One message's output and what the summary needs of it (small to pickle)."""

    source: str | None
    chunk: str  #: the message's output; "" when filtered out or the format is whole-scan
    found: bool  #: kept by the filters, and a bounce, delay or report (not ordinary mail)
    matched: bool  #: kept by the filters
    size: int  #: bytes read (for progress)
    digest: Digest | None  #: None when the summary is not wanted


class Renderer:
    """Renders one report; runs in the worker processes (so it must pickle: the DNS
    resolver is only given to in-process scans). `fmt` None: no per-message output.
    `digest`: also boil the report down for a :class:`ScanSummary`."""

    __slots__ = ("ascii_only", "digest", "fmt", "keep", "resolver")

    def __init__(self, fmt: OutputFormat | None, ascii_only: bool, resolver: Any = None,
                 keep: RecipientFilter | None = None, digest: bool = False) -> None:
        self.fmt, self.ascii_only, self.resolver = fmt, ascii_only, resolver
        self.keep, self.digest = keep, digest

    def __call__(self, report: MessageReport) -> Rendered:
        size = report.size or 0
        if self.keep is not None:
            kept = self.keep.apply(report)
            if kept is None:
                return Rendered(report.source, "", False, False, size, None)
            report = kept
        if self.resolver is not None:
            from ..evidence import add_dns_evidence

            report = add_dns_evidence(report, self.resolver)
        chunk = ""
        if self.fmt is not None:
            chunk = REPORT_FORMATS[self.fmt].item(report, False, self.ascii_only)
        return Rendered(report.source, chunk, report.kind is not Kind.NOT_BOUNCE, True, size,
                        digest(report) if self.digest else None)


def digest(report: MessageReport) -> Digest:
    """`report` boiled down for a :class:`ScanSummary`."""
    rows: tuple[Row, ...] = ()
    if report.kind in ROW_KINDS:
        source = shown_name(report.source, 200)
        rows = tuple(row(item, report.kind, report.date or "", source)
                     for item in report.recipients)
    return Digest(report.kind.value, report.date, rows)


def row(item: RecipientReport, kind: Kind, date: str, source: str = "") -> Row:
    """One recipient as a :class:`Row`."""
    from ..filters import domain_of

    finding, diagnosis = item.finding, item.diagnosis
    code = " ".join(c for c in (finding.reply_code, diagnosis.status) if c)
    return Row(date, one_line(finding.address, 320), one_line(domain_of(finding.address), 255),
               kind.value, diagnosis.reason.value, diagnosis.hard_bounce, diagnosis.suppress,
               one_line(code, 40), one_line(diagnosis.provider, 80),
               short_words(finding.diagnostic), source)


# "host mx.example.org[192.0.2.1] said: 550-5.1.1 ", "smtp; 550 #5.1.1 ": what the code
# column already says, before the server's own words
_LEAD = lazy(r"(?:smtp;\s*)?(?:host\s+\S+\s+said:\s*)?(?:[245]\d\d(?:[ -]+|$))?"
             r"(?:#?[245]\.\d{1,3}\.\d{1,3}(?:\s+|$))?", re.IGNORECASE)


def short_words(diagnostic: str | None, limit: int = 160) -> str:
    """The server's words for a table cell: one line, without the host and codes that
    lead them, cut at `limit`."""
    text = one_line(diagnostic, 2000)
    match = _LEAD.match(text)
    rest = text[match.end():] if match else text
    return one_line(rest or text, limit)


class ScanSummary:
    """Counters over a whole scan, and the first :data:`MAX_ROWS` recipient rows.

    Reasons, domains and providers are counted over the recipients of bounces only
    (not delays, auto-replies, complaints or delivery notices); hard and soft over the
    recipients of bounces; days over bounces."""

    def __init__(self, files: int = 0, keep_rows: bool = False,
                 max_rows: int = MAX_ROWS) -> None:
        self.files = files
        #: counts cover only what filters kept
        self.filtered = False
        self.keep_rows, self.max_rows = keep_rows, max_rows
        self.read = 0  #: messages read
        self.kinds: Counter[str] = Counter()  #: messages kept, by kind
        self.reasons: Counter[str] = Counter()
        self.hard = self.soft = self.suppress = 0
        self.domains: dict[str, Counter[str]] = {}
        self.providers: dict[str, Counter[str]] = {}
        self.days: Counter[str] = Counter()  #: bounces per day (UTC)
        #: the first and last date of a bounce, delay or complaint (ISO 8601, UTC)
        self.first: str | None = None
        self.last: str | None = None
        self.rows: list[Row] = []
        self.rows_cut = 0
        self._strings: dict[str, str] = {}

    @property
    def messages(self) -> int:
        """Messages kept (all of them when no filter is given)."""
        return sum(self.kinds.values())

    @property
    def recipients(self) -> int:
        """Recipients of bounces."""
        return self.hard + self.soft

    def add(self, item: Digest | None, read: bool = True) -> None:
        """Count one message (`item` None: read, but filtered out)."""
        self.read += read
        if item is None:
            return
        self.kinds[item.kind] += 1
        bounce = item.kind == Kind.BOUNCE.value
        if item.date and item.kind in _ROW_KIND_VALUES:
            self._date(item.date, bounce)
        for entry in item.rows:
            if bounce:
                self._count(entry)
            if not self.keep_rows:
                continue
            if len(self.rows) < self.max_rows:
                self.rows.append(self._shared(entry))
            else:
                self.rows_cut += 1

    def _shared(self, entry: Row) -> Row:
        """`entry` with its often repeated values (kind, reason, code, provider, domain,
        date, file) shared with the rows before it: a row then costs little more than
        its address and server words."""
        strings = self._strings
        if len(strings) > 4 * self.max_rows:
            strings.clear()
        date, _, domain, kind, reason, _, _, code, provider, _, source = entry
        return entry._replace(
            date=strings.setdefault(date, date), domain=strings.setdefault(domain, domain),
            kind=strings.setdefault(kind, kind), reason=strings.setdefault(reason, reason),
            code=strings.setdefault(code, code), provider=strings.setdefault(provider, provider),
            source=strings.setdefault(source, source))

    def _count(self, entry: Row) -> None:
        self.reasons[entry.reason] += 1
        if entry.hard:
            self.hard += 1
        else:
            self.soft += 1
        self.suppress += entry.suppress
        domain = entry.domain or NO_ADDRESS
        tally = self.domains.get(domain)
        if tally is None:
            if len(self.domains) >= MAX_DOMAINS:
                domain = OTHER_DOMAINS
            tally = self.domains.setdefault(domain, Counter())
        tally[entry.reason] += 1
        if entry.provider:
            self.providers.setdefault(entry.provider, Counter())[entry.reason] += 1

    def _date(self, date: str, bounce: bool) -> None:
        from ..filters import parse_iso

        moment = parse_iso(date)
        try:
            key = moment.astimezone(timezone.utc).isoformat() if moment else None
        except OverflowError:  # the first or last day of the calendar
            key = None
        if key is None:
            return
        if self.first is None or key < self.first:
            self.first = key
        if self.last is None or key > self.last:
            self.last = key
        if bounce:
            self.days[key[:10]] += 1

    def top(self, table: dict[str, Counter[str]], count: int = 10
            ) -> list[tuple[str, int, str, int]]:
        """The `count` largest of `table` (domains or providers): (name, bounces, main
        reason, its bounces), largest first, then by name (not the recipients without
        an address, nor the domains beyond MAX_DOMAINS: see :meth:`unnamed`)."""
        totals = sorted(((sum(t.values()), name) for name, t in table.items()
                         if name not in (OTHER_DOMAINS, NO_ADDRESS)),
                        key=lambda pair: (-pair[0], pair[1]))
        out = []
        for total, name in totals[:count]:
            reason, most = min(table[name].items(), key=lambda pair: (-pair[1], pair[0]))
            out.append((name, total, reason, most))
        return out

    @property
    def unnamed(self) -> int:
        """Recipients of bounces whose address the bounce does not give."""
        return sum(self.domains.get(NO_ADDRESS, {}).values())

    @property
    def period(self) -> tuple[str, str] | None:
        """The earliest and latest date of a bounce, delay or complaint (ISO 8601 in UTC),
        or None."""
        if self.first is None or self.last is None:
            return None
        return self.first, self.last


def summarise(reports: list[MessageReport], keep_rows: bool = True,
              files: int = 0) -> ScanSummary:
    """A summary of reports already in memory (``explain``, tests)."""
    summary = ScanSummary(files, keep_rows)
    for report in reports:
        summary.add(digest(report))
    return summary


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 file', '2 files', '1,204 messages'."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
