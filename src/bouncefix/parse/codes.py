"""Regex primitives shared by every parser: codes, addresses, SMTP commands, unwrapping.

All patterns are linear-time: bounded character classes, no nested quantifiers.
"""

from __future__ import annotations

import re

from bouncefix.regex import lazy

# 5.1.1, 4.7.26, 5.7.606 -- not a piece of an IP address or version number.
STATUS = lazy(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")
# A reply code: the success codes RFC 5321 and its extensions define (211, 214, 220, 221,
# 235, 250-253), any temporary or permanent one (4xx, 5xx).
REPLY_CODE = r"2(?:1[14]|2[01]|35|5[0-3])|[45][0-5]\d"
# A reply code where SMTP puts one: at the start of a line or after a separator,
# followed by a space, a hyphen (continuation) or the end. Full-width brackets and colons
# count as separators: "配信できませんでした（550 5.1.1 user unknown）", and the "*" a
# transcript marks a refusal with ("<~* 535 5.7.8 ...", swaks), and the "<" Amazon SES
# wraps the last reply in ("Message expired: unable to deliver in 840 minutes.<421 4.4.0 ...>").
# Python's smtplib shows a reply as a tuple: "SMTPDataError: (554, b'5.7.1 Rejected')".
REPLY_AT_START = lazy(
    # (after a space, a colon, a bracket or a quote, also typographic and CJK ones:
    # 远程服务器返回“550 5.4.1 ...”, „550 ...“)
    r"(?:^|(?<=[\s:;(\[\"'=<>*\u201c\u2018\u201e\u00ab\uff08\uff1a\uff1b\uff3b\u300c\u300e\u3010]))("
    + REPLY_CODE + r")(?=[ \t-]|$|(?<=\(\d\d\d),[ \t]?b['\"])",
    re.M,
)
REPLY_LEADING = lazy(r"\A[\s\"'(\[<#:;\u201c\u2018\u201e\u00ab-]{0,6}(" + REPLY_CODE + r")(?:[ \t-]|$)")
# An email address: bounded local part and domain. Beyond ASCII (RFC 6531), letters and
# digits of any script are word characters (\w); punctuation, symbols and spacing of any
# script are not, so "jane@example.org、" ends at the comma and full-width brackets and
# colons end an address. The last label is ASCII or begins with a non-ASCII letter:
# "jane@example.org宛のメール" is jane@example.org, an IDN top-level domain stays whole.
# (\w, not a list of Unicode ranges: such a list costs milliseconds to compile.)
ADDRESS = lazy(
    r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@"
    r"(?:[\w-]{1,63}\.){1,8}"
    r"(?:[A-Za-z][A-Za-z0-9-]{0,62}|[^\W\x00-\x7f_][\w-]{0,62})"
)
# Hebrew and Arabic prepositions glued before an ASCII address: "ל-yossi@example.com"
_RTL_PREFIX = lazy(r"\A[\u0590-\u06ff]{1,4}-?(?=[A-Za-z0-9])")
# Ideographs, kana and hangul glued before an ASCII local part: "宛先jane@example.org".
_CJK_PREFIX = lazy(
    r"\A[\u2e80-\u2fff\u3005-\u3007\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff"
    r"\uff66-\uffdc]{1,64}(?=[A-Za-z0-9])"
)
ANGLE_ADDRESS = lazy(r"<([^<>\s@]{1,64}@[^<>\s@]{1,255})>")
COMMAND = lazy(
    r"(?i)\b(?:in\s+reply\s+to|after|while\s+sending|during|in\s+response\s+to|"
    r"sending)\s+(?:the\s+)?(?:end\s+of\s+)?(MAIL\s+FROM|RCPT\s+TO|(?-i:DATA)|HELO|EHLO|"
    # (bare MAIL and DATA only as written in capitals: "while sending mail" is prose)
    r"STARTTLS|AUTH|RCPT|(?-i:MAIL)|BDAT|CONNECT|QUIT|RSET|XFORW|end\s+of\s+data|"
    r"initial\s+connection|connect(?:ion)?\s+time|greeting)\b"
    # a client library's own words (PHPMailer): "MAIL FROM command failed", "RCPT TO
    # command failed", "DATA command failed"
    # (not Postfix's "Helo command rejected", which answers RCPT TO)
    r"|\b(MAIL\s+FROM|RCPT\s+TO|(?-i:DATA)|EHLO|HELO|STARTTLS|AUTH)\s+command\s+failed\b",
    guard=("reply", "after", "sending", "during", "response", "command"),
)
_COMMAND_NAMES = {
    "MAIL FROM": "MAIL", "MAIL": "MAIL", "RCPT TO": "RCPT", "RCPT": "RCPT", "DATA": "DATA",
    "END OF DATA": "DATA", "HELO": "HELO", "EHLO": "EHLO", "STARTTLS": "STARTTLS",
    "AUTH": "AUTH", "BDAT": "DATA", "CONNECT": "CONNECT", "QUIT": "QUIT", "RSET": "RSET",
    "XFORW": "XFORWARD", "INITIAL CONNECTION": "CONNECT", "CONNECT TIME": "CONNECT",
    "CONNECTION TIME": "CONNECT", "GREETING": "CONNECT",
}
_CONTINUATION = lazy(r"(?m)^[ \t]*([245]\d\d)[- ]((?:[245]\.\d{1,3}\.\d{1,3}[ \t]?)?)")
_SPACES = lazy(r"[ \t]+")
_CODE_TOKEN = lazy(r"(?<![\d.])([245]\d\d)(?=[- ])")
_STATUS_CONTINUATION = lazy(r"([245]\.\d{1,3}\.\d{1,3})(?:[ \t]+|\Z)")
_STATUS_TOKEN = lazy(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])")


