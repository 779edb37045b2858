"""The HTML report of a scan (``scan --format html > report.html``): one self-contained
page to open in a browser or attach to a ticket.

No external resource of any kind (no stylesheet, script, font or image is fetched), so
the page works offline and tells no one it was opened. It holds the totals, two inline
SVG charts (reasons, and bounces per day), the receiving domains and providers that
bounced most, and a table of recipients that a little inline script sorts (click a
column heading) and filters (text, type, reason). The table holds at most the rows the
summary kept (render/scan.py MAX_ROWS), with a note when some were cut.

Every string from input is escaped with ``html.escape`` (after the sanitiser has
removed control characters); nothing from input is ever placed inside the script or
the style. A Content-Security-Policy meta tag allows only this page's own style and
script (by their SHA-256 hashes): even an escaping mistake could not run a script or
load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from .. import __version__
from ..model import HARD_REASONS
from .scan import Row, ScanSummary, count
from .scan_report import KIND_WORDS, period_text, short_date

_HARD = {reason.value for reason in HARD_REASONS}
TOP = 15
#: bars of the reasons chart (the rest are one bar)
TOP_REASONS = 16
#: bars of the time chart at most: a longer period is drawn by week, month or year
MAX_BARS = 120

_STYLE = """
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5c6773; --line: #d8dee4;
  --card: #f6f8fa; --hard: #c0392b; --soft: #d68910; --day: #2e86c1; --bg: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9aa7b4; --line: #30363d; --card: #161b22; --bg: #0d1117; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px; color: var(--fg);
  background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.sub, .note, figcaption, .muted { color: var(--muted); }
.note { margin: 8px 0; }
.totals { display: flex; flex-wrap: wrap; gap: 12px 32px; margin-top: 18px; }
.totals h3 { font-size: 13px; font-weight: 600; color: var(--muted); margin: 0 0 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { min-width: 96px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.card b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.card.hard b { color: var(--hard); } .card.soft b { color: var(--soft); }
.charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
.tops { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
@media (max-width: 900px) { .charts, .tops { grid-template-columns: minmax(0, 1fr); } }
figure { margin: 0; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); }
svg .bar { fill: var(--soft); } svg .bar.hard { fill: var(--hard); }
svg .bar.day { fill: var(--day); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.tops td:first-child { overflow-wrap: anywhere; }
#recipients { font-size: 13px; }
#recipients td { overflow-wrap: anywhere; }
#recipients td.address { min-width: 14em; }
#recipients td.words { color: var(--muted); }
#recipients td.file { font-size: 12px; color: var(--muted); max-width: 15em;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#recipients td.provider { min-width: 8em; }
#recipients td.nowrap, #recipients th { white-space: nowrap; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0;
  padding: 0; cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
.tag { display: inline-block; white-space: nowrap; padding: 0 6px; border-radius: 4px; font-size: 12px;
  color: #fff; background: var(--soft); }
.tag.hard, .tag.complaint { background: var(--hard); }
.tag.delay { background: var(--day); }
.controls[hidden] { display: none; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 8px 0; }
.controls input, .controls select { font: inherit; padding: 4px 6px; color: inherit;
  background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
.controls input { min-width: 260px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("recipients");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row) { row.searchText = row.textContent.toLowerCase(); });
  var query = document.getElementById("q");
  var type = document.getElementById("type");
  var reason = document.getElementById("reason");
  var shown = document.getElementById("shown");
  document.getElementById("controls").hidden = false;
  function apply() {
    var q = query.value.trim().toLowerCase(), t = type.value, r = reason.value, n = 0;
    rows.forEach(function (row) {
      var keep = (!t || row.getAttribute("data-type") === t) &&
        (!r || row.getAttribute("data-reason") === r) &&
        (!q || row.searchText.indexOf(q) !== -1);
      row.hidden = !keep;
      if (keep) { n += 1; }
    });
    shown.textContent = n.toLocaleString("en");
  }
  query.addEventListener("input", apply);
  type.addEventListener("change", apply);
  reason.addEventListener("change", apply);
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    th.querySelector("button").addEventListener("click", function () {
      var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        return direction * (x < y ? -1 : x > y ? 1 : 0);
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
    });
  });
}());
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: only this page's own style and script; nothing fetched, no form, no base URL
CSP = (f"default-src 'none'; style-src {_hash(_STYLE)}; script-src {_hash(_SCRIPT)}; "
       "img-src 'none'; base-uri 'none'; form-action 'none'")


def _e(value: object) -> str:
    """Escaped for HTML text and attribute values."""
    return html.escape(str(value), quote=True)


def render_html(summary: ScanSummary, ascii_only: bool = False,
                generated: datetime | None = None) -> str:
    """The whole page as one text."""
    return "".join(html_chunks(summary, ascii_only, generated))


