"""A read-only view over one message, the thing every parser receives.

It reads the message with the MIME reader (mime.py) and works out, once and lazily,
what parsers keep asking for: decoded headers, the human-readable body text, the
RFC 3464 delivery-status blocks, and the headers of the returned original message. A
pasted fragment with no headers becomes a Mail whose text is the whole input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from bouncefix.regex import lazy

from .mime import invisible, mojibake, textcodec
from .mime import reader as mime
from .mime.markup import readable_addresses, unmarkup
from .mime.part import Part
from .sanitize import one_line

if TYPE_CHECKING:
    from .parse.addresslist import AddressList

MAX_DEPTH = 16
MAX_PARTS = 400
MAX_TEXT = 2 * 1024 * 1024

_HEADER_LINE = lazy(rb"[!-9;-~]{1,76}:")
_KNOWN_HEADERS = frozenset(
    {
        "from", "to", "subject", "date", "received", "return-path", "message-id",
        "content-type", "mime-version", "delivered-to", "x-failed-recipients",
        "auto-submitted", "reply-to", "sender", "x-mailer", "content-transfer-encoding",
    }
)
#: the fields of a delivery-status report (RFC 3464) that no message header has
_DSN_FIELDS = frozenset({"final-recipient", "original-recipient", "reporting-mta", "remote-mta",
                         "diagnostic-code", "action", "status"})
#: the known header names that mark a header block by themselves: not "Date", "Sender"
#: or "Reply-To", which are also common labels of consoles and exports
_MARKING_HEADERS = _KNOWN_HEADERS - {"date", "sender", "reply-to"}
#: the top-level header fields that parsers' ``matches`` read (tests/test_signatures.py
#: checks the parsers against this list), and so all of them that signature_text holds
SIGNATURE_HEADERS = frozenset(
    {
        "from", "subject", "to", "reply-to", "message-id", "content-type", "received",
        "auto-submitted", "x-mailer", "x-failed-recipients", "x-original-to",
        "x-ahmailid", "x-amz-sns-message-id", "x-apple-unsubscribe", "x-aws-outgoing",
        "x-mc-unique", "x-mddsn-message", "x-message-delivery", "x-message-info",
        "x-mlserver", "x-ms-embedded-report", "x-ms-exchange-message-is-ndr", "x-msg-ref",
        "x-mx-bounce", "x-mxl-notehash", "x-nai-header", "x-ses-outgoing", "x-spasign",
        "x-ricevuta", "x-yandex-uniq", "x-zohomail",
    }
)
_TAG = lazy(r"<[^<>]{0,2000}>")
_BLANKS = lazy(r"\n[ \t]*\n(?:[ \t]*\n)+")
_ENTITIES = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'"}

Fields = list[tuple[str, str]]
T = TypeVar("T")


class cached_property(Generic[T]):
    """functools.cached_property without the lock Python 3.11 takes on every first
    access (a Mail is never shared between threads): computed once, then a plain
    attribute of the instance."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


def _looks_like_headers(data: bytes) -> bool:
    first = data.lstrip(b"\n")[:200]
    return bool(_HEADER_LINE.match(first))


# Sendmail's transcript marks the commands it sent with ">>>": not a quotation.
_SMTP_SENT = lazy(
    r"(?i)>>>[ \t]?(?:MAIL|RCPT|DATA|EHLO|HELO|QUIT|RSET|STARTTLS|AUTH|BDAT|NOOP|VRFY|\.)"
)