def find_status(text: str | None) -> str | None:
    """The enhanced status code of `text` (e.g. '5.1.1'), or None: the first one, unless
    it is the detail-less x.0.0 and a later one of the same class says more
    (``554 5.0.0 Service unavailable ... 550 5.7.1 refused``: 5.7.1)."""
    if not text:
        return None
    text = text[:20000]
    found = [m for m in STATUS.finditer(text) if not _VERSION_BEFORE.search(
        text[max(0, m.start() - 24) : m.start()])]
    found = [m for m in found if not _alone_after_label(text, m)]
    if not found:
        return None
    match = found[0]
    if match.group(1) == "2":  # "250 2.1.0 Ok" of a transcript, before the refusal
        match = next((m for m in found if m.group(1) in "45"), match)
    if match.group(2).strip("0") == "" and match.group(3).strip("0") == "":
        for later in found:
            if later.start() > match.start() and later.group(1) == match.group(1) and (
                    later.group(2).strip("0") or later.group(3).strip("0")):
                match = later
                break
    return f"{match.group(1)}.{int(match.group(2))}.{int(match.group(3))}"


# A version number, not a status: "mail-2.8.1", "v4.0.1", "version 5.1.2".
_VERSION_BEFORE = lazy(r"(?i)(?:[a-z]-?|\b(?:version|ver\.?|release|build)[ \t]*[:=]?[ \t]*)\Z")
# "Some Name: 4.0.1" alone on its line is a version of a debug dump ("WP Mail SMTP:
# 4.0.1"); a DSN's "Status: 5.1.1", "Error: 5.7.1", "Remote server returned: 5.1.10" are
# statuses
_LABEL_ONLY = lazy(r"(?i)^[ \t]*([A-Za-z][\w .-]{0,40}):[ \t]*\Z")
_STATUS_LABEL = lazy(
    r"(?i)(?:^|[ -])(?:status|dsn|codes?|details?|error|result|reply|returned|reason|"
    r"diagnos(?:is|tic)|response|said|info|information|message|answer)\Z"
)


def _alone_after_label(text: str, match: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start : match.start()]
    if not before.rstrip(" \t").endswith(":"):  # no label: the common case, no regex
        return False
    label = _LABEL_ONLY.match(before)
    if label is None or _STATUS_LABEL.search(label.group(1).rstrip()):
        return False
    line_end = text.find("\n", match.end())
    return not text[match.end() : len(text) if line_end < 0 else line_end].strip()


def is_summary_status(status: str | None) -> bool:
    """A status that names no cause: a bare class (x.0.0), or "delivery time expired"
    (x.4.7) that delay and expiry notices put over the attempt that failed."""
    return status is not None and (is_vague_status(status) or status[1:] == ".4.7")


def is_vague_status(status: str | None) -> bool:
    """5.0.0 and 4.0.0: a class with no detail (what transcripts and Postfix give when
    the server's own reply had none, or as their own summary)."""
    return status is not None and status.endswith(".0.0")


