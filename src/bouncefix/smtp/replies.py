"""A server's reply explained by the same rules as a bounce.

The reply is handed to :func:`bouncefix.api.analyze` in the words a Postfix bounce
would use (``host H[A] said: REPLY (in reply to RCPT TO command)``), so that the rules
see the remote host and the SMTP stage as they do in a real bounce, and the diagnosis
(reason, title, cause, fix steps) is the one ``bouncefix explain`` would give.
"""

from __future__ import annotations

from dataclasses import dataclass

from .session import Reply

#: The SMTP stage a command answers, as Postfix names it in a bounce (the greeting is
#: CONNECT, the stage the rules know it by).
STAGES = {"CONNECT": "CONNECT", "EHLO": "EHLO", "HELO": "HELO", "STARTTLS": "STARTTLS",
          "MAIL": "MAIL FROM", "RCPT": "RCPT TO", "AUTH": "AUTH"}
MAX_STEPS = 5


@dataclass(frozen=True)
class Explanation:
    """The diagnosis of one reply, as detail lines for a Check."""

    reason: str
    title: str
    lines: tuple[str, ...]


def explain(reply: Reply, host: str, address: str, command: str) -> Explanation:
    """Diagnose `reply`, given by `host` (at `address`) to `command` (a key of STAGES)."""
    from ..api import analyze

    stage = STAGES.get(command, command)
    text = f"host {host}[{address}] said: {reply.joined()} (in reply to {stage} command)"
    lines = [f"server said: {reply.joined()}"]
    try:
        reports = analyze(text)
    except ValueError:
        reports = []
    items = [item for report in reports for item in report.recipients]
    if not items:
        return Explanation("undefined", "", tuple(lines))
    diagnosis = items[0].diagnosis
    title = diagnosis.title or diagnosis.reason.value
    lines.append(f"meaning: {title} ({diagnosis.reason.value})")
    if diagnosis.cause:
        lines.append(f"cause: {diagnosis.cause}")
    lines += [f"fix {index}: {step}" for index, step in
              enumerate(diagnosis.fix[:MAX_STEPS], start=1)]
    if diagnosis.who:
        lines.append(f"who acts: {', '.join(diagnosis.who)}")
    return Explanation(diagnosis.reason.value, title, tuple(lines))