def unquote(text: str) -> str:
    """`text` without e-mail quoting: "> " and ">" prefixes, nested ("> > ") or not
    (">> "), taken off every line; Sendmail's ">>> RCPT To:" lines keep their marker."""
    if not (text.startswith(">") or "\n>" in text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        while line.startswith(">") and not _SMTP_SENT.match(line):
            line = line[2:] if line[1:2] == " " else line[1:]
        lines[index] = line
    return "\n".join(lines)


# A line break between two Chinese or Japanese characters: where a mailer wrapped a
# sentence written without spaces ("配送が完了" / "しなかった"), not where one ended.
_CJK_WRAP = lazy(r"(?<=[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e])\n"
                 r"(?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])")


def join_cjk_wraps(text: str) -> str:
    """`text` with Chinese and Japanese sentences that a mailer wrapped joined again, so
    that their words are read whole (the break carries no space in those languages)."""
    if text.isascii():
        return text
    return _CJK_WRAP.sub("", text)


# qmail-send's log line of one delivery attempt, whose text it writes with "_" for each
# space and "/" for each line break: "delivery 51873: failure:
# 192.0.2.27_does_not_like_recipient./Remote_host_said:_550_5.1.1_No_such_user/"
_QMAIL_DELIVERY = lazy(r"\bdelivery \d{1,12}: (?:failure|deferral|success): \S{1,8000}")
# the "/" that stood for a line break: before a capital, a reply code or the end (not the
# slashes of a URL)
_QMAIL_BREAK = lazy(r"/(?=[A-Z]|\d{3}[ _-]|$)")


def decode_qmail_log(text: str) -> str:
    """`text` with qmail-send's delivery lines written out again: spaces for "_", line
    breaks for the "/" between lines of the server's reply, so that rules read the words."""
    if "delivery " not in text or "_" not in text:
        return text
    return _QMAIL_DELIVERY.sub(
        lambda m: _QMAIL_BREAK.sub("\n", m.group(0).replace("_", " ")), text)


def _quoted(data: bytes) -> bool:
    """Whether pasted data is quoted mail: its first line with text starts with ">"."""
    return data.lstrip()[:1] == b">"


class Mail:
    """One message (or fragment) with lazily computed views for parsers. Pasted text
    quoted with "> " is read unquoted, so that quoted headers are headers."""

    def __init__(self, raw: bytes) -> None:
        if _quoted(raw):
            raw = unquote(raw.decode("latin-1")).encode("latin-1")
        self.raw = raw
        self.message = Part()
        self.has_headers = False
        if _looks_like_headers(raw):
            parsed = mime.parse_bytes(raw)
            names = parsed.field_names()  # the index later look-ups use anyway
            # (a console's or an export's "Event: / Email: / Date: / Reason:" lines are no
            # header block: "Date" or "Sender" alone among unknown names is a label)
            # (nor is one "From: Dana (front desk)" line above a person's words: a quote's
            # attribution; a header block has two fields, or an address)
            # (and a CRM's log entry "Subject: ... / Status: Bounced / Bounce Reason: ..."
            # is none either: a subject alone among names no message has is a label too)
            # (nor a delivery-status block pasted on its own, whose extension fields are
            # named "X-...": "Final-Recipient: ... / X-Exim-Diagnostic: ...")
            marking = _MARKING_HEADERS.intersection(names)
            extension = any(n.startswith("x-") for n in names) and not (
                marking or _DSN_FIELDS.intersection(names))
            if (marking - {"subject"} or extension or (
                    marking and _KNOWN_HEADERS.issuperset(names))) and (
                    len(set(names)) > 1 or b"@" in raw.lstrip(b"\n").split(b"\n", 1)[0]):
                self.message = parsed
                self.has_headers = True

    # -- headers ---------------------------------------------------------------------

    def header(self, name: str) -> str:
        """The decoded value of the first header `name`, or ""."""
        values = self.headers(name)
        return values[0] if values else ""

    def headers(self, name: str) -> list[str]:
        """Decoded values of every header `name` (read raw, so that undeclared 8-bit
        text is decoded by our charset guess, not replaced by compat32). Cached."""
        lname = name.lower()
        decoded = self._decoded.get(lname)
        if decoded is None:
            decoded = [textcodec.decode_header(v) for v in self._raw_headers.get(lname, ())]
            self._decoded[lname] = decoded
        return decoded

    @cached_property
    def _raw_headers(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for key, value in self.message.raw_items():
            index.setdefault(key.lower(), []).append(str(value))
        return index

    @cached_property
    def _decoded(self) -> dict[str, list[str]]:
        return {}

    @cached_property
    def subject(self) -> str:
        return self.header("Subject")

    @cached_property
    def sender(self) -> str:
        return self.header("From")

    @cached_property
    def content_type(self) -> str:
        return self.message.get_content_type() if self.has_headers else "text/plain"

    # -- parts -----------------------------------------------------------------------

    def parts(self) -> list[Part]:
        """Every MIME part, depth-first, not descending into attached messages."""
        return self._parts

    @cached_property
    def _parts(self) -> list[Part]:
        return list(_walk(self.message, 0, [0]))

    @cached_property
    def content_types(self) -> list[str]:
        """The content type of every part, in the order of ``parts()``."""
        return [part.get_content_type() for part in self._parts]

    def parts_of_type(self, *types: str) -> list[Part]:
        """The parts whose content type is one of `types`."""
        return [p for p, t in zip(self._parts, self.content_types, strict=True) if t in types]

    @cached_property
    def text(self) -> str:
        """The human-readable body: text/plain parts (or stripped HTML), decoded, with
        LF line ends, not including attached messages or delivery-status parts; at most
        MAX_TEXT characters."""
        return self._full_text[:MAX_TEXT]

    @cached_property
    def failed_recipients(self) -> AddressList:
        """The addresses of the X-Failed-Recipients headers, read strictly (an entry
        that is not exactly one address yields none: parse/addresslist.py)."""
        from .parse.addresslist import AddressList, read_address_list

        addresses: list[str] = []
        malformed: list[str] = []
        for value in self.headers("X-Failed-Recipients"):
            found = read_address_list(value)
            addresses += [a for a in found.addresses if a not in addresses]
            malformed += found.malformed
        return AddressList(addresses, malformed)

    @property
    def limit_notes(self) -> list[str]:
        """The limits reached and the malformed input met in reading this message, as
        notes for its report."""
        notes = list(self.message.notes)
        if self.failed_recipients.malformed:
            shown = ", ".join(repr(one_line(e, 80)) for e in self.failed_recipients.malformed[:3])
            notes.append(f"X-Failed-Recipients holds an entry that is not one address ({shown}); "
                         "no recipient was taken from it")
        if len(self._full_text) > MAX_TEXT:
            notes.append(f"only the first {MAX_TEXT // (1024 * 1024)} MB of the text were read "
                         "(limit)")
        return notes

    @cached_property
    def _full_text(self) -> str:
        if not self.has_headers:
            text = invisible.tidy(unmarkup(mojibake.repair(textcodec.decode(self.raw))))
            return decode_qmail_log(join_cjk_wraps(readable_addresses(text)))
        plain: list[str] = []
        html: list[str] = []
        for part, ctype in zip(self._parts, self.content_types, strict=True):
            if part.is_multipart() or ctype.startswith("message/"):
                continue
            if ctype == "text/plain" or ctype == "text/enriched":
                plain.append(part_text(part))
            elif ctype == "text/html":
                html.append(html_to_text(part_text(part)))
            elif part is self.message and part.get_content_maintype() != "text":
                plain.append(part_text(part))
        text = "\n".join(plain) if plain else "\n".join(html)
        if not text.strip() and self.message.preamble:
            # a report written before the first boundary, where readers show it (only
            # when no part has words: most preambles say "This is a MIME message")
            text = self.message.preamble
        return join_cjk_wraps(invisible.tidy(mojibake.repair(
            text.replace("\r\n", "\n").replace("\r", "\n"))))

    @cached_property
    def signature_text(self) -> str:
        """Everything a gated parser's ``matches`` looks at, lower-cased, in one string:
        the top-level header fields parsers read (SIGNATURE_HEADERS; decoded as header()
        gives them, and raw when that differs), the delivery-status fields and the text.
        Each parser has signature words (parse/registry.py), one of which must occur
        here before its ``matches`` is asked. Leaving out the fields no parser
        reads (signatures, spam scores, trace data) halves the text searched."""
        pieces = []
        raw_headers = self._raw_headers
        for name in SIGNATURE_HEADERS.intersection(raw_headers):
            for raw, decoded in zip(raw_headers[name], self.headers(name), strict=True):
                pieces.append(f"{name}: {decoded}")
                if decoded != raw:
                    pieces.append(raw)
        for block in self.delivery_status:
            pieces.extend(f"{name}: {value}" for name, value in block)
        pieces.append(self.text)
        return textcodec.lower_for_matching("\n".join(pieces))

    @cached_property
    def delivery_status(self) -> list[Fields]:
        """The RFC 3464 / RFC 6533 blocks: first the per-message fields, then one block
        per recipient. Empty when the message has no delivery-status part."""
        for part in self.parts_of_type("message/delivery-status", "message/global-delivery-status"):
            return parse_field_blocks(part_text(part))
        return []

    @cached_property
    def original(self) -> Part | None:
        """Headers (and perhaps body) of the returned message, when attached."""
        for part, ctype in zip(self._parts, self.content_types, strict=True):
            if ctype in ("message/rfc822", "message/global") and part is not self.message:
                inner = part.get_payload()
                if isinstance(inner, list) and inner:
                    return inner[0]
            if ctype in ("text/rfc822-headers", "message/rfc822-headers",
                         "text/global-headers", "message/global-headers"):
                data = part.get_payload(decode=True)
                if data is not None:
                    text = data.lstrip().decode("ascii", "surrogateescape")
                    return mime.read_head(text.replace("\r\n", "\n").replace("\r", "\n"))[0]
        return None

    def attached_messages(self) -> list[Mail]:
        """Messages attached as message/rfc822 (for bounces forwarded inside a mail)."""
        found = []
        for part in self.parts_of_type("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                raw = payload[0].raw_text
                if raw is not None:
                    found.append(Mail(raw.encode("ascii", "surrogateescape")))
        # a saved message attached as a file ("bounce.eml", application/octet-stream)
        for part in self.parts():
            name = (part.get_param("filename", None, "content-disposition")
                    or part.get_param("name") or "").lower()
            if name.endswith(".eml") and part.get_content_maintype() in ("application", "text"):
                data = part.get_payload(decode=True)
                if data:
                    found.append(Mail(data[:MAX_ATTACHED]))
        return found


#: bytes of a message attached as a file that are read
MAX_ATTACHED = 4 * 1024 * 1024


def _walk(part: Part, depth: int, count: list[int]) -> Iterator[Part]:
    if depth > MAX_DEPTH or count[0] >= MAX_PARTS:
        return
    count[0] += 1
    yield part
    if part.get_content_maintype() == "message":
        return
    payload = part.get_payload()
    if isinstance(payload, list):
        for sub in payload:
            yield from _walk(sub, depth + 1, count)


def part_text(part: Part) -> str:
    """Decoded text of a leaf part (transfer encoding and charset), never raising; ""
    for a part holding parts."""
    data = part.get_payload(decode=True)
    return "" if data is None else textcodec.decode(data, part.get_content_charset())


def html_to_text(html: str) -> str:
    """A rough but safe HTML-to-text: block tags become newlines, other tags vanish."""
    html = re.sub(r"(?i)<(?:br|/p|/div|/tr|/li|/h\d)[^<>]{0,200}>", "\n", html)
    html = _drop_style_and_script(html)
    text = _TAG.sub("", html)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return _BLANKS.sub("\n\n", text)


_BLOCK_OPEN = lazy(r"(?i)<(style|script)[^<>]{0,200}>")
_BLOCK_CLOSE = {"style": lazy(r"(?i)</style>"),
                "script": lazy(r"(?i)</script>")}
_BLOCK_REACH = 100_000  #: a closing tag further than this from its opening one is not looked for


def _drop_style_and_script(html: str) -> str:
    """Remove <style> and <script> elements (whose closing tag comes within
    _BLOCK_REACH characters), in one pass: the position of the next closing tag of each
    kind is remembered, so many unclosed opening tags cost no re-scanning."""
    out: list[str] = []
    position = 0
    closing: dict[str, int] = {}
    for opening in _BLOCK_OPEN.finditer(html):
        if opening.start() < position:
            continue  # inside an element already removed
        kind = opening.group(1).lower()
        close_at = closing.get(kind, -1)
        if close_at != -2 and close_at < opening.end():
            found = _BLOCK_CLOSE[kind].search(html, opening.end())
            close_at = closing[kind] = found.start() if found else -2
        if close_at < 0 or close_at - opening.end() > _BLOCK_REACH:
            continue
        out.append(html[position : opening.start()])
        position = close_at + len(kind) + 3
    out.append(html[position:])
    return "".join(out)


_FIELD = lazy(r"([A-Za-z][A-Za-z0-9-]{0,60})[ \t]*:[ \t]*(.*)")


def parse_field_blocks(text: str) -> list[Fields]:
    """Parse 'Name: value' blocks separated by blank lines; continuation lines (starting
    with white space) are unfolded into the previous field."""
    blocks: list[Fields] = []
    current: Fields = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        if line[0] in " \t" and current:
            name, value = current[-1]
            current[-1] = (name, f"{value} {line.strip()}".strip())
            continue
        match = _FIELD.match(line)
        if match:
            current.append((match.group(1), match.group(2).strip()))
    if current:
        blocks.append(current)
    return blocks


def field(fields: Fields, name: str) -> str | None:
    """The value of the first field called `name` (case-insensitive)."""
    lname = name.lower()
    for key, value in fields:
        if key.lower() == lname:
            return value
    return None
