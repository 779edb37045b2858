"""Shared fixtures and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import CORPUS


@pytest.fixture(autouse=True)
def offline_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real resolver: explain's DNS checks are off unless a test turns
    them on against its own loopback server (tests/dns_server.py)."""
    monkeypatch.setenv("BOUNCEFIX_OFFLINE", "1")
    monkeypatch.delenv("BOUNCEFIX_NAMESERVER", raising=False)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared labelled corpus; the test is skipped when it is not there."""
    if not (CORPUS / "labels.json").is_file():
        pytest.skip("../shared/corpus is not available")
    return CORPUS
