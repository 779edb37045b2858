"""Invisible characters in pasted text (mime/invisible.py): spacing a reader does not see,
zero-width characters and terminal colour codes must not hide a reply's words or split
an address. The texts are written for this file."""

from __future__ import annotations

from bouncefix.analysis import analyze_bytes
from bouncefix.mime.invisible import tidy


def test_fixed_width_spaces_read_as_spaces() -> None:
    assert tidy("550\u00a05.1.1\u202fuser\u2009unknown") == "550 5.1.1 user unknown"


def test_zero_width_characters_go_but_joiners_stay() -> None:
    assert tidy("ann@\u200bexample.org\u2060\ufeff") == "ann@example.org"
    assert tidy("con\u00adnection") == "connection"
    # (Persian words and emoji are spelt with the joiner and the non-joiner)
    assert tidy("\u0645\u06cc\u200c\u0634\u0648\u062f \U0001f469\u200d\U0001f4bb") == (
        "\u0645\u06cc\u200c\u0634\u0648\u062f \U0001f469\u200d\U0001f4bb")


def test_terminal_colour_codes_go() -> None:
    assert tidy("to=<\x1b[01;31m\x1b[Kjo\x1b[m\x1b[K@example.org>") == "to=<jo@example.org>"


def test_plain_text_is_returned_as_it_is() -> None:
    text = "550 5.1.1 <ann@example.org>: user unknown"
    assert tidy(text) is text


def _recipients(raw: str) -> list[tuple[str | None, str]]:
    [report] = analyze_bytes(raw.encode())
    return [(r.finding.address, r.diagnosis.reason.value) for r in report.recipients]


def test_a_grep_coloured_log_line_names_its_recipient() -> None:
    line = ("Oct 2 09:01:12 mx postfix/smtp[22]: 1B2C3D: to=<\x1b[01;31m\x1b[Kli.wu\x1b[m\x1b[K"
            "@example.org>, relay=mx.example.org[192.0.2.5]:25, dsn=5.1.1, status=bounced "
            "(host mx.example.org[192.0.2.5] said: 550 5.1.1 <li.wu@example.org>: "
            "User unknown (in reply to RCPT TO command))\n")
    assert _recipients(line) == [("li.wu@example.org", "userunknown")]


def test_a_reply_copied_from_an_html_page_with_nbsp_is_read() -> None:
    paste = ("<p>Remote&nbsp;Server&nbsp;returned&nbsp;&#39;550&nbsp;5.2.2&nbsp;"
             "mailbox&nbsp;full&nbsp;&lt;kim@example.org&gt;&#39;<br></p>\n<p>kim@example.org</p>\n")
    assert _recipients(paste) == [("kim@example.org", "mailboxfull")]
