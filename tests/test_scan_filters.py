"""Filters of scan: --reason, --hard/--soft, --domain, --since/--until, --kind. They
work per recipient, apply to every format, and a message with no recipient left is not
output."""

from __future__ import annotations

import csv
import doctest
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

import bouncefix.filters
from bouncefix.api import analyze
from bouncefix.filters import (
    RecipientFilter,
    domain_of,
    parse_date,
    parse_domains,
    parse_kinds,
    parse_reasons,
)
from bouncefix.model import Kind, Reason
from helpers import invoke
from test_scan_report import bounce, mbox, mixed_mbox


def two_recipients() -> bytes:
    """One bounce, two recipients: a hard bounce at example.org, a full mailbox at
    example.com (the Postfix sample)."""
    from paths import SAMPLES

    return (SAMPLES / "postfix" / "unknown-user.eml").read_bytes()


def _jsonl(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = invoke("scan", "--format", "jsonl", "--no-progress", *args)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def _addresses(reports: list[dict[str, object]]) -> list[str]:
    return [r["address"] for report in reports
            for r in report["recipients"]]  # type: ignore[attr-defined]


def test_reason_keeps_only_matching_recipients(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(two_recipients())
    code, reports = _jsonl("--reason", "mailboxfull", str(tmp_path))
    assert code == 0 and _addresses(reports) == ["bob@example.com"]


def test_several_reasons_repeated_or_comma_separated(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    _, one = _jsonl("--reason", "userunknown", "--reason", "mailboxfull", str(box))
    _, two = _jsonl("--reason", "userunknown,mailboxfull", str(box))
    assert _addresses(one) == _addresses(two) == ["ann@example.org", "bob@mail.example.org",
                                                  "cy@example.net"]


def test_unknown_reason_lists_the_valid_ones_and_the_nearest() -> None:
    result = invoke("scan", "--reason", "userunkown", ".")
    assert result.exit_code == 2
    assert "did you mean userunknown?" in result.stderr
    assert "mailboxfull" in result.stderr and "virusdetected" in result.stderr
    with pytest.raises(ValueError, match="did you mean delay"):
        parse_kinds(["delays"])
    assert parse_kinds(["auto_reply", "AUTOREPLY"]) == {Kind.AUTO_REPLY}


def test_hard_and_soft(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(two_recipients())
    _, hard = _jsonl("--hard", str(tmp_path))
    _, soft = _jsonl("--soft", str(tmp_path))
    assert _addresses(hard) == ["jane@example.org"]
    assert _addresses(soft) == ["bob@example.com"]


def test_domain_is_case_insensitive_and_takes_subdomains(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    _, reports = _jsonl("--domain", "EXAMPLE.org", str(box))
    assert _addresses(reports) == ["ann@example.org", "bob@mail.example.org",
                                   "dave@example.org", "lena.vogel@example.org"]
    _, exact = _jsonl("--domain", "mail.example.org", str(box))
    assert _addresses(exact) == ["bob@mail.example.org"]
    _, none = _jsonl("--domain", "ample.org", str(box))  # a suffix is not a subdomain
    assert none == []


def test_idn_domains_match_in_either_spelling() -> None:
    assert domain_of("x@Bücher.Example") == "xn--bcher-kva.example"
    assert parse_domains(["bücher.example"]) == ("xn--bcher-kva.example",)
    with pytest.raises(ValueError, match="not a domain"):
        parse_domains(["a b"])


def test_since_and_until_by_day_and_iso(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    _, day = _jsonl("--since", "2026-03-04", "--until", "2026-03-04", "--kind", "bounce",
                    str(box))
    assert _addresses(day) == ["cy@example.net"]
    # 2026-03-05 14:30 +01:00 is 13:30 UTC
    _, moment = _jsonl("--since", "2026-03-05T13:30Z", "--kind", "bounce", str(box))
    assert _addresses(moment) == ["bob@mail.example.org"]
    _, before = _jsonl("--until", "2026-03-05T13:29:59+00:00", "--kind", "bounce", str(box))
    assert _addresses(before) == ["ann@example.org", "cy@example.net"]


def test_dates_are_checked() -> None:
    result = invoke("scan", "--since", "yesterday", ".")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = invoke("scan", "--since", "2026-03-05", "--until", "2026-03-01", ".")
    assert result.exit_code == 2 and "after --until" in result.stderr
    assert parse_date("2026-03-05", end_of_day=True) == datetime(
        2026, 3, 5, 23, 59, 59, 999999, tzinfo=timezone.utc)


def test_a_message_without_a_date_is_left_out_by_a_date_filter(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(b"550 5.1.1 <ann@example.org>: user unknown\n")
    assert _jsonl("--since", "2000-01-01", str(tmp_path)) == (1, [])
    assert _jsonl(str(tmp_path))[0] == 0


def test_kind(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    _, delays = _jsonl("--kind", "delay", str(box))
    assert [r["kind"] for r in delays] == ["delay"]
    _, plain = _jsonl("--kind", "not-bounce", str(box))  # messages that have no recipient
    assert [r["kind"] for r in plain] == ["not-bounce"]
    _, none = _jsonl("--kind", "not-bounce", "--reason", "userunknown", str(box))
    assert none == []


def test_filters_apply_to_csv_and_text_and_exit_1_when_nothing_is_left(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    result = invoke("scan", "--format", "csv", "--hard", str(box))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["address"] for row in rows] == ["ann@example.org", "cy@example.net"]
    text = invoke("scan", "--domain", "example.net", str(box)).stdout
    assert "cy@example.net" in text and "ann@example.org" not in text
    assert "7 messages read, 2 kept by the filters" in text  # cy and the complaint
    nothing = invoke("scan", "--format", "json", "--domain", "nowhere.example", str(box))
    assert nothing.exit_code == 1 and json.loads(nothing.stdout) == []


def test_terminal_report_counts_only_what_was_kept(tmp_path: Path) -> None:
    box = mixed_mbox(tmp_path)
    env = {"BOUNCEFIX_FORCE_RICH": "1", "COLUMNS": "120", "NO_COLOR": "1"}
    text = invoke("scan", "--no-progress", "--reason", "userunknown", str(box), env=env).stdout
    assert "7 messages read, 2 kept by the filters" in text
    assert "2 bounced, 2 hard (2 to suppress), 0 soft" in text
    assert "mailboxfull" not in text
    assert "Counts cover the messages and recipients the filters kept." in text


def test_recipient_filter_as_a_library() -> None:
    [report] = analyze(two_recipients())
    keep = RecipientFilter(reasons=parse_reasons(["userunknown"]))
    kept = keep.apply(report)
    assert kept is not None and [r.finding.address for r in kept.recipients] == [
        "jane@example.org"]
    assert RecipientFilter().apply(report) is report and not RecipientFilter().active
    assert RecipientFilter(reasons=frozenset({Reason.SPEEDING})).apply(report) is None
    assert doctest.testmod(bouncefix.filters).failed == 0


def test_filters_hold_on_an_interrupted_json_scan_too(tmp_path: Path) -> None:
    """A filtered-out message writes nothing, so the JSON array stays well formed."""
    messages = [bounce(f"u{n}@example.org", f"550 5.1.1 <u{n}@example.org>: User unknown",
                       "5.1.1", "Mon, 2 Mar 2026 09:00:00 +0000") for n in range(3)]
    messages.insert(1, two_recipients())
    (tmp_path / "box.mbox").write_bytes(mbox(messages))
    result = invoke("scan", "--format", "json", "--soft", str(tmp_path / "box.mbox"))
    assert [r["address"] for report in json.loads(result.stdout)
            for r in report["recipients"]] == ["bob@example.com"]
