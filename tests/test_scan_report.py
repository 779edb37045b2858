"""The report of a whole scan: totals by kind, recipients hard and soft, the reason
chart, top domains and providers, the period, --details, plurals, progress by bytes for
a single mbox and for standard input, and a summary that stays bounded however large
the scan."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from bouncefix.api import Finding, Kind, MessageReport, RecipientReport, analyze
from bouncefix.cli.env import Env
from bouncefix.cli.scan_cmd import MBOX_SEPARATOR_BYTES, Bar, progress_bar
from bouncefix.render import scan_report
from bouncefix.render.scan import MAX_DOMAINS, Digest, Row, ScanSummary, count, digest, summarise
from helpers import invoke
from hostile_cases import dsn
from paths import SAMPLES

RICH = {"BOUNCEFIX_FORCE_RICH": "1", "COLUMNS": "120", "NO_COLOR": "1"}
SAMPLE_FILES = ["postfix/unknown-user.eml", "postfix/delayed.eml", "rfc3834/out-of-office.eml",
                "arf/abuse.eml"]


def bounce(recipient: str, diagnostic: str, status: str, date: str,
           sender: str = "news@our.example") -> bytes:
    """A Postfix DSN for one recipient, dated, quoting the returned message's headers."""
    original = ("--BB\nContent-Type: text/rfc822-headers\n\n"
                f"From: {sender}\nTo: {recipient}\nSubject: Spring news\n\n")
    return dsn(diagnostic, recipient=recipient, status=status, headers=f"Date: {date}\n",
               extra_parts=original)


def mbox(messages: list[bytes]) -> bytes:
    return b"".join(b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n"
                    + m.replace(b"\nFrom ", b"\n>From ") + b"\n" for m in messages)


def mixed_mbox(tmp_path: Path) -> Path:
    """Bounces (hard and soft), a delay, an auto-reply, a complaint, and ordinary mail."""
    messages = [
        bounce("ann@example.org", "550 5.1.1 <ann@example.org>: User unknown", "5.1.1",
               "Mon, 2 Mar 2026 09:00:00 +0000"),
        bounce("bob@mail.example.org", "552 5.2.2 <bob@mail.example.org>: Mailbox full",
               "5.2.2", "Thu, 5 Mar 2026 14:30:00 +0100"),
        bounce("cy@example.net", "550 5.1.1 <cy@example.net>: User unknown", "5.1.1",
               "Wed, 4 Mar 2026 08:00:00 +0000"),
        *[(SAMPLES / name).read_bytes() for name in SAMPLE_FILES[1:]],
        b"From: a@example.org\nTo: b@example.org\nSubject: lunch\n\nSee you at noon.\n",
    ]
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox(messages))
    return path


def test_terminal_report_totals_chart_domains_and_period(tmp_path: Path) -> None:
    result = invoke("scan", "--no-progress", str(mixed_mbox(tmp_path)), env=RICH)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "1 file, 7 messages" in text and "1 files" not in text
    assert ("3 bounces, 1 delay, 1 auto-reply, 1 complaint, 1 not a bounce" in text), text
    assert "3 bounced, 2 hard (2 to suppress), 1 soft" in text
    # bounces, delays and complaints (not the auto-reply, 08:20 UTC), in UTC
    assert "2026-03-02 09:00 to 2026-03-10 11:00 UTC" in text
    chart = re.search(r"userunknown\s+(█+)\s+2\s+67%", text)
    assert chart and re.search(r"mailboxfull\s+(█+)\s+1\s+33%", text)
    # the auto-reply, the delay and the complaint are not reasons of bounces
    assert "vacation" not in text and "networkerror" not in text and "feedback" not in text
    assert re.search(r"example\.org\s+1\s+userunknown \(100%\)", text)
    assert "Top receiving domains" in text


def test_details_list_one_line_per_recipient(tmp_path: Path) -> None:
    result = invoke("scan", "--no-progress", "--details", str(mixed_mbox(tmp_path)), env=RICH)
    lines = result.output.splitlines()
    row = next(line for line in lines if "ann@example.org" in line)
    assert row.startswith("2026-03-02 09:00") and "hard" in row and "userunknown" in row
    assert "550 5.1.1" in row and "User unknown" in row
    assert any("complaint" in line and "ana.silva@example.net" in line for line in lines)
    assert any("delay" in line and "dave@example.org" in line for line in lines)
    assert not any("lena.vogel" in line for line in lines)  # an auto-reply is no failure


def test_plain_details_are_tab_separated_lines_only(tmp_path: Path) -> None:
    result = invoke("scan", "--details", str(mixed_mbox(tmp_path)))
    lines = result.output.splitlines()
    assert len(lines) == 5  # 3 bounced, 1 delayed, 1 complaint
    assert lines[0].split("\t")[:5] == ["2026-03-02 09:00", "ann@example.org", "hard",
                                        "userunknown", "550 5.1.1"]


def test_piped_text_ends_with_totals(tmp_path: Path) -> None:
    result = invoke("scan", str(mixed_mbox(tmp_path)))
    assert result.exit_code == 0
    tail = result.output[result.output.index("1 file, 7 messages"):]
    assert "recipients: 3 bounced, 2 hard (2 to suppress), 1 soft" in tail
    assert "period: 2026-03-02 09:00 to 2026-03-10 11:00 UTC" in tail
    assert "  userunknown: 2\n" in tail


@pytest.mark.parametrize(("number", "noun", "expected"), [
    (0, "file", "0 files"), (1, "file", "1 file"), (2, "file", "2 files"),
    (1234, "message", "1,234 messages"), (1, "address", "1 address"),
])
def test_plurals(number: int, noun: str, expected: str) -> None:
    plural = "addresses" if noun == "address" else None
    assert count(number, noun, plural) == expected


