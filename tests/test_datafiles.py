"""The data bundle an installed copy carries (datafiles.py): read only when it was built
from exactly the data files beside it, equal to parsing the YAML, and nothing is ever
written at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bouncefix import datafiles
from bouncefix.rules import index, loader, spelling

DATA = Path(datafiles.data_dir())


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the data files, used instead of the real ones."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(datafiles.BUNDLE))
    monkeypatch.setenv("BOUNCEFIX_DATA_DIR", str(copy))
    datafiles._LOADED.clear()
    yield copy
    datafiles._LOADED.clear()
    loader.load_ruleset.cache_clear()


def test_the_bundle_reads_as_the_yaml_does(data_copy: Path) -> None:
    plain = {name: datafiles.read(name) for name in datafiles.data_names()}
    datafiles.build_bundle(str(data_copy))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is not None
    for name, parsed in plain.items():
        assert datafiles.read(name) == parsed, name
    assert datafiles.bundled("ruleset")
    assert datafiles.bundled(spelling.BUNDLED) == spelling.rule_words()


def test_rules_from_the_bundle_equal_rules_from_the_yaml(data_copy: Path) -> None:
    loader.load_ruleset.cache_clear()
    from_yaml = loader.load_ruleset()
    datafiles.build_bundle(str(data_copy))
    datafiles._LOADED.clear()
    loader.load_ruleset.cache_clear()
    from_bundle = loader.load_ruleset()

    def shape(ruleset: loader.Ruleset) -> list[object]:
        return [(r.id, r.reason, r.text.pattern if r.text else None,
                 r.text.anchors if r.text else None) for r in ruleset.rules]

    assert shape(from_bundle) == shape(from_yaml)
    # the rule index's anchor table the bundle holds is that of these rules
    assert from_bundle.bundled and not from_yaml.bundled
    assert datafiles.bundled(index.BUNDLED) == index.anchor_state(from_bundle.rules)
    assert datafiles.bundled(index.BUNDLED) == index.anchor_state(from_yaml.rules)


def test_a_bundle_that_does_not_match_the_files_is_ignored(data_copy: Path) -> None:
    datafiles.build_bundle(str(data_copy))
    reasons = data_copy / "reasons.yaml"
    reasons.write_text(reasons.read_text() + "\n# edited after the build\n")
    datafiles._LOADED.clear()
    assert datafiles._bundle() is None


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"key": "x"}', b"\xff" * 100])
def test_a_broken_bundle_is_ignored(data_copy: Path, content: bytes) -> None:
    (data_copy / datafiles.BUNDLE).write_bytes(content)
    datafiles._LOADED.clear()
    assert datafiles._bundle() is None
    assert datafiles.read("codes.yaml")["reply_codes"]


def test_a_run_writes_nothing_and_works_with_a_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "PATH": "/usr/bin:/bin"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bouncefix", "explain", "--offline", "-"],
            input=b"550 5.1.1 <a@example.org>: Recipient address rejected: User unknown",
            capture_output=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        assert b"userunknown" in done.stdout
        assert list(home.iterdir()) == []
    finally:
        home.chmod(0o700)


def test_a_bundle_made_by_other_loader_code_is_ignored(data_copy: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    datafiles.build_bundle(str(data_copy))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is not None
    # as if the code that derives the bundle had changed since it was built
    monkeypatch.setattr(datafiles, "_DERIVING_CODE", (*datafiles._DERIVING_CODE, "api.py"))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is None


def test_a_bundle_is_checked_by_content_when_the_stamps_differ(data_copy: Path) -> None:
    datafiles.build_bundle(str(data_copy))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is not None
    # as after an install or a checkout, which stamp the same content anew: still read
    codes = data_copy / "codes.yaml"
    status = codes.stat()
    os.utime(codes, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is not None
    # the same size and a new time, but other content: ignored
    raw = codes.read_bytes()
    codes.write_bytes(raw.replace(b"version:", b"versioN:", 1))
    assert len(codes.read_bytes()) == len(raw)
    os.utime(codes, ns=(status.st_atime_ns, status.st_mtime_ns + 2 * 10**9))
    datafiles._LOADED.clear()
    assert datafiles._bundle() is None
