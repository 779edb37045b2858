"""Every sample bounce under tests/samples/<family>/ against its expectations.

Each family folder holds hand-written samples (*.eml or *.txt) and ``expected.yaml``::

    - file: unknown-user.eml
      kind: bounce                      # optional, default bounce
      parser: postfix                   # optional: which parser must read it
      recipients:                       # compared in order; only the keys given
        - {address: jane@example.org, reply_code: "550", status: "5.1.1",
           reason: userunknown, hard_bounce: true}

Every sample is also run with CRLF and bare-CR line ends: the answer must not change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bouncefix.analysis import analyze_bytes
from bouncefix.render.data import report_dict

SAMPLES = Path(__file__).resolve().parent / "samples"


def _cases() -> list[Any]:
    cases = []
    for table in sorted(SAMPLES.glob("*/expected.yaml")):
        for entry in yaml.safe_load(table.read_text(encoding="utf-8")) or []:
            path = table.parent / entry["file"]
            for ending in ("lf", "crlf", "cr"):
                name = f"{table.parent.name}/{entry['file']}-{ending}"
                cases.append(pytest.param(path, entry, ending, id=name))
    return cases


def _with_ending(data: bytes, ending: str) -> bytes:
    data = data.replace(b"\r\n", b"\n")
    if ending == "crlf":
        return data.replace(b"\n", b"\r\n")
    if ending == "cr":
        return data.replace(b"\n", b"\r")
    return data


@pytest.mark.parametrize(("path", "entry", "ending"), _cases())
def test_sample(path: Path, entry: dict[str, Any], ending: str) -> None:
    reports = analyze_bytes(_with_ending(path.read_bytes(), ending))
    assert len(reports) == 1
    got = report_dict(reports[0])
    assert got["kind"] == entry.get("kind", "bounce")
    if "parser" in entry:
        assert got["parser"] == entry["parser"]
    expected = entry.get("recipients", [])
    assert len(got["recipients"]) == len(expected), got["recipients"]
    for want, have in zip(expected, got["recipients"], strict=True):
        for key, value in want.items():
            assert have[key] == value, f"{key}: {have[key]!r} != {value!r} in {have}"


COMPLETE = ("title", "cause", "fix", "who", "retry", "rule", "evidence")


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*/*.eml")) + sorted(SAMPLES.glob("*/*.txt")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_failed_recipient_has_a_complete_diagnosis(path: Path) -> None:
    for report in analyze_bytes(path.read_bytes()):
        for recipient in report_dict(report)["recipients"]:
            if recipient["action"] == "failed":
                assert all(recipient[key] for key in COMPLETE), recipient
                assert recipient["retry"] in ("never", "now", "later")
