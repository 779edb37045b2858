"""The parameters of a Content-Type or Content-Disposition value (RFC 2045, RFC 2231).

``multipart/report; report-type=delivery-status; boundary="b1"`` gives the type
``multipart/report`` and the parameters ``report-type`` and ``boundary``. Values may be
quoted (with backslash escapes); RFC 2231 adds values split into numbered pieces
(``name*0=``, ``name*1=``) and values in a named charset (``name*=utf-8'en'%E2%9C%93``).
One pass over the value; the first occurrence of a name wins, as in the email package.
"""

from __future__ import annotations

from bouncefix.regex import lazy

_CONTINUATION = lazy(r"([^*]{1,80})\*(?:([0-9]{1,3})\*?)?")
_PERCENT = lazy(r"%([0-9A-Fa-f]{2})")


def split_value(value: str) -> tuple[str, dict[str, str]]:
    """The content type (as written, stripped) and the parameters: lower-cased names,
    unquoted and RFC 2231-decoded values."""
    pieces = _pieces(value)
    params: dict[str, str] = {}
    extended: dict[str, list[tuple[int, str, bool]]] = {}
    for piece in pieces[1:]:
        name, equals, raw = piece.partition("=")
        if not equals:
            continue
        name = name.strip().lower()
        raw = _unquote(raw.strip())
        continued = _CONTINUATION.fullmatch(name)
        if continued:
            number = continued.group(2)
            extended.setdefault(continued.group(1), []).append(
                (int(number) if number is not None else -1, raw, name.endswith("*")))
        elif name not in params:
            params[name] = raw
    for name, segments in extended.items():
        if name not in params:
            params[name] = _join_extended(segments)
    return pieces[0].strip(), params


def _pieces(value: str) -> list[str]:
    """`value` cut at the semicolons that are not inside a quoted string."""
    pieces: list[str] = []
    pending: list[str] = []
    quoted = False
    for piece in value.split(";"):
        pending.append(piece)
        if '"' in piece and (piece.count('"') - piece.count('\\"')) % 2:
            quoted = not quoted
        if not quoted:
            pieces.append(";".join(pending))
            pending = []
    if pending:
        pieces.append(";".join(pending))
    return pieces


def _unquote(value: str) -> str:
    if len(value) > 1:
        if value[0] == '"' and value[-1] == '"':
            return value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        if value[0] == "<" and value[-1] == ">":
            return value[1:-1]
    return value


def _join_extended(segments: list[tuple[int, str, bool]]) -> str:
    """An RFC 2231 value from its pieces: percent-escapes undone in the encoded ones,
    then decoded from the charset the first names (replacing what does not decode)."""
    segments.sort(key=lambda segment: segment[0])
    encoded = any(segment[2] for segment in segments)
    text = "".join(
        _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), raw) if is_encoded else raw
        for _, raw, is_encoded in segments
    )
    if not encoded:
        return text
    parts = text.split("'", 2)
    if len(parts) < 3:
        return text
    charset, _language, words = parts
    try:
        return words.encode("latin-1").decode(charset or "us-ascii", "replace")
    except (LookupError, UnicodeEncodeError):
        return words
