"""The HTML report: one self-contained page. Checked structurally with html.parser: no
external resource of any kind, one inline script without src, no event handler
attributes, a Content-Security-Policy that allows exactly the page's own style and
script, and every string from input escaped (hostile strings come back as text, never
as markup). With Chromium installed, the page is also opened headless: the script runs
under the policy and the browser reports no error."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import signal
import subprocess
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bouncefix.api import Finding, Kind, MessageReport, RecipientReport, analyze
from bouncefix.render.formats import OutputFormat, render
from bouncefix.render.html_report import _periods, render_html
from bouncefix.render.scan import Digest, Row, ScanSummary, count, summarise
from helpers import invoke
from hostile_cases import TIME_LIMIT, command, many_messages
from test_scan_report import mixed_mbox

HOSTILE = "</script><img src=x onerror=alert(1)>"
FETCHING_TAGS = {"img", "link", "iframe", "frame", "object", "embed", "base", "form", "audio",
                 "video", "source", "track", "picture", "image", "use", "feimage", "meta-refresh"}
URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "xlink:href",
                  "data", "background", "ping", "manifest"}


class Page(HTMLParser):
    """Everything the structural checks need."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None if tag == self._in else self._in

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in].append(data)
        else:
            self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def hostile_summary() -> ScanSummary:
    """A summary whose every string from input is hostile."""
    [sample] = analyze("550 5.1.1 <a@example.org>: user unknown")
    diagnosis = sample.recipients[0].diagnosis._replace(provider=f"Prov {HOSTILE}")
    items = tuple(RecipientReport(Finding(address=f"{HOSTILE}@example.org", reply_code="550",
                                          diagnostic=f"550 5.1.1 {HOSTILE} \"'&<b>x</b>"),
                                  diagnosis) for _ in range(2))
    report = MessageReport(Kind.BOUNCE, items, source=f"{HOSTILE}.eml",
                           date="2026-03-05T14:30:00+01:00")
    return summarise([report, *analyze("552 5.2.2 <b@example.net>: mailbox full")])


def test_hostile_strings_are_text_never_markup() -> None:
    page = render_html(hostile_summary())
    parsed = parse(page)
    assert HOSTILE not in page and "<b>x</b>" not in page
    text = "".join(parsed.text)
    assert f"{HOSTILE}@example.org" in text and f"Prov {HOSTILE}" in text
    assert f"{HOSTILE} \"'&<b>x</b>" in text
    assert "script><img src=x onerror=alert(1)>.eml" in text  # the file's last part
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("script") == 1 and "img" not in tags
    cards = sum(1 for tag, attrs in parsed.tags if "card" in (attrs.get("class") or "").split())
    assert tags.count("b") == cards  # the totals' own <b>, none from the input
    title = [attrs["title"] for tag, attrs in parsed.tags if tag == "td" and attrs.get("title")]
    assert title == [f"{HOSTILE}.eml"] * 2  # an attribute value, escaped too


def test_nothing_external_and_no_handlers() -> None:
    page = render_html(hostile_summary())
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert tag not in FETCHING_TAGS, tag
        assert not set(attrs) & URL_ATTRIBUTES, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # the policy would refuse it
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            pytest.fail("meta refresh")
    lowered = page.lower()
    for needle in ("http://", "https://", "url(", "@import", "javascript:", "//cdn", "src="):
        assert needle not in lowered.replace("src=x onerror", ""), needle


