"""The result of a check, and the checks of one target.

DNS checks (``bouncefix.dns``) and the SMTP probes (``bouncefix.smtp``) share this model:
a target is a domain, an IP address, a mail server probed over SMTP (``smtp``) or a
submission server (``submission``, ports 587 and 465).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..sanitize import one_line

Status = Literal["pass", "warn", "fail", "error"]
Kind = Literal["domain", "ip", "smtp", "submission"]

#: Longest summary or detail line kept; DNS data can be long (TXT up to 64 KiB).
LINE_LIMIT = 400


@dataclass(frozen=True)
class Check:
    """One check of one subject (a domain or an IP address).

    `summary` is a self-contained sentence naming its subject, so that it can be quoted
    on its own (see :func:`bouncefix.evidence.evidence_rows`). Every text field is
    sanitised and capped on construction, so a Check is always safe to print.
    """

    name: str
    status: Status
    summary: str
    details: tuple[str, ...] = ()
    subject: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", one_line(self.summary, LINE_LIMIT))
        cleaned = tuple(one_line(line, LINE_LIMIT) for line in self.details)
        object.__setattr__(self, "details", tuple(line for line in cleaned if line))
        object.__setattr__(self, "subject", one_line(self.subject, 300))

    @property
    def failed(self) -> bool:
        """True when the check failed or could not be completed."""
        return self.status in ("fail", "error")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "details": list(self.details),
            "subject": self.subject,
        }


@dataclass(frozen=True)
class TargetReport:
    """Every check of one target given on the command line."""

    target: str
    kind: Kind
    checks: tuple[Check, ...]

    @property
    def failed(self) -> bool:
        """True when some check failed or could not be completed."""
        return any(check.failed for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"target", "kind", "checks": [...]}``."""
        return {
            "target": one_line(self.target, 300),
            "kind": self.kind,
            "checks": [check.to_dict() for check in self.checks],
        }
