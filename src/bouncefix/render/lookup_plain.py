"""Plain-text lookup answers (pipes, logs; also the fast path, so no rich here).

Short by default: each code's meaning, whether a pair agrees, the notes, and the first
few provider notes with how many more ``--all`` shows. `full` (``--all``) adds causes,
who acts, the other meanings of a reply code and every provider note in full.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: provider notes shown without --all
SHOWN_PROVIDERS = 3


def render_answers(answers: list[dict[str, Any]], width: int = 88, full: bool = False) -> str:
    """All answers, separated by blank lines."""
    return "\n".join(render_answer(a, width, full) for a in answers)


def render_answer(answer: dict[str, Any], width: int = 88, full: bool = False) -> str:
    """One answer as indented text."""
    if answer["type"] not in ("code", "provider"):
        return _table(answer)
    lines = [answer["query"]]
    reply, status = answer["reply_code"], answer["status"]
    if reply:
        lines.append(f"  reply code {reply['code']} ({reply['class']}): {reply['title']}")
        lines.extend(_wrap(reply["meaning"], width, "    "))
        if full and reply["causes"]:
            lines.extend(_wrap("Typical causes: " + "; ".join(reply["causes"]), width, "    "))
        for other in reply["other_meanings"]:
            text = f"In {other['context']} ({other['source']}): {other['title']}."
            lines.extend(_wrap(text + (f" {other['meaning']}" if full else ""), width, "    "))
    if status:
        where = ", ".join(p for p in (status["class"], status["subject"]) if p)
        lines.append(f"  status {status['code']} ({where}): {status['title']}")
        lines.extend(_wrap(status["meaning"], width, "    "))
        if full and status["causes"]:
            lines.extend(_wrap("Typical causes: " + "; ".join(status["causes"]), width, "    "))
        if full and status["who"]:
            lines.append(f"    Who usually acts: {', '.join(status['who'])}")
    agreement = consistency(answer)
    if agreement:
        lines.append(f"  {agreement}")
    for note in answer["notes"]:
        lines.extend(_wrap(f"note: {note}", width, "  ", "    "))
    lines.extend(_providers(answer, width, full))
    return "\n".join(lines) + "\n"


def _providers(answer: dict[str, Any], width: int, full: bool) -> list[str]:
    entries = answer.get("provider_codes") or []
    if answer["type"] == "provider" and not entries:
        return ["  no provider rule knows this code"]
    shown, more = shown_providers(answer, full)
    lines = [f"  {provider_heading(answer)}:"] if shown else []
    brief = answer["type"] != "provider" and not full
    for entry in shown:
        name = entry["provider_name"]
        if brief:
            lines.extend(_wrap(f"{name}: {entry['title']}", width, "    ", "      "))
            continue
        lines.extend(_wrap(f"{name}: {entry['title']} (reason {entry['reason']})", width,
                           "    ", "      "))
        if entry["cause"]:
            lines.extend(_wrap(entry["cause"], width, "      "))
        if full:
            for number, step in enumerate(entry["fix"], 1):
                lines.extend(_wrap(f"{number}. {step}", width, "      ", "         "))
            if entry["source"]:
                lines.append(f"      Source: {entry['source']}")
    if more:
        lines.append(f"    {more} more: --all")
    return lines


def consistency(answer: dict[str, Any]) -> str | None:
    """'consistent: yes (both permanent)' for a pair of codes; None for one code."""
    reply, status = answer.get("reply_code"), answer.get("status")
    if not reply or not status:
        return None
    if answer["consistent"]:
        return f"consistent: yes (both {reply['class']})"
    return f"consistent: no (reply {reply['class']}, status {status['class']}; see the note)"


def provider_heading(answer: dict[str, Any]) -> str:
    """The heading of the provider notes."""
    if answer["type"] == "provider":
        return "provider rules that know this code"
    return f"providers' own use of {answer['status']['code']}"


def shown_providers(answer: dict[str, Any], full: bool) -> tuple[list[dict[str, Any]], int]:
    """The provider entries to show and how many are left for --all: without `full`, the
    first few, one per provider first."""
    entries = answer.get("provider_codes") or []
    if full or len(entries) <= SHOWN_PROVIDERS:
        return list(entries), 0
    firsts: list[int] = []
    others: list[int] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        (others if entry["provider"] in seen else firsts).append(index)
        seen.add(entry["provider"])
    chosen = sorted((firsts + others)[:SHOWN_PROVIDERS])
    return [entries[i] for i in chosen], len(entries) - len(chosen)


def _table(answer: dict[str, Any]) -> str:
    head = f"{answer['query']}: {answer['title']}"
    if answer["type"] == "search":
        head = f"search {answer['query']!r}: {len(answer['entries'])} entries"
    lines = [head]
    for entry in answer["entries"]:
        lines.append(f"  {entry['code']:<9} {entry['title']}")
    if not answer["entries"]:
        lines.append("  nothing found")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str, hanging: str | None = None) -> list[str]:
    """Greedy word wrap, later lines indented by `hanging` (textwrap would import `re`
    on the fast path)."""
    lines: list[str] = []
    current = indent
    for word in text.split():
        if current.strip() and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = hanging if hanging is not None else indent
        current += (" " if current.strip() else "") + word
    if current.strip():
        lines.append(current)
    return lines