# A number that is no reply code: an exit status, a process or line number, a count.
# "pipe to |/usr/bin/filter exit 255", "returned status 554", "after 450 attempts".
_NOT_REPLY_BEFORE = lazy(
    # (a program's field for an HTTP status: "statusCode: 422", "status_code=429")
    r"(?i)(?:\b(?:exit(?:ed)?|status(?:_?code[\"']?)?|errno|pid|uid|gid|port|line|size|signal|"
    r"return(?:ed)?(?:[ \t]+(?:code|value))?|exit[ \t]+(?:code|value))|#|"
    # an HTTP status line ("HTTP/1.1 422 Unprocessable Entity"): a web API's answer
    r"\bHTTP(?:/\d(?:\.\d)?)?"
    # a telephone number ("+1 555 0100", "Tel: 555-0100")
    r"|\+\d{1,4}|\b(?:tel|phone|fax|mobile|cell|ph)\.?)[ \t]*[=:]?[ \t]*\Z"
)
def _phone_rest(text: str, end: int) -> bool:
    """Whether the rest of a telephone number follows three digits at `end` ("555-0100",
    "555 0100", "call 555-0100."): a separator, four digits, and no more digits (nor a
    dot and a digit: a version or an address goes on)."""
    rest = text[end:end + 7]
    return (len(rest) >= 5 and rest[0] in " .-" and rest[1:5].isdigit()
            and (len(rest) == 5 or not (rest[5].isdigit()
                                        or (rest[5] == "." and rest[6:7].isdigit()))))
_NOT_REPLY_AFTER = lazy(
    r"(?i)[ \t]*(?:messages?\b|e?-?mails?\b|recipients?\b|"
    r"rcpts?\b|times\b|attempts?\b|tries\b|retries\b|characters?\b|chars\b|lines\b|max\b|"
    # what people count in a sentence: "about 400 runs went through", "450 contacts"
    r"runs\b|orders\b|people\b|users\b|contacts\b|subscribers\b|addresses\b|customers\b|"
    r"members\b|sends\b|jobs\b|rows\b|records\b|bounces\b|deliveries\b|invoices\b|"
    r"notifications\b|newsletters\b|campaigns\b|donors\b|clients\b)"
)
# A quantity: no reply code is followed by a unit, wherever it stands ("212 MB free,
# 512 MB required", "450 ms", "421 seconds")
_UNIT_AFTER = lazy(
    r"(?i)[ \t]?(?:%|bytes?\b|octets?\b|[kmgt]i?b\b|[kmg]bytes?\b|ms\b|seconds?\b|secs?\b|"
    r"minutes?\b|mins?\b|hours?\b|hrs?\b|days?\b)"
    # a kind of reply described, not one given: "a temporary (400-level) reply"
    r"|-(?:level|series|class|range)\b"
)


# An HTTP status with its reason phrase ("400 Bad Request", "429 Too Many Requests"): a web
# API's answer, never an SMTP reply (whose own wordings differ: "503 Bad sequence")
_HTTP_REASON_AFTER = lazy(
    r"(?i)[ \t]+\(?(?:Bad[ \t]?Request|Unauthori[sz]ed|Forbidden|Not[ \t]Found|Method[ \t]Not[ \t]Allowed"
    r"|Conflict|Gone|Payment[ \t]Required|Payload[ \t]Too[ \t]Large|Request[ \t]Entity[ \t]Too[ \t]Large"
    r"|Unprocessable[ \t]Entity|Too[ \t]Many[ \t]Requests|Internal[ \t]Server[ \t]Error|Bad[ \t]Gateway"
    r"|Gateway[ \t]Time-?out)\b"
)

#: a literal of which every _HTTP_REASON_AFTER match holds one (the regex is compiled only
#: when one occurs)
_HTTP_REASON_WORDS = ("request", "unauthori", "forbidden", "found", "allowed", "conflict",
                      "gone", "payment", "large", "entity", "server error", "gateway")


def _is_reply_at(text: str, start: int, end: int) -> bool:
    """Whether the three digits at text[start:end] stand where a reply code does."""
    before = text[max(0, start - 24) : start]
    if _phone_rest(text, end) or _UNIT_AFTER.match(text, end, end + 10) or (
            any(word in text[end:end + 32].lower() for word in _HTTP_REASON_WORDS)
            and _HTTP_REASON_AFTER.match(text, end, end + 32)):
        return False
    if not before:
        return True
    if _NOT_REPLY_BEFORE.search(before):
        return False
    # a count stands in a sentence ("failed after 450 attempts") or in brackets ("(250
    # recipients per hour)"); "552 Message size exceeds ..." at the start of a line is a reply
    prose = before.rstrip(" \t")[-1:]
    return not ((prose.isalnum() or prose == "(") and _NOT_REPLY_AFTER.match(text, end, end + 16))


