"""Every parser stays quiet on input that is not a bounce."""

from __future__ import annotations

import pytest

from bouncefix.analysis import analyze_bytes
from bouncefix.mail import Mail
from bouncefix.parse.registry import PARSERS

ORDINARY = b"""From: Alice Example <alice@example.com>
To: Bob Example <bob@example.net>
Subject: Lunch on Thursday?
Date: Tue, 3 Mar 2026 10:15:00 +0100
Message-ID: <lunch-42@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi Bob,

are you free for lunch on Thursday? The new place near the station has a
garden. Let me know and I will book a table for two at half past twelve.

Alice
"""

NEWSLETTER = b"""From: News <news@example.org>
To: reader@example.net
Subject: Our spring catalogue
Date: Wed, 4 Mar 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

Spring is here. Browse 120 new items in our catalogue.
--b1
Content-Type: text/html; charset=us-ascii

<html><body><p>Spring is here. Browse <b>120</b> new items.</p></body></html>
--b1--
"""

JUNK = [b"", b"\n\n\n", b"lorem ipsum dolor sit amet\n" * 20, bytes(range(256)) * 4,
        b"\x00\x01\x02 binary \xff\xfe", b"=?utf-8?b?AAAA?=\n",
        # pasted prose that is no bounce
        b"Hello Bob, see you at lunch on Thursday at the usual place.",
        b"Please find the quarterly report attached. Let me know if you have questions.",
        b"The meeting has moved to room 4; the projector there works now."]


#: parsers that hand any text to the rules and let analyze() judge whether it is a
#: bounce (test_not_a_bounce holds them to the end result)
_JUDGED_LATER = {"pasted"}


@pytest.mark.parametrize("parser", [p for p in PARSERS if p.NAME not in _JUDGED_LATER],
                         ids=lambda p: p.NAME)
@pytest.mark.parametrize("data", [ORDINARY, NEWSLETTER, *JUNK])
def test_parser_finds_nothing(parser: object, data: bytes) -> None:
    mail = Mail(data)
    if parser.matches(mail):  # type: ignore[attr-defined]
        assert parser.parse(mail) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("data", [ORDINARY, NEWSLETTER, *JUNK])
def test_not_a_bounce(data: bytes) -> None:
    reports = analyze_bytes(data)
    assert all(r.kind.value == "not-bounce" for r in reports)
    assert all(not r.recipients for r in reports)


def test_parser_names_are_unique() -> None:
    names = [p.NAME for p in PARSERS]
    assert len(names) == len(set(names))
