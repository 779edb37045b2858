"""One parsed message or MIME part, as the MIME reader (mime.py) builds it.

A part holds its header fields as read (names as written; values unfolded only as far
as the reader does, raw 8-bit bytes kept as surrogate escapes) and a payload: the body
text of a leaf, the list of sub-parts of a multipart, or, for an attached message, a
one-element list holding that message's head. Parsers look fields up by name over and
over, so look-ups go through an index by lower-cased name, and the content type and
parameters are worked out once.

The interface follows ``email.message.Message`` under ``policy.compat32`` where the two
overlap (``get``, ``get_content_type``, ``get_param``, ``get_payload(decode=True)``...),
so that anyone who knows the email package can read the parsers. It is read-only once
built, and imports nothing of the email package (whose import alone costs more than a
short run's analysis).
"""

from __future__ import annotations

from typing import Literal, overload

from . import params, transfer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import KeysView

Fields = list[tuple[str, str]]


def _printable(value: str) -> str:
    """A field value with its raw 8-bit bytes shown as U+FFFD (what compat32's ``get``
    gives); real non-ASCII text stays."""
    if value.isascii():
        return value
    try:
        return value.encode("ascii", "surrogateescape").decode("ascii", "replace")
    except UnicodeEncodeError:
        return value


class Part:
    """A message or MIME part: header fields and payload (see the module's text)."""

    __slots__ = (
        "_fields",
        "_index",
        "_params",
        "_type",
        "epilogue",
        "notes",
        "payload",
        "preamble",
        "raw_text",
    )

    def __init__(self) -> None:
        self._fields: Fields = []
        self._index: dict[str, str] | None = None
        self._params: dict[str, tuple[str, dict[str, str]]] = {}
        self._type: str | None = None
        #: body text, sub-parts (multipart) or the attached message's head (message/*)
        self.payload: str | list[Part] = ""
        self.preamble: str | None = None
        self.epilogue: str | None = None
        #: an attached message's whole text, to read it fully if it must be looked into
        self.raw_text: str | None = None
        #: notes on the reading limits the parse reached (set on the top message)
        self.notes: list[str] = []

    # -- building (the MIME reader) -------------------------------------------------

    def set_fields(self, fields: Fields) -> None:
        """Set all header fields at once: (name, raw value) pairs, in order."""
        self._fields = fields
        self._index = None

    def add_field(self, name: str, value: str) -> None:
        """Add one header field (name, raw value) after the others."""
        self._fields.append((name, value))
        self._index = None

    # -- header fields -----------------------------------------------------------------

    def raw_items(self) -> Fields:
        """Every field as read: (name, raw value) pairs, in order."""
        return self._fields

    def field_names(self) -> KeysView[str]:
        """The lower-cased field names (a set-like view)."""
        return self._by_name().keys()

    def _by_name(self) -> dict[str, str]:
        index = self._index
        if index is None:
            index = {}
            for name, value in self._fields:
                index.setdefault(name.lower(), value)
            self._index = index
        return index

    def get(self, name: str, failobj: str | None = None) -> str | None:
        """The value of the first field called `name` (any case), raw 8-bit bytes
        shown as U+FFFD; `failobj` when there is none."""
        value = self._by_name().get(name.lower())
        return failobj if value is None else _printable(value)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_name()

    # -- content type and parameters ----------------------------------------------------

    def _split(self, field: str) -> tuple[str, dict[str, str]]:
        found = self._params.get(field)
        if found is None:
            value = self.get(field)
            found = self._params[field] = params.split_value(value) if value else ("", {})
        return found

    def get_content_type(self) -> str:
        """The lower-case content type; text/plain when absent or malformed."""
        ctype = self._type
        if ctype is None:
            written = self._split("content-type")[0].lower()
            ctype = self._type = written if written.count("/") == 1 else "text/plain"
        return ctype

    def get_content_maintype(self) -> str:
        return self.get_content_type().split("/", 1)[0]

    def get_content_subtype(self) -> str:
        return self.get_content_type().split("/", 1)[1]

    def get_param(self, param: str, failobj: str | None = None,
                  header: str = "content-type") -> str | None:
        """Parameter `param` of field `header`, unquoted and RFC 2231-decoded."""
        value = self._split(header.lower())[1].get(param.lower())
        return failobj if value is None else value

    def get_content_charset(self) -> str | None:
        """The charset parameter, lower-cased; None when absent or not ASCII."""
        charset = self.get_param("charset")
        if charset is None or not charset.isascii():
            return None
        return charset.strip().lower()

    def get_boundary(self) -> str | None:
        boundary = self.get_param("boundary")
        return None if boundary is None else boundary.rstrip()

    # -- payload -------------------------------------------------------------------------

    def is_multipart(self) -> bool:
        """Whether the payload is a list of parts (multipart, or an attached message)."""
        return isinstance(self.payload, list)

    @overload
    def get_payload(self, decode: Literal[False] = False) -> str | list[Part]: ...

    @overload
    def get_payload(self, decode: Literal[True]) -> bytes | None: ...

    def get_payload(self, decode: bool = False) -> str | list[Part] | bytes | None:
        """The payload; with `decode`, a leaf's body as bytes with its transfer
        encoding undone (None for a part holding parts)."""
        payload = self.payload
        if not decode:
            return payload
        if isinstance(payload, list):
            return None
        try:
            data = payload.encode("ascii", "surrogateescape")
        except UnicodeEncodeError:  # text not read from bytes by the MIME reader
            data = payload.encode("utf-8", "surrogateescape")
        return transfer.decode(data, self.get("content-transfer-encoding") or "")

    def set_payload(self, payload: str | list[Part]) -> None:
        self.payload = payload
