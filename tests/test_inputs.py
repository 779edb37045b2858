"""Input read as it is (ingest/containers.py, parse/addresslist.py): byte-order marks,
UTF-16/32, compressed files and archives, strict address lists, exact file names."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bouncefix import InputError, analyze
from bouncefix.analysis import analyze_bytes
from bouncefix.ingest import Skip, messages_of
from bouncefix.model import report_dict
from bouncefix.parse.addresslist import read_address_list
from helpers import invoke, run_cli
from hostile_cases import dsn, many_messages
from paths import CORPUS

BOUNCE = dsn()  # bob@example.org, 550 5.1.1


def _summary(data: bytes) -> list[tuple[str, str | None, str, str | None]]:
    return [(r.kind.value, r.subject, i.finding.address or "", i.diagnosis.reason.value)
            for r in analyze(data) for i in r.recipients]


# -- byte-order marks and wide encodings -------------------------------------------------


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    lambda text: text.encode("utf-16"),  # with its BOM, in this machine's order
    lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    lambda text: text.encode("utf-32"),
], ids=["utf-8-bom", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_and_wide_encodings_read_as_the_text(
        encode: Callable[[str], bytes], tmp_path: Path) -> None:
    text = BOUNCE.decode("utf-8")
    expected = _summary(BOUNCE)
    assert _summary(encode(text)) == expected  # the library
    path = tmp_path / "saved.eml"
    path.write_bytes(encode(text))
    [report] = json.loads(invoke("explain", "--offline", "--format", "json", str(path)).output)
    assert report["subject"] == "Undelivered Mail Returned to Sender"
    assert [r["address"] for r in report["recipients"]] == ["bob@example.org"]
    lines = run_cli("scan", "--format", "jsonl", str(path)).stdout.splitlines()
    assert [json.loads(line)["recipients"][0]["reason"] for line in lines] == ["userunknown"]


def test_a_bom_before_an_mbox_keeps_it_an_mbox(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    path.write_bytes(b"\xef\xbb\xbf" + many_messages(3))
    result = run_cli("scan", "--format", "jsonl", str(path))
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.skipif(not (CORPUS / "emails").is_dir(), reason="corpus not available")
def test_a_bom_changes_nothing_on_the_corpus() -> None:
    for path in sorted((CORPUS / "emails").iterdir())[::6]:
        raw = path.read_bytes()
        plain = [report_dict(r) for r in analyze(raw)]
        assert [report_dict(r) for r in analyze(b"\xef\xbb\xbf" + raw)] == plain, path.name


# -- compressed input and archives -------------------------------------------------------

COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress,
}


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_compressed_messages_and_mboxes_are_read(suffix: str, tmp_path: Path) -> None:
    compress = COMPRESSORS[suffix]
    (tmp_path / f"one.eml.{suffix}").write_bytes(compress(BOUNCE))
    (tmp_path / f"box.mbox.{suffix}").write_bytes(compress(many_messages(4)))
    result = run_cli("scan", "--format", "jsonl", str(tmp_path))
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(Path(r["source"]).name, r["index"]) for r in reports] == [
        (f"box.mbox.{suffix}", n) for n in range(4)] + [(f"one.eml.{suffix}", 0)]
    assert {r["recipients"][0]["reason"] for r in reports} == {"userunknown"}
    assert result.returncode == 0
    explained = run_cli("explain", "--offline", "--format", "json",
                        str(tmp_path / f"one.eml.{suffix}"))
    assert json.loads(explained.stdout)[0]["recipients"][0]["address"] == "bob@example.org"
    assert _summary(compress(BOUNCE)) == _summary(BOUNCE)  # the library too


def test_compressed_standard_input() -> None:
    for args in (("explain", "--offline"), ("scan", "-")):
        result = run_cli(*args, "--format", "jsonl" if args[0] == "scan" else "json",
                         input=gzip.compress(BOUNCE))
        assert b"bob@example.org" in result.stdout and result.returncode == 0


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bounce.eml", data)
    return out.getvalue()


@pytest.mark.parametrize(("data", "said"), [
    (_zip(BOUNCE), "is a zip archive: unpack it"),
    (b"7z\xbc\xaf\x27\x1c" + b"\0" * 40, "is a 7z archive"),
    (b"\x28\xb5\x2f\xfd" + b"\0" * 40, "zstd-compressed"),
    (b"x" * 257 + b"ustar\x0000" + b"\0" * 300, "is a tar archive"),
    (gzip.compress(BOUNCE)[:40], "damaged gzip data"),
    (b"\x1f\x8bnot really gzip", "damaged gzip data"),
    (bz2.compress(BOUNCE)[:30], "damaged bzip2 data"),
    (gzip.compress(gzip.compress(BOUNCE)), "compressed twice"),
    (gzip.compress(_zip(BOUNCE)), "is a zip archive"),
], ids=["zip", "7z", "zstd", "tar", "truncated-gzip", "bad-gzip", "truncated-bzip2",
        "gzip-in-gzip", "zip-in-gzip"])
def test_archives_and_damaged_data_are_named_never_analysed(data: bytes, said: str,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(data)
    explained = run_cli("explain", "--offline", str(path))
    assert explained.returncode == 2 and said.encode() in explained.stderr
    assert b"no bounce found" not in explained.stderr + explained.stdout
    scanned = run_cli("scan", "--format", "jsonl", str(path))
    assert scanned.returncode == 2 and said.encode() in scanned.stderr
    assert scanned.stdout == b""
    with pytest.raises(InputError, match=said.split(":")[0]):
        analyze(data)


def test_a_decompression_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gz"
    with gzip.open(path, "wb") as out:
        for _ in range(40):
            out.write(b"A" * (1 << 20))  # 40 MiB in about 40 KiB
    result = run_cli("explain", "--offline", "--max-size", "1000000", str(path))
    assert result.returncode == 2 and b"larger than 1,000,000 bytes" in result.stderr


def test_skips_say_what_and_why() -> None:
    told: list[Skip] = []
    assert list(messages_of("/nonexistent/x.eml", 1000, told.append)) == []
    assert told[0].unreadable and "No such file" in str(told[0])


# -- strict address lists ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "addresses", "malformed"), [
    ("ann@example.org", ["ann@example.org"], 0),
    ("ann@example.org, bo@example.net", ["ann@example.org", "bo@example.net"], 0),
    ("<ann@example.org>", ["ann@example.org"], 0),
    ('"Smith, Ann" <ann@example.org>, bo@example.net',
     ["ann@example.org", "bo@example.net"], 0),
    ("ann@example.org (Ann, at work)", ["ann@example.org"], 0),
    ("Ann <ann@example.org> (home), Bo <bo@example.net>",
     ["ann@example.org", "bo@example.net"], 0),
    ("ann@example.org,,  ,bo@example.net", ["ann@example.org", "bo@example.net"], 0),
    # smuggled: one entry that is not exactly one address yields nothing
    ("alice@example.org)<bob@example.org>", [], 1),
    ("alice@example.org <bob@example.org>", [], 1),
    ("<alice@example.org><bob@example.org>", [], 1),
    ("ann@example.org, x@y.example)<eve@example.com>", ["ann@example.org"], 1),
    ('"eve@example.com" <ann@example.org>', ["ann@example.org"], 0),
    ("Eve <ann@example.org> bob@example.org", [], 1),
    ("ann@@example.org", [], 1),
    ("(unclosed ann@example.org", [], 1),
    ("ann@example.org>", [], 1),
])
def test_address_lists_are_read_strictly(value: str, addresses: list[str],
                                         malformed: int) -> None:
    found = read_address_list(value)
    assert found.addresses == addresses
    assert len(found.malformed) == malformed


def test_a_smuggled_failed_recipient_is_not_reported() -> None:
    bounce = (b"From: MAILER-DAEMON@example.net\nSubject: Mail delivery failed\n"
              b"X-Failed-Recipients: alice@example.org)<bob@example.org>, carol@example.org\n\n"
              b"A message that you sent could not be delivered.\n\n"
              b"  550 5.1.1 mailbox unavailable\n")
    [report] = analyze_bytes(bounce)
    assert [r.finding.address for r in report.recipients] == ["carol@example.org"]
    assert any("not one address" in note for note in report.notes)


def test_address_lists_take_linear_time() -> None:
    import time

    start = time.perf_counter()
    read_address_list("(" * 50_000 + "a@b.example" + '"' * 50_000 + "<" * 50_000)
    assert time.perf_counter() - start < 1.0


# -- file names: exact in JSON, escaped in text --------------------------------------------


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS refuses undecodable names")
def test_file_names_exact_in_json_and_escaped_in_text(tmp_path: Path) -> None:
    names = ["a.eml", "a\u200b.eml", "a\x1b[1m.eml",
             b"a\xff.eml".decode("utf-8", "surrogateescape")]
    for name in names:
        (tmp_path / name).write_bytes(BOUNCE)
    result = run_cli("scan", "--format", "jsonl", str(tmp_path))
    sources = [Path(json.loads(line)["source"]).name for line in result.stdout.splitlines()]
    assert sorted(sources) == sorted(names)  # four different names, each exact
    assert b"\x1b" not in result.stdout and "\u200b".encode() not in result.stdout
    text = run_cli("scan", str(tmp_path)).stdout.decode()
    for shown in ("a.eml: bounce", "a\\u200b.eml: bounce", "a\\x1b[1m.eml: bounce",
                  "a\\xff.eml: bounce"):
        assert shown in text
