"""Property tests (hypothesis) over arbitrary bytes and text, layer by layer: ingest, MIME
and parse, render. Nothing may raise but the domain's own error (ingest.InputError), the
sanitiser's invariants hold, every output is free of control characters, JSON parses.

Example counts are kept small so the file runs in well under a minute; the atheris
target in fuzz/ explores the same paths for as long as you let it.
"""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from bouncefix import ingest
from bouncefix.analysis import analyze_bytes
from bouncefix.mail import Mail
from bouncefix.mime import reader as mime
from bouncefix.mime import textcodec
from bouncefix.parse import read_findings
from bouncefix.parse.codes import clean_address, recipient_address
from bouncefix.render import markdown, plain, rich_view
from bouncefix.render.data import report_dict
from bouncefix.sanitize import clean, one_line
from hostile_cases import dsn
from paths import ROOT

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FORBIDDEN = frozenset(
    {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
    | set("\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
          "\u2060\u2066\u2067\u2068\u2069\ufeff\u2028\u2029")
    | {chr(c) for c in range(0xD800, 0xE000)}
)

# Pieces of mail, hostile and ordinary, that random bytes would rarely hit on their own.
PIECES = [
    b"From: MAILER-DAEMON@example.net\n", b"Subject: ", b"To: a@example.org\n",
    b"MIME-Version: 1.0\n", b'Content-Type: multipart/report; boundary="B"\n',
    b'Content-Type: multipart/mixed; boundary="C"\n', b"--B\n", b"--B--\n", b"--C\n",
    b"\n", b"\n\n", b"Content-Type: message/delivery-status\n",
    b"Content-Type: message/rfc822\n", b"Content-Type: text/rfc822-headers\n",
    b"Content-Type: text/html\n", b"Content-Type: text/plain; charset=", b"utf-7", b"idna",
    b"zlib", b"rot13", b"iso-2022-jp", b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n", b"Final-Recipient: rfc822; ",
    b"Original-Recipient: rfc822; ", b"Action: failed\n", b"Status: 5.1.1\n",
    b"Diagnostic-Code: smtp; 550 5.1.1 ", b"Remote-MTA: dns; ", b"Reporting-MTA: dns; ",
    b"=?utf-8?b?", b"=?utf-7?q?+ABs-", b"?=", b"\x1b[31m", b"\x1b]8;;http://e/\x07", b"\x9b",
    b"\xe2\x80\xae", b"\r", b"\x08", b"\x00", b"[bold]", b"[/]", b":smile:", b"|", b"`",
    b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n", b">From x\n", b"@", b"<", b">", b'"',
    b"(", b")", b"bob@example.org", b"550-5.1.1 ", b"550 ", b"<style>", b"</style>",
    b"user unknown", b"mailbox full", b"\xff\xfe", b"\xed\xa0\x80", b" ", b"\t", b"9" * 40,
]
mail_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=12)), max_size=80).map(
        b"".join),
    st.tuples(st.integers(0, 1500), st.binary(min_size=1, max_size=40)).map(
        lambda cut: (lambda base: base[: cut[0]] + cut[1] + base[cut[0]:])(dsn())),
)
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=400)


def _surrogate_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


# -- the sanitiser ------------------------------------------------------------------------


@FAST
@given(any_text, st.booleans(), st.one_of(st.none(), st.integers(1, 50)))
def test_sanitiser_invariants(text: str, newlines: bool, limit: int | None) -> None:
    out = clean(text, newlines=newlines, limit=limit)
    assert not set(out) & FORBIDDEN
    assert "\t" not in out
    if not newlines:
        assert "\n" not in out and out == out.strip()
    if limit is not None:
        assert len(out) <= limit
    else:
        assert clean(out, newlines=newlines) == out  # idempotent
    out.encode("utf-8")


@FAST
@given(st.binary(max_size=500))
def test_sanitiser_on_undecodable_bytes(data: bytes) -> None:
    out = one_line(_surrogate_text(data))
    assert not set(out) & FORBIDDEN
    out.encode("utf-8")


@FAST
@given(any_text)
def test_markdown_escape_leaves_no_syntax(text: str) -> None:
    out = markdown.escape(text)
    assert "\n" not in out
    stripped = out.replace("\\\\", "")
    # what can open a code span, emphasis, a link, a table cell, HTML or an entity
    # anywhere in a line (no line starts with input: headings and lists cannot begin)
    for special in "`*_[]|<>&~":
        assert special not in stripped.replace("\\" + special, "")


# -- ingest ------------------------------------------------------------------------------


@FAST
@given(mail_bytes)
def test_ingest_never_raises(data: bytes) -> None:
    normalised = ingest.normalise_newlines(data)
    assert b"\r" not in normalised
    messages = ingest.split_messages(normalised)
    streamed = list(ingest.iter_mbox_file(io.BytesIO(data)))
    assert all(b"\r" not in message for message in streamed)
    if ingest.is_mbox(normalised[:1024]):
        assert streamed == messages  # an mbox of separators only has no message
    else:
        assert messages == [normalised]


