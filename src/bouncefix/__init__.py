"""bouncefix: explain why an email bounced and what to do about it.

Library use (the same answers as the command line; see bouncefix.api)::

    from bouncefix import analyze
    for report in analyze(open("bounce.eml", "rb").read()):
        for item in report.recipients:
            print(item.finding.address, item.diagnosis.reason.value)

The names below are loaded when first used, so that importing the package (as the
command line does first) stays cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = [
    "Confidence", "Diagnosis", "Failure", "Finding", "InputError", "Kind", "MessageReport",
    "Reason", "RecipientReport", "Skip", "__version__", "add_dns_evidence", "analyze",
    "analyze_bytes", "analyze_paths", "check", "input_files", "lookup", "make_resolver",
    "warm_up",
]

if TYPE_CHECKING:
    from .api import (
        Confidence,
        Diagnosis,
        Failure,
        Finding,
        InputError,
        Kind,
        MessageReport,
        Reason,
        RecipientReport,
        Skip,
        add_dns_evidence,
        analyze,
        analyze_paths,
        check,
        input_files,
        lookup,
        make_resolver,
        warm_up,
    )
    from .api import analyze as analyze_bytes


def __getattr__(name: str) -> object:
    if name in __all__ and name != "__version__":
        from . import api

        return getattr(api, "analyze" if name == "analyze_bytes" else name)
    raise AttributeError(f"module 'bouncefix' has no attribute {name!r}")
