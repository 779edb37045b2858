"""Golden JSON for a few lookups: the whole answer (minus provider_codes), so any
change to the schema or the catalogue text is seen in review. Regenerate with
BOUNCEFIX_REGOLD=1 after checking."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import invoke

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "lookup-550-5.1.1": ["550", "5.1.1"],
    "lookup-4.7.26": ["4.7.26"],
    "lookup-530": ["530"],
    "lookup-550-4.2.2": ["550 4.2.2"],
    "lookup-5.9.99": ["5.9.99"],
    "lookup-235-2.7.0": ["235", "2.7.0"],
    "lookup-4.1.10": ["4.1.10"],
    "lookup-551-5.1.1": ["551", "5.1.1"],
    "lookup-5.6.10": ["5.6.10"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    result = invoke("lookup", "--json", *CASES[name])
    got = json.loads(result.output)
    for answer in got:  # provider rules come and go; tests/test_lookup.py covers them
        answer.pop("provider_codes", None)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("BOUNCEFIX_REGOLD"):
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))
