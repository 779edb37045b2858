"""Plain-text lookup answers (pipes, logs; also the fast path, so no rich here)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def render_answers(answers: list[dict[str, Any]], width: int = 88) -> str:
    """All answers, separated by blank lines."""
    return "\n".join(render_answer(a, width) for a in answers)


def render_answer(answer: dict[str, Any], width: int = 88) -> str:
    """One answer as indented text."""
    if answer["type"] not in ("code", "provider"):
        return _table(answer)
    lines = [answer["query"]]
    reply, status = answer["reply_code"], answer["status"]
    if reply:
        lines.append(f"  reply code {reply['code']} ({reply['class']}): {reply['title']}")
        lines.extend(_wrap(reply["meaning"], width, "    "))
        if reply["causes"]:
            lines.extend(_wrap("Typical causes: " + "; ".join(reply["causes"]), width, "    "))
        for other in reply["other_meanings"]:
            lines.extend(_wrap(f"In {other['context']} ({other['source']}): {other['title']}. "
                               f"{other['meaning']}", width, "    "))
    if status:
        where = ", ".join(p for p in (status["class"], status["subject"]) if p)
        lines.append(f"  status {status['code']} ({where}): {status['title']}")
        lines.extend(_wrap(status["meaning"], width, "    "))
        if status["causes"]:
            lines.extend(_wrap("Typical causes: " + "; ".join(status["causes"]), width, "    "))
        if status["who"]:
            lines.append(f"    Who usually acts: {', '.join(status['who'])}")
    for entry in answer.get("provider_codes") or []:
        name = entry["provider_name"] or entry["provider"]
        lines.append(f"  {name}: {entry['title']} (reason {entry['reason']})")
        if entry["cause"]:
            lines.extend(_wrap(entry["cause"], width, "    "))
        for number, step in enumerate(entry["fix"], 1):
            lines.extend(_wrap(f"{number}. {step}", width, "    "))
        if entry["source"]:
            lines.append(f"    Source: {entry['source']}")
    if answer["type"] == "provider" and not answer["provider_codes"]:
        lines.append("  no provider rule knows this code")
    for note in answer["notes"]:
        lines.extend(_wrap(f"note: {note}", width, "  "))
    return "\n".join(lines) + "\n"


def _table(answer: dict[str, Any]) -> str:
    head = answer["query"] if not answer.get("title") else f"{answer['query']}: {answer['title']}"
    if answer["type"] == "search":
        head = f"search {answer['query']!r}: {len(answer['entries'])} entries"
    lines = [head]
    for entry in answer["entries"]:
        lines.append(f"  {entry['code']:<9} {entry['title']}")
    if not answer["entries"]:
        lines.append("  nothing found")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """Greedy word wrap (textwrap would import `re` on the fast path)."""
    lines: list[str] = []
    current = indent
    for word in text.split():
        if current.strip() and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = indent
        current += (" " if current.strip() else "") + word
    if current.strip():
        lines.append(current)
    return lines