def reply_codes(text: str | None) -> list[tuple[int, str]]:
    """Every SMTP reply code of `text` in a reply-like position, with its offset."""
    if not text:
        return []
    text = text[:20000]
    found = []
    leading = REPLY_LEADING.match(text)
    if leading and _is_reply_at(text, leading.start(1), leading.end(1)):
        found.append((leading.start(1), leading.group(1)))
    for match in REPLY_AT_START.finditer(text):
        if found and match.start(1) == found[0][0]:
            continue
        if _is_reply_at(text, match.start(1), match.end(1)):
            found.append((match.start(1), match.group(1)))
    return found


def find_reply_code(text: str | None) -> str | None:
    """The first SMTP reply code in `text` in a reply-like position, or None. Exit
    statuses, counts and other numbers are not reply codes."""
    if not text:
        return None
    text = text[:20000]
    first = None
    leading = REPLY_LEADING.match(text)
    if leading and _is_reply_at(text, leading.start(1), leading.end(1)):
        first = leading.group(1)
        if first[0] in "45":
            return first
    in_prose = None
    for match in REPLY_AT_START.finditer(text):
        if _is_reply_at(text, match.start(1), match.end(1)):
            if match.group(1)[0] in "45":
                if not _after_a_word(text, match.start(1)):
                    return match.group(1)
                # a person's mention ("the page throws a 500 on production") gives way to
                # a reply quoted after it
                in_prose = in_prose or match.group(1)
                continue
            # a transcript's accepted steps (220, 250, 334) come before the refusal
            first = first or match.group(1)
    return in_prose or first


def only_mentioned(text: str) -> bool:
    """Whether every reply code of `text` is only mentioned in a sentence ("the page
    throws a 500 on production"), with no enhanced status code: no reply quoted."""
    if find_status(text):
        return False
    starts = [match.start(1) for match in REPLY_AT_START.finditer(text[:20000])
              if _is_reply_at(text, match.start(1), match.end(1))]
    return bool(starts) and all(_after_a_word(text, start) for start in starts)


def _after_a_word(text: str, start: int) -> bool:
    """Whether the code at `start` follows a word on its line ("throws a 500", "accepted
    550 of 612"), not a name or a field ("jo@example.net 450", "dsn=")."""
    before = text[max(0, start - 24):start].rpartition("\n")[2].split()
    return bool(before) and before[-1].isalpha()


def find_command(text: str | None) -> str | None:
    """The SMTP command a reply answered ('RCPT', 'DATA', ...), if the text says."""
    if not text:
        return None
    match = COMMAND.search(text[:20000])
    return _command_name(match) if match else None


def _command_name(match: re.Match[str]) -> str:
    name = _SPACES.sub(" ", (match.group(1) or match.group(2)).upper())
    return _COMMAND_NAMES.get(name, name)


def only_command(text: str | None) -> str | None:
    """The SMTP command `text` names, when it names exactly one ("SMTP error from remote
    mail server after RCPT TO:<...>" above the reply it introduces)."""
    if not text:
        return None
    names = {_command_name(m) for m in COMMAND.finditer(text[:20000])}
    return names.pop() if len(names) == 1 else None


# (a log's time stamp may open each line: "[2024/04/15 21:07:34] >>> MAIL FROM:<...>")
_STAMP = (r"(?:\[[^\]\n]{1,40}\][ \t]*|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]\d{1,2}:\d{2}"
          r"(?::\d{2}(?:[.,]\d{1,6})?)?[ \t]+|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?[ \t]+)?")
_SENT = lazy(r"(?im)^[ \t]*" + _STAMP + r">>>[ \t]*(MAIL|RCPT|DATA|EHLO|HELO|STARTTLS|AUTH|BDAT)\b")
_REFUSED = lazy(r"(?m)^[ \t]*" + _STAMP + r"<<<[ \t]*[45]\d\d\b")


def transcript_command(text: str | None) -> str | None:
    """In a Sendmail-style transcript (">>> MAIL From:<...>" then "<<< 550 ..."), the
    command the first refusal answered."""
    if not text or ">>>" not in text:
        return None
    refused = _REFUSED.search(text[:20000])
    if refused is None:
        return None
    sent = [m.group(1).upper() for m in _SENT.finditer(text, 0, refused.start())]
    return sent[-1] if sent else None


