"""A rule's enhanced-status patterns: 'X' and '*' stand for one part, a final '*' for
the rest, 'none' for no code at all."""

from __future__ import annotations

import pytest

from bouncefix.rules.conditions import status_fits

PATTERNS = ["5.1.1", "X.1.1", "5.7.*", "X.7", "none", "*", "5.*", "X.*", "4.X.X", "X.7.*", "5"]
CODES = [None, "", "5.1.1", "4.1.1", "5.7.26", "5.7", "5", "5.7.1.2", "2.0.0", "5.1.10"]


def _part_by_part(pattern: str, code: str | None) -> bool:
    """The definition, spelled out."""
    if pattern == "none" or not code:
        return pattern == "none" and not code
    want, have = pattern.split("."), code.split(".")
    if len(want) < len(have) and want[-1] == "*":
        want += ["*"] * (len(have) - len(want))
    return len(want) == len(have) and all(w in ("*", "X") or w == h
                                          for w, h in zip(want, have, strict=True))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_status_patterns(pattern: str) -> None:
    for code in CODES:
        assert status_fits(pattern, code) == _part_by_part(pattern, code), (pattern, code)


def test_examples() -> None:
    assert status_fits("X.1.1", "4.1.1") and not status_fits("X.1.1", "5.1.10")
    assert status_fits("5.7.*", "5.7.26") and not status_fits("5.7.*", "5.1.1")
    assert status_fits("none", None) and not status_fits("none", "5.1.1")