def test_content_security_policy_allows_only_this_page() -> None:
    page = render_html(hostile_summary())
    parsed = parse(page)
    [policy] = [attrs["content"] for tag, attrs in parsed.tags
                if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None
    rules = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert rules["default-src"] == "'none'" and rules["img-src"] == "'none'"
    assert rules["base-uri"] == "'none'" and rules["form-action"] == "'none'"
    for kind in ("script", "style"):
        [body] = parsed.raw[kind]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert rules[f"{kind}-src"] == f"'sha256-{digest}'"
    [script] = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert script == {}  # no src, no type


def test_page_parts() -> None:
    summary = hostile_summary()
    moment = datetime(2026, 3, 6, 12, 0, tzinfo=timezone.utc)
    text = "".join(parse(render_html(summary, generated=moment)).text)
    for part in ("Bounce report", "Messages", "Recipients of bounces", "Reasons",
                 "Bounces per day", "Top receiving domains", "Top providers", "Recipients",
                 "2026-03-06 12:00 UTC", "userunknown", "mailboxfull"):
        assert part in text, part
    svgs = [attrs for tag, attrs in parse(render_html(summary)).tags if tag == "svg"]
    assert len(svgs) == 2 and all(attrs.get("role") == "img" for attrs in svgs)


def test_ascii_only_page_is_ascii() -> None:
    [report] = analyze("550 5.1.1 <jürgen@bücher.example>: Benutzer unbekannt — ユーザー不明")
    page = render_html(summarise([report]), ascii_only=True)
    assert page.isascii() and "&#12518;" in page  # ユ
    assert "ユーザー不明" in "".join(parse(page).text)


def test_rows_beyond_the_limit_are_noted() -> None:
    summary = ScanSummary(keep_rows=True, max_rows=3)
    row = Row("2026-03-05T14:30:00+00:00", "u@example.org", "example.org", "bounce",
              "userunknown", True, True, "550 5.1.1", "", "user unknown", "box.mbox")
    for _ in range(5):
        summary.add(Digest("bounce", row.date, (row,)))
    parsed = parse(render_html(summary))
    # the domains table (a heading and one row), the recipients (a heading and 3 rows)
    assert sum(1 for tag, _ in parsed.tags if tag == "tr") == 2 + 4
    assert "2 more were left out" in "".join(parsed.text)


def test_time_chart_unit_follows_the_period() -> None:
    def unit(days: list[str]) -> tuple[str, int]:
        summary = ScanSummary()
        summary.days.update({day: 1 for day in days})
        periods, name = _periods(summary)
        assert sum(value for _, value in periods) == len(days)
        return name, len(periods)

    assert unit(["2026-03-01", "2026-03-05"]) == ("day", 5)
    assert unit(["2026-01-01", "2026-12-31"]) == ("week", 53)
    assert unit(["2016-01-01", "2024-06-30"]) == ("month", 102)
    assert unit(["1995-04-29", "2024-06-26"]) == ("year", 30)
    assert unit(["0001-01-01", "9999-12-31"]) == ("84 years", 120)
    assert unit(["9999-12-30", "9999-12-31"]) == ("day", 2)


def test_scan_writes_the_page(tmp_path: Path) -> None:
    result = invoke("scan", "--format", "html", str(mixed_mbox(tmp_path)))
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")
    text = "".join(parse(result.stdout).text)
    assert "ann@example.org" in text and "1 file, 7 messages" in text
    assert render(OutputFormat.HTML, []).startswith("<!DOCTYPE html>")


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="needs Chromium (Debian package chromium)")
def test_chromium_runs_the_script_under_the_policy(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(hostile_summary()), encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    result = subprocess.run(
        [str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", f"--user-data-dir={tmp_path}/profile", "--virtual-time-budget=2000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    dom = parse(result.stdout)
    [controls] = [attrs for tag, attrs in dom.tags if attrs.get("id") == "controls"]
    assert "hidden" not in controls, "the inline script did not run"
    complaints = [line for line in result.stderr.splitlines()
                  if "Content Security Policy" in line or "Uncaught" in line]
    assert not complaints, complaints


def _stop_midway(args: list[str], tmp_path: Path, sig: int) -> tuple[int, bytes, str]:
    """Start the CLI on 30,000 messages, signal it after two seconds, return (exit code,
    stdout, stderr)."""
    box = tmp_path / "big.mbox"
    box.write_bytes(many_messages(30_000))
    out = tmp_path / "out"
    with open(out, "wb") as handle:
        process = subprocess.Popen([*command(), *args, str(box)], stdout=handle,
                                   stderr=subprocess.PIPE)
        time.sleep(2.0)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=TIME_LIMIT)
    return process.returncode, out.read_bytes(), stderr.decode()


def test_a_stopped_scan_still_writes_a_whole_page(tmp_path: Path) -> None:
    code, stdout, stderr = _stop_midway(["scan", "--format", "html", "--jobs", "1"], tmp_path,
                                        signal.SIGTERM)
    assert code == 143 and "Traceback" not in stderr
    page = stdout.decode()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    stopped = re.search(r"stopped after ([\d,]+) messages?", stderr)
    assert stopped, stderr
    read = int(stopped.group(1).replace(",", ""))
    assert read < 30_000
    assert f"1 file, {count(read, 'message')}" in "".join(parse(page).text)
