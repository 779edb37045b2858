"""Lookup answers for a terminal: a panel per code, a table per subject or search.

The same content as the plain text (lookup_plain.py), short unless `full` (``--all``).
Everything is printed as Text, never as markup: a search's words come from the user.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .lookup_plain import consistency, provider_heading, shown_providers

_CLASS_STYLE = {"permanent": "red", "transient": "yellow", "success": "green"}


def render_answers(console: Console, answers: list[dict[str, Any]], full: bool = False) -> None:
    """Print every answer."""
    for answer in answers:
        console.print(_table(answer) if answer["type"] not in ("code", "provider")
                      else _panel(answer, full))


def _panel(answer: dict[str, Any], full: bool) -> Panel:
    body: list[RenderableType] = []
    reply, status = answer["reply_code"], answer["status"]
    if reply:
        body.append(_heading(f"Reply {reply['code']}", reply["class"], reply["title"]))
        body.append(Text(reply["meaning"]))
        if full and reply["causes"]:
            body.append(Text("Typical causes: " + "; ".join(reply["causes"]), style="dim"))
        for other in reply["other_meanings"]:
            text = f"In {other['context']}: {other['title']}."
            body.append(Text(text + (f" {other['meaning']}" if full else ""), style="dim"))
    if status:
        if body:
            body.append(Text(""))
        subject = f" · {status['subject']}" if status["subject"] else ""
        body.append(_heading(f"Status {status['code']}", status["class"],
                             status["title"] + subject))
        body.append(Text(status["meaning"]))
        if full and status["causes"]:
            body.append(Text("Typical causes: " + "; ".join(status["causes"]), style="dim"))
        if full and status["who"]:
            body.append(Text("Who usually acts: " + ", ".join(status["who"]), style="dim"))
    agreement = consistency(answer)
    if agreement:
        body.append(Text(""))
        body.append(Text(agreement, style="bold" if answer["consistent"] else "bold red"))
    for note in answer["notes"]:
        body.append(Text(f"! {note}", style="bold yellow"))
    body.extend(_providers(answer, full, bool(body)))
    border = "red" if not answer["consistent"] else "blue"
    return Panel(Group(*body), title=Text(answer["query"]), title_align="left",
                 border_style=border)


def _providers(answer: dict[str, Any], full: bool, after: bool) -> list[RenderableType]:
    if answer["type"] == "provider" and not answer["provider_codes"]:
        return [Text("No provider rule knows this code.", style="dim")]
    shown, more = shown_providers(answer, full)
    if not shown:
        return []
    body: list[RenderableType] = [Text("")] if after else []
    body.append(Text(provider_heading(answer)[:1].upper() + provider_heading(answer)[1:],
                     style="bold"))
    brief = answer["type"] != "provider" and not full
    for entry in shown:
        heading = Text(" ")
        heading.append(f"{entry['provider_name']}: ", style="bold")
        heading.append(entry["title"])
        if not brief:
            heading.append(f" ({entry['reason']})", style="dim")
        body.append(heading)
        if brief:
            continue
        if entry["cause"]:
            body.append(_indented(Text(entry["cause"])))
        if full:
            body.extend(_indented(Text(f"{n}. {step}")) for n, step in enumerate(entry["fix"], 1))
            if entry["source"]:
                body.append(_indented(Text(f"Source: {entry['source']}", style="dim")))
    if more:
        body.append(Text(f" {more} more: --all", style="dim"))
    return body


def _indented(text: Text) -> Padding:
    return Padding(text, (0, 0, 0, 3))


def _heading(label: str, klass: str, title: str) -> Text:
    text = Text()
    text.append(label, style="bold")
    text.append(f" ({klass}) ", style=_CLASS_STYLE.get(klass, ""))
    text.append(title, style="bold")
    return text


def _table(answer: dict[str, Any]) -> Table:
    title = f"{answer['query']}: {answer['title']}"
    if answer["type"] == "search":
        title = f"search {answer['query']!r}: {len(answer['entries'])} entries"
    table = Table(title=Text(title), title_justify="left", show_lines=False)
    table.add_column("code", no_wrap=True)
    table.add_column("title")
    table.add_column("meaning", ratio=2)
    for entry in answer["entries"]:
        table.add_row(Text(entry["code"]), Text(entry["title"]), Text(entry["meaning"]))
    if not answer["entries"]:
        table.add_row(Text("-"), Text("nothing found"), Text(""))
    return table