@FAST
@given(st.binary(max_size=300), st.integers(1, 200))
def test_read_limited_raises_only_its_own_error(data: bytes, limit: int) -> None:
    try:
        assert ingest.read_limited(io.BytesIO(data), limit) == data
    except ingest.InputError as error:
        assert len(data) > limit and "--max-size" in str(error)


# -- MIME, decoding and parsing ------------------------------------------------------------


@FAST
@given(mail_bytes)
def test_mime_and_mail_views_never_raise(data: bytes) -> None:
    raw = ingest.normalise_newlines(data)
    message = mime.parse_bytes(raw)
    assert isinstance(message.notes, list)
    mail = Mail(raw)
    assert isinstance(mail.text, str)
    mail.delivery_status  # noqa: B018
    mail.original  # noqa: B018
    for inner in mail.attached_messages():
        assert isinstance(inner.text, str)
    assert all(isinstance(note, str) for note in mail.limit_notes)
    read_findings(mail)


@FAST
@given(st.binary(max_size=200), st.one_of(st.none(), any_text, st.sampled_from(
    ["utf-7", "idna", "zlib", "rot13", "punycode", "base64", "utf-16", "iso-2022-jp"])))
def test_decode_never_raises(data: bytes, charset: str | None) -> None:
    assert isinstance(textcodec.decode(data, charset), str)


@FAST
@given(any_text)
def test_decode_header_never_raises(value: str) -> None:
    assert isinstance(textcodec.decode_header(value), str)
    assert isinstance(textcodec.decode_header(f"=?{value[:20]}?q?{value}?="), str)


@FAST
@given(any_text)
def test_recipient_fields_name_one_address_or_none(value: str) -> None:
    for found in (recipient_address(value), clean_address(value)):
        assert found is None or found.count("@") == 1 or found.startswith('"')
    found = recipient_address("rfc822; " + value)
    if found is not None and not found.startswith('"'):
        local, _, domain = found.rpartition("@")
        assert local and "." in domain


_WORD = st.text(alphabet="abcxyz.", min_size=1, max_size=8)


@FAST
@given(_WORD, _WORD, st.text(alphabet="abcxyz", min_size=1, max_size=8),
       st.sampled_from(["org", "example", "net"]))
def test_quoted_local_parts_keep_their_domain(user: str, trusted: str, evil: str,
                                             top: str) -> None:
    address = f'"{user}@{trusted}"@{evil}.{top}'
    assert recipient_address(f"rfc822; {address}") == address
    assert clean_address(f"<{address}>") == address


# -- the whole path and every renderer ------------------------------------------------------


@SLOW
@given(mail_bytes)
def test_every_output_is_clean(data: bytes) -> None:
    reports = analyze_bytes(data)
    assert reports
    for text in (plain.render_reports(reports, verbose=True),
                 markdown.render_reports(reports, verbose=True)):
        assert not set(text) & (FORBIDDEN - {"\n"})
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, markup=False, emoji=False, highlight=False,
                      color_system=None)
    rich_view.render_reports(console, reports, verbose=True)
    assert not set(buffer.getvalue()) & (FORBIDDEN - {"\n"})
    for report in reports:
        data_out = report_dict(report)
        for ensure_ascii in (True, False):
            encoded = json.dumps(data_out, ensure_ascii=ensure_ascii)
            assert json.loads(encoded) == data_out
            assert not set(encoded) & FORBIDDEN
            encoded.encode("utf-8")


@SLOW
@given(any_text)
def test_arbitrary_text_through_the_whole_path(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    for report in analyze_bytes(data):
        encoded = json.dumps(report_dict(report), ensure_ascii=False)
        assert not set(encoded) & FORBIDDEN
        assert not set(plain.render_report(report)) & (FORBIDDEN - {"\n"})


def test_fuzz_target_replays_inputs_and_skips_without_atheris(tmp_path: Path) -> None:
    """fuzz/fuzz_explain.py stays runnable: it replays files without atheris, and with
    nothing to replay it skips cleanly (exit 0) when atheris is absent."""
    sample = tmp_path / "input"
    sample.write_bytes(dsn("550 5.1.1 \x1b[31m[bold]x[/]"))
    script = str(ROOT / "fuzz" / "fuzz_explain.py")
    replay = subprocess.run([sys.executable, script, str(sample)], capture_output=True,
                            timeout=60, check=False)
    assert replay.returncode == 0, replay.stderr
    assert b": ok" in replay.stderr
    if importlib.util.find_spec("atheris") is None:
        skip = subprocess.run([sys.executable, script], capture_output=True, timeout=60,
                              check=False)
        assert skip.returncode == 0 and b"skipping" in skip.stderr
