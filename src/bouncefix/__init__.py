"""bouncefix: explain why an email bounced and what to do about it.

Library use::

    from bouncefix import analyze_bytes
    for report in analyze_bytes(open("bounce.eml", "rb").read()):
        for recipient in report.recipients:
            print(recipient.finding.address, recipient.diagnosis.reason.value)
"""

from __future__ import annotations

TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = ["__version__", "analyze_bytes"]

if TYPE_CHECKING:
    from .model import MessageReport


def analyze_bytes(data: bytes) -> list[MessageReport]:
    """Analyse a bounce (a message, a pasted fragment or an mbox) given as bytes."""
    from .analyze import analyze_bytes as run

    return run(data)