def html_chunks(summary: ScanSummary, ascii_only: bool = False,
                generated: datetime | None = None) -> Iterator[str]:
    """The page in pieces (the table a few hundred rows at a time), so that writing it
    costs no more memory than the summary holds. `ascii_only`: every other character
    as an HTML character reference."""
    for chunk in _page(summary, generated):
        yield chunk.encode("ascii", "xmlcharrefreplace").decode("ascii") if ascii_only \
            else chunk


def _page(summary: ScanSummary, generated: datetime | None) -> Iterator[str]:
    moment = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    title = f"Bounce report: {count(summary.messages, 'message')}"
    yield "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_e(CSP)}\">\n",
        "<meta name=\"referrer\" content=\"no-referrer\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
        _header(summary),
        _cards(summary),
        "<section class=\"charts\">\n", _reasons_figure(summary), _days_figure(summary),
        "</section>\n",
        "<section class=\"tops\">\n",
        _top_table("Top receiving domains", "domain", summary.top(summary.domains, TOP),
                   _unnamed_note(summary)),
        _top_table("Top providers", "provider", summary.top(summary.providers, TOP)),
        "</section>\n",
    ])
    yield from _recipients(summary)
    yield (f"<footer>Made by bouncefix {_e(__version__)} on {_e(moment)}. Reasons, domains "
           "and providers count the recipients of bounces; days count bounces (UTC).</footer>\n"
           f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")


def _header(summary: ScanSummary) -> str:
    from .scan_report import headline

    line = headline(summary)
    period = period_text(summary)
    if period:
        line += f" · {period}"
    out = f"<header>\n<h1>Bounce report</h1>\n<p class=\"sub\">{_e(line)}</p>\n"
    if summary.filtered:
        out += ("<p class=\"note\">Counts cover the messages and recipients the filters "
                "kept.</p>\n")
    return out + "</header>\n"


def _cards(summary: ScanSummary) -> str:
    messages = []
    for kind, one, many in KIND_WORDS:
        number = summary.kinds.get(kind, 0)
        if number or kind in ("bounce", "delay", "auto-reply", "not-bounce"):
            messages.append(("", number, one if number == 1 else many))
    recipients = [("", summary.recipients, "bounced"), ("hard", summary.hard, "hard"),
                  ("soft", summary.soft, "soft"), ("hard", summary.suppress, "to suppress")]
    out = []
    for title, cards in (("Messages", messages), ("Recipients of bounces", recipients)):
        body = "".join(f"<div class=\"card {css}\"><b>{number:,}</b>{_e(label)}</div>"
                       for css, number, label in cards)
        out.append(f"<div class=\"group\"><h3>{_e(title)}</h3><div class=\"cards\">{body}"
                   "</div></div>")
    return f"<section class=\"totals\">{''.join(out)}</section>\n"


def _reasons_figure(summary: ScanSummary) -> str:
    items = sorted(summary.reasons.items(), key=lambda pair: (-pair[1], pair[0]))
    head = "<figure>\n<h2>Reasons</h2>\n"
    if not items:
        return head + "<p class=\"muted\">No bounced recipient.</p>\n</figure>\n"
    total = sum(n for _, n in items)
    if len(items) > TOP_REASONS:
        rest = items[TOP_REASONS - 1:]
        items = [*items[:TOP_REASONS - 1],
                 (f"{len(rest)} other reasons", sum(n for _, n in rest))]
    largest = items[0][1]
    width, label_width, bar_height, gap = 560, 130, 18, 6
    plot = width - label_width - 90
    height = len(items) * (bar_height + gap) + gap
    bars = []
    for number, (reason, value) in enumerate(items):
        y = gap + number * (bar_height + gap)
        length = max(2.0, plot * value / largest)
        css = "bar hard" if reason in _HARD else "bar"
        share = f"{100 * value / total:.0f}%"
        bars.append(
            f"<g><title>{_e(reason)}: {value:,} ({share})</title>"
            f"<text x=\"{label_width - 8}\" y=\"{y + 13}\" text-anchor=\"end\">{_e(reason)}</text>"
            f"<rect x=\"{label_width}\" y=\"{y}\" width=\"{length:.1f}\" height=\"{bar_height}\" "
            f"rx=\"2\" class=\"{css}\"></rect>"
            f"<text x=\"{label_width + length + 6:.1f}\" y=\"{y + 13}\">{value:,} "
            f"<tspan class=\"axis\">{share}</tspan></text></g>")
    svg = (f"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" "
           f"aria-label=\"Recipients of bounces by reason\">{''.join(bars)}</svg>\n")
    caption = ("<figcaption>Recipients of bounces by reason; red: the address is bad (hard)."
               "</figcaption>\n")
    return head + svg + caption + "</figure>\n"


def _periods(summary: ScanSummary) -> tuple[list[tuple[str, int]], str]:
    """(label, bounces) per day from the first dated bounce to the last; per week,
    month or year when there would be more than MAX_BARS days (weeks, months); and
    the unit."""
    dated: dict[date, int] = {}
    for key, value in summary.days.items():
        try:
            dated[date.fromisoformat(key)] = value
        except ValueError:
            continue
    if not dated:
        return [], "day"
    first, last = min(dated), max(dated)
    for unit in (*_UNITS, _years(first, last)):
        steps = _steps(unit, first, last)
        if steps is not None:
            break
    else:  # pragma: no cover - _years always fits
        return [], "day"
    index = {moment: n for n, moment in enumerate(steps)}
    values = [0] * len(steps)
    for day, value in dated.items():
        values[index[unit.start(day)]] += value
    return [(unit.label(m), v) for m, v in zip(steps, values, strict=True)], unit.name


class _Unit(NamedTuple):
    name: str
    start: Callable[[date], date]  #: the first day of the unit holding a day
    following: Callable[[date], date]  #: the first day of the next unit
    label: Callable[[date], str]


def _steps(unit: _Unit, first: date, last: date) -> list[date] | None:
    """The units from `first` to `last`, or None when there are more than MAX_BARS."""
    steps: list[date] = []
    moment, end = unit.start(first), unit.start(last)
    while moment <= end:
        if len(steps) == MAX_BARS:
            return None
        steps.append(moment)
        following = unit.following(moment)
        if following <= moment:  # the end of the calendar
            break
        moment = following
    return steps


def _plus(day: date, days: int) -> date:
    """`day` plus `days`; `day` itself at the end of the calendar."""
    return day + timedelta(days=days) if day <= date.max - timedelta(days=days) else day


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1) if day < date(9999, 12, 1) \
        else day