def find_addresses(text: str | None) -> list[str]:
    """Every address in `text`, in order, without duplicates (case-insensitive)."""
    if not text:
        return []
    seen: set[str] = set()
    out = []
    for match in ADDRESS.finditer(text[:200000]):
        address = clean_address(match.group(0))
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def only_address(text: str | None) -> str | None:
    """The address `text` names when it names exactly one (a header's value), else None."""
    found = find_addresses(text)
    return found[0] if len(found) == 1 else None


def clean_address(value: str | None) -> str | None:
    """Normalise an address as found in a report: strip 'rfc822;', brackets, quotes,
    trailing punctuation; validate the overall shape. Returns None when it is not one."""
    if not value:
        return None
    value = value.strip()
    if value and value[0] > "\x7f":
        value = _RTL_PREFIX.sub("", _CJK_PREFIX.sub("", value))
    if ";" in value[:12]:
        value = value.split(";", 1)[1].strip()
    if '"' in value:
        # a quoted local part ("ops team"@example.org, RFC 5321); and
        # "alice@example.org"@evil.example is an address at evil.example, not alice's
        quoted = _QUOTED_ADDRESS.search(value)
        if quoted and ("@" in quoted.group(1) or _QUOTED_ONLY.match(value)):
            domain = quoted.group(2).strip(".-").lower()
            return f"{quoted.group(1)}@{domain}" if "." in domain else None
    match = ANGLE_ADDRESS.search(value)
    if match:
        value = match.group(1)
    if value[:2] in ("{'", '{"'):  # a key of a printed dict (Python's smtplib errors)
        value = value[1:]
    elif "=" in value[:41]:  # a log's key=value field: "to=ann@example.org", a setting's
        value = _LOG_KEY.sub("", value, count=1)  # "EMAIL_HOST_USER=ann@example.org"
        # quoted-printable left undecoded in a paste: line ends and spaces before the
        # address ("=0D=0A=0D=0Aall-staff@example.org")
        value = _QP_BREAKS.sub("", value, count=1)
    # (and the marks of chat and Markdown around it: **bold**, `code`, <mailto:a|a>)
    value = value.strip(" \t<>\"'()[]{},;:.*`|~")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if value.count("@") != 1 or len(value) > 320:
        found = ADDRESS.search(value)
        if not found:
            return None
        value = found.group(0).strip(".-")
    local, _, domain = value.rpartition("@")
    if domain and domain[0] != "[":
        # the domain ends where a character no domain holds starts: "example.org<br"
        end = next((i for i, c in enumerate(domain) if not (c.isalnum() or c in "._-")),
                   len(domain))
        domain = domain[:end].rstrip(".-")
    if not local or not domain or "." not in domain or _WHITESPACE.search(value):
        return None
    if "***" in local:  # masked for privacy ("j*******@example.com"): nobody's address
        return None
    return f"{local}@{domain.lower()}"



_LOG_KEY = lazy(r"(?i)\A(?:to|rcpt|recipients?|orig_to|e?mail|address|mailbox|user|from|sender|"
               r"sasl_(?:username|sender)|username|login|"
               r"envelope[-_]from|envelope[-_]to|(?:smtp\.)?mailfrom|smtp\.rcptto|header\.from|"
               r"ctladdr|identity|(?-i:[A-Z][A-Z0-9]{0,20}(?:_[A-Z0-9]{1,20}){1,4}))=")
_QP_BREAKS = lazy(r"(?i)\A(?:=(?:0D|0A|09|20))+")
_WHITESPACE = lazy(r"\s")  # what str.isspace() calls white space
# "john..doe"@example.org, "alice@example.org"@evil.example: a quoted local part, one domain.
_QUOTED_ADDRESS = lazy(r'("(?:[^"\\\n]|\\.){1,128}")@([\w.-]{1,255})')
# a value that is only such an address, perhaps in brackets or after "rfc822;"
_QUOTED_ONLY = lazy(r'[<(\[ \t]*"(?:[^"\\\n]|\\.){1,128}"@[\w.-]{1,255}[>)\] \t.,;:]*\Z')


