"""Lookup answers for a terminal: a panel per code, a table per subject or search."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

_CLASS_STYLE = {"permanent": "red", "transient": "yellow", "success": "green"}


def render_answers(console: Console, answers: list[dict[str, Any]]) -> None:
    """Print every answer."""
    for answer in answers:
        console.print(_table(answer) if answer["type"] not in ("code", "provider")
                      else _panel(answer))


def _panel(answer: dict[str, Any]) -> Panel:
    body: list[Text] = []
    reply, status = answer["reply_code"], answer["status"]
    if reply:
        body.append(_heading(f"Reply {reply['code']}", reply["class"], reply["title"]))
        body.append(Text(reply["meaning"]))
        if reply["causes"]:
            body.append(Text("Typical causes: " + "; ".join(reply["causes"]), style="dim"))
        for other in reply["other_meanings"]:
            body.append(Text(f"In {other['context']}: {other['title']}. {other['meaning']}",
                             style="dim"))
    if status:
        if body:
            body.append(Text(""))
        subject = f" · {status['subject']}" if status["subject"] else ""
        body.append(_heading(f"Status {status['code']}", status["class"],
                             status["title"] + subject))
        body.append(Text(status["meaning"]))
        if status["causes"]:
            body.append(Text("Typical causes: " + "; ".join(status["causes"]), style="dim"))
        if status["who"]:
            body.append(Text("Who usually acts: " + ", ".join(status["who"]), style="dim"))
    for entry in answer.get("provider_codes") or []:
        if body:
            body.append(Text(""))
        heading = Text()
        heading.append(f"{entry['provider_name'] or entry['provider']}: ", style="bold")
        heading.append(f"{entry['title']} ", style="bold")
        heading.append(f"({entry['reason']})", style="dim")
        body.append(heading)
        if entry["cause"]:
            body.append(Text(entry["cause"]))
        body.extend(Text(f" {n}. {step}") for n, step in enumerate(entry["fix"], 1))
        if entry["source"]:
            body.append(Text(f"Source: {entry['source']}", style="dim"))
    if answer["type"] == "provider" and not answer["provider_codes"]:
        body.append(Text("No provider rule knows this code.", style="dim"))
    for note in answer["notes"]:
        body.append(Text(f"! {note}", style="bold yellow"))
    border = "red" if not answer["consistent"] else "blue"
    return Panel(Group(*body), title=Text(answer["query"]), title_align="left",
                 border_style=border)


def _heading(label: str, klass: str, title: str) -> Text:
    text = Text()
    text.append(label, style="bold")
    text.append(f" ({klass}) ", style=_CLASS_STYLE.get(klass, ""))
    text.append(title, style="bold")
    return text


def _table(answer: dict[str, Any]) -> Table:
    title = answer["query"] if not answer.get("title") else f"{answer['query']}: {answer['title']}"
    table = Table(title=Text(title), title_justify="left", show_lines=False)
    table.add_column("code", no_wrap=True)
    table.add_column("title")
    table.add_column("meaning", ratio=2)
    for entry in answer["entries"]:
        table.add_row(Text(entry["code"]), Text(entry["title"]), Text(entry["meaning"]))
    if not answer["entries"]:
        table.add_row(Text("-"), Text("nothing found"), Text(""))
    return table
