"""bouncefix as a library: the same answers the command line gives.

>>> from bouncefix import analyze
>>> [report] = analyze("550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown")
>>> item = report.recipients[0]
>>> item.finding.address, item.diagnosis.reason.value, item.diagnosis.hard_bounce
('jane@example.org', 'userunknown', True)
>>> report.to_dict()["recipients"][0]["status"]
'5.1.1'

>>> from bouncefix import lookup
>>> lookup("550 5.1.1")[0]["status"]["title"]
'Bad destination mailbox address'

Reports are frozen: ``MessageReport`` holds ``RecipientReport`` items, each a ``Finding``
(what the bounce says) and a ``Diagnosis`` (what we conclude); ``to_dict()`` gives the
JSON the CLI prints. Nothing here prints, reads the terminal or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .ingest.errors import Failure, InputError, Skip
from .model import Confidence, Diagnosis, Finding, Kind, MessageReport, Reason, RecipientReport

T = TypeVar("T")


def _same(report: MessageReport) -> MessageReport:
    return report


if TYPE_CHECKING:
    from .dns.model import TargetReport
    from .dns.resolver import Resolver

__all__ = [
    "Confidence", "Diagnosis", "Failure", "Finding", "InputError", "Kind", "MessageReport", "Reason",
    "RecipientReport", "Skip", "add_dns_evidence", "analyze", "analyze_paths", "check",
    "input_files", "lookup", "make_resolver", "warm_up",
]


def analyze(data: bytes | str, *, max_size: int | None = None,
            on_skip: Callable[[Skip], None] | None = None) -> list[MessageReport]:
    """Every message in `data` analysed: one message (a saved .eml), an mbox, or text
    pasted from a bounce (one line will do). Compressed data (gzip, bzip2, xz) is
    decompressed up to `max_size` bytes (default 25 MiB), a byte-order mark dropped,
    UTF-16/32 text decoded; an archive or damaged data raises ``InputError`` (a
    ``ValueError``).

    ESP events (Amazon SES, SendGrid, Mailgun, Postmark, SparkPost, Mandrill, Mailjet; one,
    a batch, or JSON Lines) and MTA logs (Postfix, Exim, sendmail, OpenSMTPD, Exchange
    message tracking) give one report per event or log record, with its ``line``; a
    malformed event or an oversized record is told to `on_skip` (a ``Skip``), or without
    one, noted in the first report.

    >>> [report] = analyze(b"452 4.2.2 Mailbox full")  # temporary: the sender retries
    >>> report.kind.value, report.recipients[0].diagnosis.reason.value
    ('delay', 'mailboxfull')
    >>> [event] = analyze(b'{"event": "bounce", "email": "kim@example.org", "sg_event_id": "e1",'
    ...                   b' "reason": "550 5.1.1 user unknown", "timestamp": 1772442849}')
    >>> event.esp, event.recipients[0].diagnosis.reason.value
    ('sendgrid', 'userunknown')
    """
    from .analysis import analyze_input
    from .ingest import DEFAULT_MAX_SIZE, as_text_bytes, decompressed
    from .ingest.containers import compressed, refused

    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if compressed(raw[:8]) or refused(raw[:300], "input"):
        raw = decompressed(raw, max_size or DEFAULT_MAX_SIZE)
    return analyze_input(as_text_bytes(raw), max_size or DEFAULT_MAX_SIZE, on_skip)


def input_files(paths: Sequence[str], on_skip: Callable[[Skip], None] | None = None
                ) -> list[str]:
    """The regular files `paths` name: files as given, folders walked recursively in
    name order (Maildir ``cur``/``new``; hidden files skipped), "-" (standard input)
    kept. Anything else is told to `on_skip` and left out."""
    from .ingest import files_of

    files = list(files_of([p for p in paths if p != "-"], on_skip or _ignore))
    return ["-", *files] if "-" in paths else files


def analyze_paths(
    paths: Sequence[str],
    jobs: int | None = None,
    *,
    max_size: int | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    finish: Callable[[MessageReport], T] = _same,  # type: ignore[assignment]
) -> Iterator[T]:
    """Analyse files, folders (recursively; Maildir cur/new), mbox files (also gzip-,
    bzip2- or xz-compressed) and "-" (standard input): one report per message, with
    its ``source`` and ``index``, in input order. ESP event files and MTA logs give one
    report per event or log record, with its ``line`` too (streamed: memory stays flat
    however long the log).

    Several worker processes share the work when `jobs` (default: one per core for
    large inputs) is more than one; `finish` (default: the report itself) runs on each
    report where it was made, in the worker (it must pickle), so that expensive
    formatting is shared out too. Inputs left out are told to `on_skip` (a ``Skip``;
    ``str(skip)`` is one line for the user); a message no worker could analyse is told
    to `on_failure`, and the rest goes on.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.eml").write_bytes(b"550 5.1.1 <ann@example.org>: no such user")
    >>> [r.recipients[0].diagnosis.reason.value for r in analyze_paths([str(folder)])]
    ['userunknown']
    """
    from .ingest import DEFAULT_MAX_SIZE, any_mbox, messages_of, stdin_messages
    from .ingest.files import any_records
    from .runtime.pool import MIN_FILES_FOR_WORKERS, analyze_many, default_jobs

    skip = on_skip or _ignore
    files = input_files(paths, skip)
    if jobs is None:
        named = [f for f in files if f != "-"]
        large = (len(files) >= MIN_FILES_FOR_WORKERS or "-" in files
                 or any_mbox(named) or any_records(named))
        jobs = default_jobs() if large else 1
    size = max_size or DEFAULT_MAX_SIZE
    items = (item for path in files for item in (
        stdin_messages(size, skip) if path == "-" else messages_of(path, size, skip)))
    return analyze_many(items, jobs, finish, on_failure)


def warm_up() -> None:
    """Load the parsers and rules now rather than on the first message (before forking
    worker processes of one's own, or before timing-sensitive work)."""
    from .runtime.pool import warm_up as load

    load()


def lookup(query: str | Sequence[str]) -> list[dict[str, Any]]:
    """What codes mean, from the catalogue: a reply code, an enhanced status code or
    both (``"550 5.1.1"``), a subject or class (``"5.7"``, ``"X.7.*"``), a provider's
    code (``"TSS04"``). One dict per query, as ``bouncefix lookup --json`` prints.

    >>> lookup("4.2.2")[0]["status"]["class"]
    'transient'
    """
    from .catalogue import codes as catalogue
    from .catalogue.lookup import answer, split_queries

    words = query.split() if isinstance(query, str) else list(query)
    book = catalogue.load()
    return [answer(q, book) for q in split_queries(words)]


def make_resolver(nameservers: Sequence[str] = (), timeout: float = 2.0, budget: float = 4.0,
                  max_queries: int = 1000) -> Resolver:
    """A resolver for :func:`check` and :func:`add_dns_evidence`: the given nameservers
    ("192.0.2.53", "[2001:db8::53]:5353") or the system's; every query of its life
    shares the time `budget` (seconds) and at most `max_queries` are sent."""
    from .dns.resolver import Resolver

    return Resolver(list(nameservers), timeout=timeout, budget=budget, max_queries=max_queries)


def check(target: str, resolver: Resolver | None = None, *, selectors: Sequence[str] = (),
          zones: Sequence[str] | None = None) -> TargetReport:
    """DNS evidence for a domain (mx, spf, dmarc, mta-sts, tls-rpt, dkim per selector) or
    an IP address (ptr, fcrdns, dnsbl per zone), as ``bouncefix check`` reports it.
    Raises ``ValueError`` for a malformed, private or loopback target."""
    from .dns.dnsbl import DEFAULT_ZONES
    from .dns.runner import Options, check_targets
    from .dns.validate import classify_target

    options = Options(tuple(selectors), tuple(zones) if zones else DEFAULT_ZONES)
    return check_targets([classify_target(target)], options, resolver or make_resolver())[0]


def add_dns_evidence(report: MessageReport, resolver: Resolver | None = None,
                     zones: Sequence[str] | None = None) -> MessageReport:
    """`report` with the DNS checks that matter for each diagnosis run and attached
    (``diagnosis.dns_checks``); the names checked are only those the bounce gives."""
    from .evidence import add_dns_evidence as attach

    return attach(report, resolver or make_resolver(), zones)


def _ignore(skip: Skip) -> None:
    return None
