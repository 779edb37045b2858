"""The one sanitiser, and every output path that must use it: terminal escapes, controls,
bidi and zero-width characters gone; rich markup and emoji codes literal; Markdown
escaped; JSON valid; output on streams that cannot encode everything."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from bouncefix.analysis import analyze_bytes
from bouncefix.cli.env import Env
from bouncefix.mime import textcodec
from bouncefix.render import markdown, plain, rich_view
from bouncefix.render.data import report_dict
from bouncefix.sanitize import clean, one_line
from bouncefix.streams import harden, unicode_ok
from hostile_cases import dsn, encoded_word

FORBIDDEN = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]} | set(
    "\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061"
    "\u2066\u2067\u2068\u2069\ufeff\u2028\u2029\U000e0041")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),  # CSI (SGR)
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
        ("\x1b[?1049h\x1b[1;31;4mX", "X"),  # private mode, several parameters
        ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "click"),  # OSC 8, BEL
        ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8, ST
        ("x\x1b]52;c;cm0gLXJmIH4=\x07y", "xy"),  # OSC 52 clipboard write
        ("x\x1b]0;title", "x"),  # unterminated OSC: the rest is the sequence
        ("x\x1bP1$r\x1b\\y", "xy"),  # DCS
        ("x\x1b_apc\x1b\\y\x1b^pm\x1b\\z\x1bXsos\x1b\\", "xyz"),  # APC, PM, SOS
        ("\x9b31mC1\x9b0m", "C1"),  # 8-bit CSI
        ("\x9d0;t\x9cz", "z"),  # 8-bit OSC and ST
        ("a\x1bc\x1b(0b\x1b7", "ab"),  # RIS, charset designation, save cursor
        ("a\x1b\x1b[31mb", "ab"),  # ESC before a sequence
        ("a\x00b\x07c\x7fd\x85e", "abcde"),  # NUL, BEL, DEL, NEL
        ("user\x08\x08\x08\x08root", "root"),  # backspace overwrite
        ("ab\x08\x08\x08c", "c"),  # more backspaces than characters
        ("safe\rEVIL", "safe EVIL"),  # bare CR cannot overwrite: it becomes a break
        ("a\r\nb", "a b"),
        ("inv\u202eexe.pdf\u202c", "invexe.pdf"),  # RLO ... PDF
        ("\u2066a\u2069\u2067b\u2069\u2068c\u2069\u200ed\u200f\u061ce", "abcde"),
        ("pay\u200bpal\u200c\u200d\u2060\ufeff", "paypal"),  # zero-width, BOM
        ("tag\U000e0041\U000e007f", "tag"),  # Unicode tag characters
        ("a\u2028b\u2029c", "abc"),
        ("bad \udcff\udce9 bytes", "bad \ufffd\ufffd bytes"),  # lone surrogates
        ("[bold]x[/] :smile:", "[bold]x[/] :smile:"),  # not ours to change
        ("tab\tand   spaces\n\n", "tab and spaces"),
    ],
)
def test_one_line(raw: str, expected: str) -> None:
    assert one_line(raw) == expected


def test_clean_keeps_line_breaks_and_expands_tabs() -> None:
    assert clean("a\r\nb\rc\n\td\x1b[1m") == "a\nb\nc\n    d"


def test_limit_marks_the_cut() -> None:
    assert one_line("x" * 50, limit=10) == "x" * 9 + "…"
    assert one_line("\x1b[31m" + "y" * 5, limit=10) == "yyyyy"


@pytest.mark.parametrize("text", ["\x1b" * 10_000, "\x1b]" * 10_000, "a\x08" * 10_000,
                                  "\x9b" * 10_000, "\x1b[" + "1;" * 50_000])
def test_sanitiser_on_long_runs(text: str) -> None:
    assert not set(clean(text)) & FORBIDDEN


def test_applied_after_decoding() -> None:
    """Encoded-words and charsets produce escapes only once decoded."""
    decoded = textcodec.decode_header(encoded_word("\x1b]52;c;eA==\x07hi\u202e"))
    assert "\x1b" in decoded
    assert one_line(decoded) == "hi"
    [report] = analyze_bytes(dsn(subject=encoded_word("\x1b[2Jboom\r\x1b]8;;x\x07")))
    assert report.subject is not None and "\x1b" in report.subject  # the model keeps data
    assert report_dict(report)["subject"] == "boom"  # every output cleans it


@pytest.mark.parametrize("name", ["utf-7", "UTF7", "idna", "punycode", "rot13", "rot_13",
                                  "zlib", "zlib_codec", "base64", "hex", "uu", "bz2",
                                  "unicode_escape", "raw_unicode_escape", "x" * 5000, "",
                                  "utf-8\x00", "no-such-charset", "mbcs", "?"])
def test_unsafe_or_unknown_charsets_are_never_used(name: str) -> None:
    assert textcodec.text_codec(name) is None
    assert textcodec.decode(b"+ABs-]52;c;eA+AAc- caf\xc3\xa9", name) == "+ABs-]52;c;eA+AAc- café"


HOSTILE = dsn("550 5.1.1 [bold]B[/] [/] [link=https://evil.example/]L[/link] :smile: "
              "\x1b[31mred\x1b]8;;https://evil.example/\x07x\x1b]8;;\x07 | a | `c` <b>",
              subject="[red]S[/red] :warning: \u202eexe", recipient="[i]bob@example.org")


def test_rich_prints_markup_and_emoji_codes_literally() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=300, markup=False, emoji=False, highlight=False,
                      color_system=None)
    rich_view.render_reports(console, [analyze_bytes(HOSTILE)[0]], verbose=True)
    text = buffer.getvalue()
    for literal in ("[bold]B[/]", "[/]", "[link=https://evil.example/]L[/link]", ":smile:",
                    "[red]S[/red]", ":warning:"):
        assert literal in text
    assert "😄" not in text and "\x1b" not in text and "\u202e" not in text


def test_the_command_console_never_reads_markup() -> None:
    buffer = io.StringIO()
    console = Env(stdout=buffer, environ={"COLUMNS": "100"}).console()
    console.print("[bold]x[/] :smile: [link=https://e.example/]y[/link]")
    assert buffer.getvalue().strip() == "[bold]x[/] :smile: [link=https://e.example/]y[/link]"


def test_plain_output_has_no_controls() -> None:
    text = plain.render_reports([analyze_bytes(HOSTILE)[0]], verbose=True)
    assert not set(text) & (FORBIDDEN - {"\n"})
    assert "[bold]B[/]" in text


def _outside_code_spans(line: str) -> str:
    """`line` with its inline code spans (CommonMark: a run of n backticks up to the next
    run of exactly n) taken out."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "`" and (i == 0 or line[i - 1] != "\\"):
            n = len(line[i:]) - len(line[i:].lstrip("`"))
            fence = "`" * n
            end = i + n
            while True:
                end = line.find(fence, end)
                if end < 0 or not line[end + n:].startswith("`"):
                    break
                end += len(line[end:]) - len(line[end:].lstrip("`"))
            if end >= 0:
                i = end + n
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def test_markdown_keeps_input_in_code_spans_or_escaped() -> None:
    text = markdown.render_reports([analyze_bytes(HOSTILE)[0]], verbose=True)
    for line in text.splitlines():
        outside = _outside_code_spans(line).replace("\\\\", "")
        for special in "`|<>[]":
            assert special not in outside.replace("\\" + special, ""), (special, line)
        assert not line.startswith(("```", "<", "|"))
    assert markdown.escape("```\n# x\n- y <b> [l](u) | & ~") == (
        "\\`\\`\\` # x - y \\<b\\> \\[l\\](u) \\| \\& \\~")
    assert markdown.code("a ``b`` c") == "```a ``b`` c```"
    assert markdown.code("`x`") == "`` `x` ``"


