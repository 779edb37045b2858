"""Parts, parameters and transfer decoding, held against the email package.

bouncefix reads MIME without the email package (part.py, mimeparams.py, transfer.py),
but where both read the same thing they must agree: the standard library under
``policy.compat32`` is the oracle here, on crafted values, generated ones, every sample
and every corpus message. Where bouncefix deliberately does better (broken base64,
8-bit header bytes in decoded headers) the tests say so.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.header
import email.utils
import quopri
from email import policy
from email.message import Message
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouncefix import ingest
from bouncefix.mime import reader as mime
from bouncefix.mime import textcodec, transfer
from bouncefix.mime.part import Part
from paths import CORPUS, SAMPLES

FAST = settings(max_examples=300, deadline=None)

CONTENT_TYPES = [
    "text/plain",
    "TEXT/Plain; charset=US-ASCII",
    'multipart/report; report-type=delivery-status;\n\tboundary="----=_Part_1;x"',
    'multipart/mixed; boundary="a\\"b"; charset=utf-8',
    "multipart/alternative; boundary=simple-boundary ",
    "text/plain; charset*=utf-8''%E2%9C%93",
    "text/plain; name*0=\"long \"; name*1=\"name.txt\"",
    "text/plain; name*0*=utf-8''caf%C3; name*1*=%A9.txt",
    "text/plain; charset=\"iso-8859-1\"; format=flowed; delsp=yes",
    "message/rfc822",
    "text",
    "text/plain/extra",
    "; charset=utf-8",
    "",
    "application/octet-stream; name=<file.bin>",
    'text/plain; charset="utf-8;"; format=fixed',
    "text/plain; CHARSET=KOI8-R",
    "text/plain; charset=utf-8; charset=latin-1",
    "multipart/report; report-type=feedback-report; boundary=\"x\"",
]


def _oracle(value: str) -> Message:
    return email.message_from_string(f"Content-Type: {value}\n\nbody", policy=policy.compat32)


def _ours(value: str) -> Part:
    part, _ = mime.read_head(f"Content-Type: {value}\n\nbody")
    return part


def _param(message: Message, name: str) -> Any:
    value = message.get_param(name)
    return None if value is None else email.utils.collapse_rfc2231_value(value)


@pytest.mark.parametrize("value", CONTENT_TYPES)
def test_content_type_and_parameters_agree(value: str) -> None:
    ours, theirs = _ours(value), _oracle(value)
    assert ours.get_content_type() == theirs.get_content_type()
    assert ours.get_content_maintype() == theirs.get_content_maintype()
    assert ours.get_boundary() == theirs.get_boundary()
    assert ours.get_content_charset() == theirs.get_content_charset()
    for name in ("report-type", "name", "format", "delsp", "charset"):
        assert ours.get_param(name) == _param(theirs, name), name


_PARAM_TEXT = st.text(alphabet=st.sampled_from(list("ab=;\"\\ *'%0E9-.\t")), max_size=40)


@FAST
@given(_PARAM_TEXT)
def test_generated_parameters_agree(tail: str) -> None:
    value = f"text/plain; charset={tail}"
    ours, theirs = _ours(value), _oracle(value)
    if "*" in tail:  # compat32 may raise on RFC 2231 pieces it cannot order
        return
    assert ours.get_content_type() == theirs.get_content_type()
    assert ours.get_param("charset") == _param(theirs, "charset")


def test_header_lookup_is_by_any_case_and_first_wins() -> None:
    part, _ = mime.read_head("X-A: 1\nx-a: 2\nSubject: hi\n\nbody")
    assert part.get("x-A") == "1" and "SUBJECT" in part and "Cc" not in part
    assert part.get("Cc") is None and part.get("Cc", "") == ""
    assert list(part.field_names()) == ["x-a", "subject"]


def test_raw_8bit_header_bytes_read_as_compat32_reads_them() -> None:
    raw = "Subject: caf\xe9 au lait\nTo: jos\xe9@example.org\n\nbody".encode("latin-1")
    part = mime.parse_bytes(raw)
    theirs = email.message_from_bytes(raw, policy=policy.compat32)
    assert part.get("Subject") == str(theirs.get("Subject"))
    assert part.get("To") == str(theirs.get("To"))
    # the headers parsers read are decoded properly, not replaced
    assert textcodec.decode_header(part.raw_items()[0][1]) == "café au lait"


@FAST
@given(st.binary(max_size=600), st.sampled_from(["base64", "quoted-printable", "7bit", ""]))
def test_transfer_decoding_agrees(data: bytes, encoding: str) -> None:
    if encoding == "base64":
        body = base64.encodebytes(data).decode()
    elif encoding == "quoted-printable":
        body = quopri.encodestring(data).decode()
    else:
        body = data.decode("latin-1").replace("\r", "")
    head = f"Content-Transfer-Encoding: {encoding}\n" if encoding else ""
    raw = (f"Content-Type: application/octet-stream\n{head}\n" + body).encode("latin-1")
    ours = mime.parse_bytes(raw).get_payload(decode=True)
    theirs = email.message_from_bytes(raw, policy=policy.compat32).get_payload(decode=True)
    assert ours == theirs


@pytest.mark.parametrize(("encoded", "decoded"), [
    (b"YWJjZA==", b"abcd"),
    (b"YWJj\nZA", b"abcd"),  # padding left out
    (b"YW*Jj ZA==", b"abcd"),  # a stray character
    (b"YWJjZ", b"abc"),  # a dangling last character (compat32 gives up)
    (b"", b""),
])
def test_base64_is_forgiving(encoded: bytes, decoded: bytes) -> None:
    assert transfer.base64_lenient(encoded) == decoded


def test_uuencoded_body() -> None:
    data = b"hello, world\n" * 10
    lines = b"".join(binascii.b2a_uu(data[i : i + 45]) for i in range(0, len(data), 45))
    body = b"begin 644 a.txt\n" + lines + b"`\nend\n"
    assert transfer.decode(body, "x-uuencode") == data
    assert transfer.decode(b"no begin line", "uuencode") == b"no begin line"


@pytest.mark.parametrize("value", [
    "=?utf-8?q?Undeliverable=3A_hi?=",
    "Re: =?iso-8859-1?q?caf=E9?= =?iso-8859-1?q?_ok?= end",
    "=?utf-8?b?w6k=?==?utf-8?b?w6k=?=",
    "=?UTF-8?B?5pyq6YGU?=\n =?UTF-8?B?44Gu44Oh44O844Or?=",
    "=?ISO-2022-JP?B?GyRCJWEhPCVrGyhC?=",
    "plain text, =? not a word ?=",
    "=?utf-8?q?split_=E2=9C?= =?utf-8?q?=93_mark?=",  # one character over two words
    "=?koi8-r?b?8NLJ18XU?=",
])
def test_encoded_words_agree(value: str) -> None:
    expected = []
    for chunk, charset in email.header.decode_header(value):
        expected.append(textcodec.decode(chunk, charset) if isinstance(chunk, bytes) else chunk)
    assert textcodec.decode_header(value) == " ".join("".join(expected).split())


def _messages() -> list[bytes]:
    files = sorted(SAMPLES.rglob("*.eml"))
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".json")
    texts = [ingest.normalise_newlines(path.read_bytes()) for path in files]
    return [t.split(b"\n", 1)[-1] if t.startswith(b"From ") else t for t in texts]


def _walk(part: Any) -> list[Any]:
    """A Part or a compat32 Message and the parts below it (not into attached messages)."""
    found = [part]
    payload = part.get_payload()
    if isinstance(payload, list) and part.get_content_maintype() == "multipart":
        for sub in payload:
            found += _walk(sub)
    return found


def test_every_sample_and_corpus_message_reads_alike() -> None:
    compared = 0
    for raw in _messages():
        ours = _walk(mime.parse_bytes(raw))
        theirs = _walk(email.message_from_bytes(raw, policy=policy.compat32))
        if len(ours) != len(theirs):  # a broken structure both read their own way
            continue
        for mine, other in zip(ours, theirs, strict=True):
            assert mine.get_content_type() == other.get_content_type()
            assert mine.get_boundary() == other.get_boundary()
            assert mine.get_content_charset() == other.get_content_charset()
            assert mine.get("Subject") == (None if other.get("Subject") is None
                                           else str(other.get("Subject")))
            # the same body text (the two split some broken multiparts differently)
            # decodes to the same bytes
            if not mine.is_multipart() and mine.get_payload() == other._payload:
                assert mine.get_payload(decode=True) == other.get_payload(decode=True)
            compared += 1
    assert compared > 100