def recipient_address(value: str | None) -> str | None:
    """The address of a DSN recipient field (``rfc822; jane@example.org``), validated as
    a whole: never an address picked out of a longer string (CVE-2023-27043, where
    ``"alice@example.org"@evil.example`` or ``alice@example.org)<bob@evil.example>``
    were read as alice's). A quoted local part keeps its own domain; a field with more
    than one '@' that is not one quoted address names no recipient at all."""
    if not value or value.count("@") <= 1:
        return clean_address(value)
    text = value.strip()
    if ";" in text[:12]:
        text = text.split(";", 1)[1]
    text = text.strip().strip("<>").strip()
    if text.startswith("@") and ":" in text:  # an RFC 821 source route: @relay:user@domain
        text = text.split(":", 1)[1]
        if text.count("@") == 1:
            return clean_address(text)
    match = _QUOTED_ADDRESS.fullmatch(text)
    if match is None or "." not in match.group(2):
        return None
    return f"{match.group(1)}@{match.group(2).lower()}"


def unwrap_reply(text: str) -> str:
    """Join a multi-line SMTP reply into one line of prose.

    ``550-5.1.1 The email account that you tried to reach does not exist. Please try``
    ``550-5.1.1 double-checking the recipient's email address for typos or``
    becomes one sentence starting with ``550 5.1.1``; continuation prefixes after the
    first line are dropped, other line breaks fold to spaces.
    """
    lines = [line.strip() for line in text.strip().split("\n")]
    out: list[str] = []
    seen: set[str] = set()  # the codes met so far: a later line repeating one continues it
    statuses: set[str] = set()  # the first line's enhanced code
    for line in lines:
        if not line:
            continue
        match = _CONTINUATION.match(line)
        if match and match.group(1) in seen:
            line = line[match.end():].strip()
        elif match:
            line = f"{match.group(1)} {match.group(2)}{line[match.end():]}".strip()
        elif out and (status := _STATUS_CONTINUATION.match(line)) and status.group(1) in statuses:
            # the reply's lines without their reply code, each still opening with the
            # first line's enhanced code (as smtplib and some logs print them)
            line = line[status.end():].strip()
        if line:
            if not out:
                statuses.update(_STATUS_TOKEN.findall(line[:20]))
            out.append(line)
            seen.update(_CODE_TOKEN.findall(line))
    joined = _SPACES.sub(" ", " ".join(out)).strip()
    return drop_inline_prefixes(joined)


# A multi-line reply that a log wrote on one line keeps each line's prefix in the middle:
# "421-4.7.0 Our system has detected that this message is 421-4.7.0 suspicious ... go to
# 421 4.7.0 https://..."
_INLINE_PREFIX = lazy(r" ([245]\d\d)([- ])((?:[245]\.\d{1,3}\.\d{1,3} )?)")
_OPENING_CODE = lazy(r"(?<!\S)([245]\d\d)-((?:[245]\.\d{1,3}\.\d{1,3})?)")
# the reply's own first line: its code and, where a space or the end follows it, its
# enhanced code ("550 5.7.1 Our ...", "550 Please ...")
_LEADING_CODE = lazy(r"([245]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3})(?: |\Z))?")


def drop_inline_prefixes(reply: str) -> str:
    """`reply` without the prefixes of its continuation lines that stand in its middle
    (as a log writes a multi-line reply on one line): from the first "CODE-", each
    "CODE-" of that code (and its enhanced code), and then the last line's "CODE STATUS "
    when it repeats that code and enhanced code."""
    if "-" not in reply:
        return reply
    opening = _OPENING_CODE.search(reply)
    if opening is None:
        return reply
    code, status = opening.group(1), opening.group(2)
    dropped = ended = False
    # (a reply whose first line's prefix was already made "550 ": the first "550-" in its
    # middle continues it)
    leading = _LEADING_CODE.match(reply)
    first = (0 if leading and leading.group(1) == code and (leading.group(2) or "") == status
             else opening.start(1))

    def drop(found: re.Match[str]) -> str:
        nonlocal dropped, ended
        if found.group(1) != code or found.start(1) == first or ended:
            return found.group(0)  # (another code, the reply's own first line, or after it)
        if found.group(2) == "-":
            dropped = True
            return " "
        if dropped and found.group(3).strip() == status:
            # the last line's prefix, after continuation lines ("550 5.7.1 " or, in a
            # reply without enhanced codes, "550 "): the reply ends with that line
            ended = True
            return " "
        return found.group(0)

    return _SPACES.sub(" ", _INLINE_PREFIX.sub(drop, reply))


def strip_dsn_type(value: str | None) -> str:
    """'smtp; 550 5.1.1 user unknown' -> '550 5.1.1 user unknown'."""
    if not value:
        return ""
    head, sep, rest = value.partition(";")
    if sep and len(head) < 20 and " " not in head.strip():
        return rest.strip()
    return value.strip()