def test_json_is_valid_and_clean() -> None:
    data = report_dict(analyze_bytes(HOSTILE + b"\n\xff\xfe\xed\xa0\x80")[0])
    for ensure_ascii in (True, False):
        encoded = json.dumps(data, ensure_ascii=ensure_ascii)
        assert json.loads(encoded) == data
        encoded.encode("utf-8")  # no lone surrogates
    assert "\x1b" not in json.dumps(data, ensure_ascii=False)


def test_streams_that_cannot_encode_everything() -> None:
    ascii_stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert not unicode_ok(ascii_stream)
    assert unicode_ok(io.TextIOWrapper(io.BytesIO(), encoding="UTF_8"))
    assert unicode_ok(io.StringIO())
    harden(ascii_stream)
    ascii_stream.write("Grüße — ユーザー\n")
    ascii_stream.flush()
    buffer = ascii_stream.buffer
    assert isinstance(buffer, io.BytesIO)
    assert buffer.getvalue() == b"Gr\\xfc\\xdfe \\u2014 \\u30e6\\u30fc\\u30b6\\u30fc\n"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_printable_ascii_fast_path(text: str) -> None:
    """Printable ASCII takes a shortcut; it must give what the full cleaning gives."""
    assert clean(text) == text
    assert clean(text, newlines=False) == " ".join(text.split())
    assert clean(text, newlines=False, limit=5) == _limited(" ".join(text.split()), 5)


def _limited(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