def _years(first: date, last: date) -> _Unit:
    """Spans of as many years as it takes to draw first..last in MAX_BARS bars."""
    size = -(-(last.year - first.year + 1) // MAX_BARS)
    base = first.year

    def start(day: date) -> date:
        return date(base + (day.year - base) // size * size, 1, 1)

    def following(day: date) -> date:
        return date(min(day.year + size, 9999), 1, 1)

    return _Unit(f"{size} years" if size > 1 else "year", start, following,
                 lambda d: str(d.year))


_UNITS = (
    _Unit("day", lambda d: d, lambda d: _plus(d, 1), date.isoformat),
    _Unit("week", lambda d: d - timedelta(days=d.weekday()), lambda d: _plus(d, 7),
          lambda d: f"week of {d.isoformat()}"),
    _Unit("month", lambda d: d.replace(day=1), _month_after, lambda d: d.isoformat()[:7]),
)


def _days_figure(summary: ScanSummary) -> str:
    days, unit = _periods(summary)
    head = f"<figure>\n<h2>Bounces per {_e(unit)}</h2>\n"
    if not days:
        return head + "<p class=\"muted\">No dated bounce.</p>\n</figure>\n"
    width, height, left, bottom, top = 560, 240, 44, 28, 12
    plot_width, plot_height = width - left - 8, height - bottom - top
    largest = max(value for _, value in days) or 1
    slot = plot_width / len(days)
    bar = max(1.0, slot * 0.8)
    parts = [f"<line class=\"grid\" x1=\"{left}\" x2=\"{width - 8}\" y1=\"{top + plot_height}\" "
             f"y2=\"{top + plot_height}\"></line>",
             f"<line class=\"grid\" x1=\"{left}\" x2=\"{width - 8}\" y1=\"{top}\" y2=\"{top}\">"
             "</line>",
             f"<text class=\"axis\" x=\"{left - 6}\" y=\"{top + 4}\" text-anchor=\"end\">"
             f"{largest:,}</text>",
             f"<text class=\"axis\" x=\"{left - 6}\" y=\"{top + plot_height + 4}\" "
             "text-anchor=\"end\">0</text>"]
    for number, (label, value) in enumerate(days):
        bar_height = plot_height * value / largest
        x = left + number * slot + (slot - bar) / 2
        parts.append(f"<g><title>{_e(label)}: {count(value, 'bounce')}</title>"
                     f"<rect x=\"{x:.1f}\" y=\"{top + plot_height - bar_height:.1f}\" "
                     f"width=\"{bar:.1f}\" height=\"{max(bar_height, 0.5):.1f}\" "
                     "class=\"bar day\"></rect></g>")
    labels = {0: "start", len(days) - 1: "end"}
    if len(days) > 4:
        labels[len(days) // 2] = "middle"
    for index, where in labels.items():
        x = left + index * slot + slot / 2
        anchor = {"start": "start", "end": "end"}.get(where, "middle")
        x = left if where == "start" else (width - 8 if where == "end" else x)
        parts.append(f"<text class=\"axis\" x=\"{x:.1f}\" y=\"{height - 8}\" "
                     f"text-anchor=\"{anchor}\">{_e(days[index][0])}</text>")
    svg = (f"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" "
           f"aria-label=\"Bounces per {_e(unit)}\">{''.join(parts)}</svg>\n")
    return head + svg + "<figcaption>By the bounces' own dates, in UTC.</figcaption>\n</figure>\n"


def _unnamed_note(summary: ScanSummary) -> str:
    if not summary.unnamed:
        return ""
    return (f"<p class=\"note\">{count(summary.unnamed, 'bounced recipient')} not named by "
            "the bounce.</p>\n")


def _top_table(title: str, noun: str, top: list[tuple[str, int, str, int]],
               note: str = "") -> str:
    head = f"<div>\n<h2>{_e(title)}</h2>\n"
    if not top:
        return head + f"<p class=\"muted\">No {_e(noun)} to show.</p>\n{note}</div>\n"
    rows = "".join(
        f"<tr><td>{_e(name)}</td><td class=\"n\">{total:,}</td>"
        f"<td>{_e(reason)} <span class=\"muted\">({100 * most / total:.0f}%)</span></td></tr>"
        for name, total, reason, most in top)
    return (head + f"<table><thead><tr><th>{_e(noun)}</th><th class=\"n\">bounces</th>"
            f"<th>main reason</th></tr></thead><tbody>{rows}</tbody></table>\n{note}</div>\n")


_ROWS_PER_CHUNK = 500
_NOT_NAMED = "<span class=\"muted\">(not named)</span>"
_COLUMNS = ("date", "address", "type", "reason", "code", "provider", "server said", "file")


def _type(row: Row) -> str:
    if row.kind == "bounce":
        return "hard" if row.hard else "soft"
    return "complaint" if row.kind == "feedback" else row.kind


def _recipients(summary: ScanSummary) -> Iterator[str]:
    rows = summary.rows
    head = "<section>\n<h2>Recipients</h2>\n"
    if not rows:
        yield head + "<p class=\"muted\">No recipient to list.</p>\n</section>\n"
        return
    reasons = sorted({row.reason for row in rows})
    types = [t for t in ("hard", "soft", "delay", "complaint") if any(_type(r) == t for r in rows)]
    controls = (
        "<div class=\"controls\" id=\"controls\" hidden>"
        "<input id=\"q\" type=\"search\" placeholder=\"Filter: address, domain, words...\" "
        "aria-label=\"Filter the recipients\">"
        "<select id=\"type\" aria-label=\"Type\"><option value=\"\">every type</option>"
        + "".join(f"<option>{_e(t)}</option>" for t in types) + "</select>"
        "<select id=\"reason\" aria-label=\"Reason\"><option value=\"\">every reason</option>"
        + "".join(f"<option>{_e(r)}</option>" for r in reasons) + "</select>"
        f"<span class=\"muted\"><span id=\"shown\">{len(rows):,}</span> of {len(rows):,} shown"
        "</span></div>\n")
    note = ""
    if summary.rows_cut:
        note = (f"<p class=\"note\">The first {len(rows):,} recipients are listed; "
                f"{summary.rows_cut:,} more were left out (the report keeps at most "
                f"{summary.max_rows:,}; <code>--format csv</code> lists every one).</p>\n")
    heads = "".join(f"<th><button type=\"button\">{_e(c)}</button></th>" for c in _COLUMNS)
    yield (head + controls + note + f"<table id=\"recipients\"><thead><tr>{heads}</tr></thead>"
           "<tbody>\n")
    for start in range(0, len(rows), _ROWS_PER_CHUNK):
        yield "".join(_row(row) for row in rows[start:start + _ROWS_PER_CHUNK])
    yield "</tbody></table>\n</section>\n"


def _row(row: Row) -> str:
    kind = _type(row)
    return (f"<tr data-type=\"{_e(kind)}\" data-reason=\"{_e(row.reason)}\">"
            f"<td class=\"nowrap\">{_e(short_date(row.date))}</td>"
            f"<td class=\"address\">{_e(row.address) or _NOT_NAMED}</td>"
            f"<td><span class=\"tag {_e(kind)}\">{_e(kind)}</span></td>"
            f"<td class=\"nowrap\">{_e(row.reason)}</td><td class=\"nowrap\">{_e(row.code)}</td>"
            f"<td class=\"provider\">{_e(row.provider)}</td><td class=\"words\">{_e(row.words)}</td>"
            f"<td class=\"file\" title=\"{_e(row.source)}\">{_e(_base(row.source))}</td></tr>\n")


def _base(name: str) -> str:
    """The last part of a path (the table's file column; the whole path is its title)."""
    return name.rstrip("/").rpartition("/")[2] or name