def test_headline_with_filters_says_what_was_kept() -> None:
    summary = ScanSummary(files=2)
    summary.add(None)
    summary.add(digest(analyze("550 5.1.1 <a@example.org>: user unknown")[0]))
    summary.filtered = True
    assert scan_report.headline(summary) == "2 files, 2 messages read, 1 kept by the filters"


def test_report_is_text_only_with_hostile_strings() -> None:
    """Markup, escapes and controls from bounces print literally (replaces the old
    summary-table test of test_sanitize.py)."""
    finding = Finding(address="[bold]x@example.org\x1b[2J", reply_code="550",
                      diagnostic="[red]User[/red] :smile: \x1b]8;;http://evil.example/\x07u\u202e")
    [sample] = analyze("550 5.1.1 <a@example.org>: user unknown")
    hostile = RecipientReport(finding, sample.recipients[0].diagnosis)
    report = MessageReport(Kind.BOUNCE, (hostile,), source="[link=x]\x1b[1m.eml",
                           date="2026-03-05T14:30:00+00:00")
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, markup=False, emoji=False, color_system=None)
    scan_report.render_scan_summary(console, summarise([report]), details=True)
    text = buffer.getvalue()
    assert "[bold]x@example.org" in text and "[red]User[/red] :smile:" in text
    assert not set(text) & {"\x1b", "\x07", "\u202e"}


def test_ascii_terminal_draws_bars_with_hashes() -> None:
    summary = summarise(analyze("550 5.1.1 <a@example.org>: user unknown"))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    scan_report.render_scan_summary(console, summary, ascii_only=True)
    assert "#" * 40 in buffer.getvalue() and "█" not in buffer.getvalue()


# -- bounded memory --------------------------------------------------------------------------


def _row(n: int, domain: str = "example.org") -> Row:
    return Row("2026-03-05T14:30:00+00:00", f"u{n}@{domain}", domain, "bounce", "userunknown",
               True, True, "550 5.1.1", "", "550 5.1.1 user unknown", "box.mbox")


def test_rows_are_capped_with_a_note() -> None:
    summary = ScanSummary(keep_rows=True, max_rows=10)
    for n in range(25):
        summary.add(Digest("bounce", "2026-03-05T14:30:00+00:00", (_row(n),)))
    assert len(summary.rows) == 10 and summary.rows_cut == 15
    assert summary.hard == 25 and summary.reasons["userunknown"] == 25  # counts are whole
    buffer = io.StringIO()
    scan_report.render_details(Console(file=buffer, width=120, color_system=None), summary)
    assert "15 more recipients not listed" in buffer.getvalue()


def test_rows_are_not_kept_unless_asked() -> None:
    summary = ScanSummary()
    summary.add(Digest("bounce", None, (_row(1),)))
    assert summary.rows == [] and summary.hard == 1


def test_domains_beyond_the_limit_are_counted_together() -> None:
    summary = ScanSummary()
    for n in range(MAX_DOMAINS + 5):
        summary.add(Digest("bounce", None, (_row(n, f"d{n}.example"),)))
    assert len(summary.domains) == MAX_DOMAINS + 1
    assert sum(summary.domains["(other domains)"].values()) == 5
    assert len(summary.top(summary.domains)) == 10


def test_rows_share_their_repeated_values() -> None:
    summary = ScanSummary(keep_rows=True)
    for n in range(3):
        row = _row(n)
        summary.add(Digest("bounce", None, (row._replace(reason="".join(["user", "unknown"])),)))
    first, second = summary.rows[0], summary.rows[1]
    assert first.reason is second.reason and first.source is second.source


def test_period_orders_by_utc_and_survives_the_ends_of_the_calendar() -> None:
    summary = ScanSummary()
    for date in ("2026-03-05T01:00:00+02:00", "2026-03-04T23:30:00+00:00",
                 "0001-01-01T00:00:00+01:00", "not a date"):
        summary.add(Digest("bounce", date, ()))
    assert summary.period == ("2026-03-04T23:00:00+00:00", "2026-03-04T23:30:00+00:00")


# -- progress --------------------------------------------------------------------------------


class _Recorder:
    def __init__(self) -> None:
        self.updates: list[dict[str, object]] = []

    def update(self, task: object, **fields: object) -> None:
        self.updates.append(fields)


def test_progress_counts_bytes_of_a_single_mbox(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    env = Env(stderr=io.StringIO(), environ={})
    bar = progress_bar(env, True, [str(box)])
    assert isinstance(bar, Bar) and bar.total == box.stat().st_size
    bar.close()
    recorder = _Recorder()
    bar.progress = recorder  # type: ignore[assignment]
    bar.advance(str(box), 1000)
    bar.advance(str(box), 500)
    assert recorder.updates[-1] == {"completed": 1500 + MBOX_SEPARATOR_BYTES,
                                    "messages": "2 messages"}
    bar.advance(str(box), 10**9)  # a compressed file holds more than it measures
    assert recorder.updates[-1]["completed"] == box.stat().st_size


def test_progress_of_standard_input_from_a_pipe_counts_messages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("x"))  # no file descriptor: size unknown
    env = Env(stderr=io.StringIO(), environ={})
    bar = progress_bar(env, True, ["-"])
    assert bar is not None and bar.total is None
    bar.close()


def test_progress_can_be_asked_for_a_single_file(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    result = invoke("scan", "--progress", "--format", "jsonl", str(box))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 7
