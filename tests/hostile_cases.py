"""The hostile-input table: each case is an input (or a file situation) and the command
line to run on it, with the exit code expected and text that must or must not appear.

Shared by tests/test_hostile_cli.py (which runs every case through the installed CLI in a
subprocess, with a time guard) and bench/hostile.py --table (which prints each case's
time and exit code). Inputs are generated, never stored: several are megabytes.

Every case is also checked for what holds whatever the input: no traceback, no control
bytes on stdout or stderr (only newline and tab), JSON output that parses.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: no case may take longer than this (seconds, wall clock, start-up included)
TIME_LIMIT = 20.0
#: an ASCII-only, non-UTF-8 locale: what a minimal container or an old terminal gives
C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
RICH = {"BOUNCEFIX_FORCE_RICH": "1", "NO_COLOR": "1", "COLUMNS": "100"}

_BAD_CONTROL = bytes(c for c in range(32) if c not in (9, 10)) + b"\x7f"


def dsn(
    diagnostic: str = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown",
    *,
    subject: str = "Undelivered Mail Returned to Sender",
    recipient: str = "bob@example.org",
    status: str = "5.1.1",
    headers: str = "",
    text_part: str | None = None,
    text_headers: str = "Content-Type: text/plain; charset=utf-8",
    status_fields: str = "",
    extra_parts: str = "",
) -> bytes:
    """A Postfix-style DSN; every piece can be replaced by something hostile."""
    if text_part is None:
        text_part = f"<{recipient}>: host mx.example.org said: {diagnostic}"
    message = (
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
        "To: alice@example.net\n"
        f"Subject: {subject}\n"
        f"{headers}"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"\n'
        "\n"
        "--BB\n"
        f"{text_headers}\n"
        "\n"
        f"{text_part}\n"
        "\n"
        "--BB\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.net\n"
        "\n"
        f"Final-Recipient: rfc822; {recipient}\n"
        "Action: failed\n"
        f"Status: {status}\n"
        f"{status_fields}"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
        "\n"
        f"{extra_parts}"
        "--BB--\n"
    )
    return message.encode("utf-8", "surrogateescape")


def encoded_word(text: str, charset: str = "utf-8") -> str:
    """An RFC 2047 B encoded-word of `text`."""
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


# -- generators of the larger inputs (also used by bench/hostile.py) -------------------


def deep_multipart(depth: int) -> bytes:
    """A bounce whose second part opens `depth` nested multiparts."""
    opening = "".join(f'Content-Type: multipart/mixed; boundary="d{i}z"\n\n--d{i}z\n'
                      for i in range(depth))
    closing = "".join(f"\n--d{i}z--\n" for i in reversed(range(depth)))
    return dsn(extra_parts=f"--BB\n{opening}Content-Type: text/plain\n\ndeep\n{closing}")


def many_parts(count: int) -> bytes:
    """A bounce with `count` tiny text parts."""
    part = "--BB\nContent-Type: text/plain\n\nx\n"
    return dsn(extra_parts=part * count)


def many_recipients(count: int) -> bytes:
    """A DSN with `count` recipient blocks."""
    blocks = "".join(
        f"Final-Recipient: rfc822; user{i}@example.org\nAction: failed\nStatus: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 user{i}: User unknown\n\n"
        for i in range(count)
    )
    return dsn(text_part="The message could not be delivered.").replace(
        b"Reporting-MTA: dns; mx.example.net\n\n",
        b"Reporting-MTA: dns; mx.example.net\n\n" + blocks.encode(), 1,
    )


def recipients_and_paragraphs(count: int) -> bytes:
    """A DSN naming `count` recipients whose text part has `count` paragraphs without a
    reply code, each naming one of them: every recipient's paragraph is looked for."""
    paragraphs = "\n\n".join(f"Note {i}: about user{i}@example.org" for i in range(count))
    return many_recipients(count).replace(b"The message could not be delivered.",
                                          paragraphs.encode(), 1)


def long_line(size: int) -> bytes:
    """A bounce whose text part is one line of `size` bytes (no newline, no code)."""
    return dsn(text_part="x" * size)


def nested_comments(size: int) -> bytes:
    """Address headers and the report's recipient made of nested comments (`size` bytes
    in all)."""
    comment = "(" * (size // 8) + ")" * (size // 8)
    return dsn(headers=f"Reply-To: {comment}\nSender: a@{comment}\n",
               recipient=f"bob@example.org {comment}")


def many_headers(count: int) -> bytes:
    """`count` short header lines before the bounce's own."""
    return b"".join(b"X-H%d: v\n" % i for i in range(count)) + dsn()


def folded_header(count: int) -> bytes:
    """One Subject folded over `count` continuation lines of encoded-words."""
    word = encoded_word("é", "utf-8")
    return dsn(subject="x" + f"\n {word}" * count)


def semicolon_parameters(parts: int, size: int = 60_000) -> bytes:
    """Parts whose Content-Type holds a quoted value of `size` semicolons (the email
    package's parameter parser is quadratic in them)."""
    value = '"' + ";" * size + '"'
    part = f"--BB\nContent-Type: text/plain; x={value}; charset=utf-8\n\nx\n"
    return dsn(headers=f"Content-Disposition: inline; y={value}\n", extra_parts=part * parts)


def many_messages(count: int) -> bytes:
    """An mbox of `count` small bounces."""
    one = dsn().replace(b"\nFrom ", b"\n>From ")
    return b"".join(b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n" + one + b"\n"
                    for _ in range(count))


def control_soup(size: int) -> bytes:
    """`size` bytes of escape sequences, C1 controls, backspaces and bidi overrides."""
    unit = ("\x1b[31m\x1b]8;;http://x/\x07\x9b2J\x08\x08\u202e\u200b[b]:x:" * 4).encode(
        "utf-8") + b"\r\xff\n"
    return dsn(text_part="550 5.1.1 " + (unit * (size // len(unit) + 1))[:size].decode(
        "utf-8", "surrogateescape"))


# -- the table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile input and the command run on it."""

    name: str
    group: str  #: sanitise, limits, stdlib, files, exit
    args: tuple[str, ...]  #: "{tmp}" becomes the case's directory, "{in}" its input file
    data: bytes | None = None  #: written to {tmp}/input.eml (and fed on stdin with "-")
    expect: int = 0
    env: dict[str, str] = field(default_factory=dict)
    literal: tuple[str, ...] = ()  #: must appear in stdout
    absent: tuple[str, ...] = ()  #: must not appear in stdout
    stderr: str = ""  #: must appear in stderr
    setup: Callable[[Path], None] | None = None
    is_json: bool = False
    time_limit: float = TIME_LIMIT
    xfail: str = ""  #: a known problem not fixed yet (the reason); the test expects failure

    def argv(self, tmp: Path) -> list[str]:
        return [a.replace("{tmp}", str(tmp)).replace("{in}", str(tmp / "input.eml"))
                for a in self.args]


@dataclass
class Outcome:
    """What one run gave."""

    case: Case
    code: int
    seconds: float
    stdout: bytes
    stderr: bytes

    def problems(self) -> list[str]:
        """Everything wrong with this outcome (empty when the case passes)."""
        out: list[str] = []
        case = self.case
        if self.code != case.expect:
            out.append(f"exit {self.code}, expected {case.expect}")
        if self.seconds > case.time_limit:
            out.append(f"took {self.seconds:.1f} s")
        for name, stream in (("stdout", self.stdout), ("stderr", self.stderr)):
            if b"Traceback" in stream or b"internal error" in stream:
                out.append(f"traceback or internal error on {name}")
            bad = sorted({chr(b) for b in stream if b in _BAD_CONTROL})
            if bad:
                out.append(f"control bytes on {name}: {bad!r}")
            text = stream.decode("utf-8", "replace")
            for ch in ("\u202e", "\u202d", "\u2066", "\u200b", "\ufeff", "\x9b", "\x9d"):
                if ch in text:
                    out.append(f"{ch!r} on {name}")
        stdout = self.stdout.decode("utf-8", "replace")
        out += [f"missing on stdout: {s!r}" for s in case.literal if s not in stdout]
        out += [f"present on stdout: {s!r}" for s in case.absent if s in stdout]
        if case.stderr and case.stderr not in self.stderr.decode("utf-8", "replace"):
            out.append(f"missing on stderr: {case.stderr!r}")
        reasons = [line for line in self.stderr.decode("utf-8", "replace").splitlines()
                   if line.startswith(("bouncefix: ", "Error: "))]
        if case.expect == 2 and len(reasons) != 1:
            out.append(f"exit 2 wants one line of reason on stderr, got {reasons!r}")
        if case.is_json and self.code in (0, 1):
            import json

            try:
                json.loads(stdout) if "jsonl" not in case.args else [
                    json.loads(line) for line in stdout.splitlines()]
            except ValueError as error:
                out.append(f"JSON does not parse: {error}")
        return out


def command() -> list[str]:
    """The installed CLI: the console script beside this Python, else ``-m bouncefix``."""
    script = Path(sys.executable).with_name("bouncefix")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bouncefix"]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a run: offline, UTF-8, no inherited terminal or locale
    settings, then `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOUNCEFIX_", "LC_", "PYTHONIO")) and k not in (
               "LANG", "NO_COLOR", "COLUMNS", "PYTHONUTF8")}
    env.update({"BOUNCEFIX_OFFLINE": "1", "LANG": "C.UTF-8"})
    env.update(extra)
    return env


def run_case(case: Case, tmp: Path) -> Outcome:
    """Prepare `tmp` for the case, run the CLI once, and time it."""
    tmp.mkdir(parents=True, exist_ok=True)
    if case.data is not None:
        (tmp / "input.eml").write_bytes(case.data)
    if case.setup is not None:
        case.setup(tmp)
    stdin = case.data if "-" in case.args else None
    env = clean_env({k: v.replace("{tmp}", str(tmp)) for k, v in case.env.items()})
    start = time.perf_counter()
    try:
        done = subprocess.run([*command(), *case.argv(tmp)], input=stdin, capture_output=True,
                              timeout=case.time_limit * 2, env=env, check=False,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        return Outcome(case, -1, time.perf_counter() - start, error.stdout or b"",
                       error.stderr or b"")
    finally:
        for folder in (tmp / "ro",):  # give back what a case made read-only
            if folder.exists():
                folder.chmod(0o700)
    return Outcome(case, done.returncode, time.perf_counter() - start, done.stdout,
                   done.stderr)


# -- file situations -------------------------------------------------------------------


def _fifo(tmp: Path) -> None:
    os.mkfifo(tmp / "pipe.eml")


def _symlink_loop(tmp: Path) -> None:
    (tmp / "loop").mkdir(exist_ok=True)
    os.symlink("b.eml", tmp / "loop" / "a.eml")
    os.symlink("a.eml", tmp / "loop" / "b.eml")
    os.symlink("..", tmp / "loop" / "up")  # a directory loop too


def _dangling(tmp: Path) -> None:
    os.symlink(tmp / "gone.eml", tmp / "dangling.eml")


def _mixed_folder(tmp: Path) -> None:
    """A folder with one good bounce and every kind of file that must be skipped."""
    folder = tmp / "mixed"
    folder.mkdir()
    (folder / "good.eml").write_bytes(dsn())
    (folder / "empty.eml").write_bytes(b"")
    os.mkfifo(folder / "pipe.eml")
    os.symlink("/dev/zero", folder / "zero.eml")
    os.symlink("nowhere.eml", folder / "dangling.eml")
    os.symlink("loop.eml", folder / "loop.eml")
    # readable by nobody, even root: reading /proc/self/mem at offset 0 fails with EIO
    os.symlink("/proc/self/mem", folder / "unreadable.eml")


def _odd_names(tmp: Path) -> None:
    folder = tmp / "names"
    folder.mkdir()
    (folder / "\x1b]0;pwned\x07\x1b[2J[bold]x[red]\u202e.eml").write_bytes(dsn())
    (folder / "line\nbreak\r.eml").write_bytes(dsn(recipient="carol@example.org"))
    (folder / b"latin1-\xe9\xff.eml".decode("utf-8", "surrogateescape")).write_bytes(dsn())


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def _zip(data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bounce.eml", data)
    return out.getvalue()


def _junk_cache(tmp: Path) -> None:
    """What an old version's compiled-regex cache could have left, poisoned: it must be
    neither read nor written."""
    for folder in (tmp / "cache" / "bouncefix", tmp / "home" / ".cache" / "bouncefix"):
        folder.mkdir(parents=True)
        (folder / "regex-3.11.marshal").write_bytes(b"\xff" * 4096)
        os.symlink("/dev/zero", folder / "rules.marshal")


def _read_only_home(tmp: Path) -> None:
    home = tmp / "ro"
    home.mkdir()
    home.chmod(0o500)


def _mbox_no_from(tmp: Path) -> None:
    (tmp / "box.mbox").write_bytes(dsn() + b"\n" + dsn(recipient="carol@example.org"))


def _mbox_unescaped(tmp: Path) -> None:
    body = dsn(text_part="From here on the text says 550 5.1.1 user unknown\n\n"
                         "From the desk of the postmaster: 10:30 again\n\nFrom x 12:00")
    (tmp / "box.mbox").write_bytes(
        b"From MAILER-DAEMON Thu Mar  5 14:30:00 2026\n" + body
        + b"\nFrom MAILER-DAEMON Thu Mar  5 14:31:00 2026\n" + dsn(recipient="c@example.org"))


def _only_from_lines(tmp: Path) -> None:
    (tmp / "box.mbox").write_bytes(b"From a Thu Mar  5 14:30:00 2026\n" * 20000)


S, L, T, F, E = "sanitise", "limits", "stdlib", "files", "exit"
EXPLAIN = ("explain", "{in}")


def cases() -> list[Case]:
    """Every case, in table order."""
    mb = 1024 * 1024
    markup = "[bold]B[/] [/] [link=https://evil.example/]L[/link] [red :smile: :warning:"
    return [
        # 1. sanitiser: terminal escapes, controls, markup, Markdown, JSON, encodings
        Case("csi-colour-and-clear", S, EXPLAIN,
             dsn("550 5.1.1 \x1b[31mRED\x1b[0m\x1b[2J\x1b[H user unknown"), literal=("RED",)),
        Case("osc8-hyperlink", S, EXPLAIN,
             dsn("550 5.1.1 \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ unknown"),
             literal=("click",), absent=("evil.example",)),
        Case("osc52-clipboard-subject", S, EXPLAIN,
             dsn(subject="Failure \x1b]52;c;cm0gLXJmIH4=\x07notice"),
             literal=("Failure notice",), absent=("52;c",)),
        Case("c1-controls", S, EXPLAIN,
             dsn("550 5.1.1 \x9b31mC1\x9b0m \x9d0;title\x9c \x85 unknown"), literal=("C1",)),
        Case("cr-overwrite-encoded", S, EXPLAIN,
             dsn(subject=encoded_word("Delivery failed\rALL GOOD, IGNORE")),
             literal=("Delivery failed",)),
        Case("backspace-overwrite", S, EXPLAIN,
             dsn("550 5.1.1 user\x08\x08\x08\x08root unknown"),
             literal=("5.1.1 root unknown",), absent=("userroot",)),
        Case("bidi-and-zero-width", S, EXPLAIN,
             dsn(subject="inv\u202eexe.pdf\u202c pay\u200bpal\u2066x\u2069\ufeff",
                 recipient="b\u200bob@example.org"), literal=("payp",)),
        Case("escape-in-encoded-word", S, EXPLAIN,
             dsn(subject=encoded_word("\x1b]52;c;ZXZpbA==\x07\x1b[2Jhi"))),
        Case("escape-via-utf7-body", S, ("explain", "--format", "json", "{in}"),
             dsn(text_headers="Content-Type: text/plain; charset=utf-7",
                 text_part="550 5.1.1 +ABsAWw-31mX+ABsAXQ-52+ADs-c+ADs-eA+AAc-"), is_json=True),
        Case("escape-via-utf7-word", S, EXPLAIN,
             dsn(subject="=?utf-7?q?+ABsAXQ-52+ADs-c+ADs-eA+AAc-boom?=")),
        Case("rich-markup-literal", S, EXPLAIN, dsn(f"550 5.1.1 {markup}",
                                                    subject=f"S {markup}"),
             env=RICH, literal=("[bold]B[/]", "[link=https://evil.example/]L[/link]",
                                ":smile:", "[red")),
        Case("rich-scan-summary-markup", S, ("scan", "--no-progress", "{in}"),
             dsn(f"550 5.1.1 {markup}", recipient="[bold]x@example.org"), env=RICH,
             literal=("userunknown",)),
        Case("markdown-syntax-escaped", S, ("explain", "--format", "markdown", "{in}"),
             dsn("550 5.1.1 | a | b |\n ```sh <script>alert(1)</script> "
                 "[x](javascript:alert(1)) ![i](http://t/) # h", subject="| t | ``` |"),
             # server words in a code span (shown as they are), the subject escaped
             literal=("````550 5.1.1 | a | b | ```sh <script>", "## Bounce: \\| t \\| \\`\\`\\`"),
             absent=("\n```", "\n<", "| t |")),
        Case("json-invalid-utf8", S, ("explain", "--format", "json", "{in}"),
             dsn("550 5.1.1 \udcff\udcfe\udced\udca0\udc80 \udcc3( unknown",
                 subject="bad \udce9\udcff bytes =?utf-8?b?7aCA/w==?="), is_json=True),
        Case("jsonl-controls-everywhere", S, ("scan", "--format", "jsonl", "{in}"),
             control_soup(20000), is_json=True),
        Case("ascii-stdout-text", S, EXPLAIN,
             dsn("550 5.1.1 Benutzer unbekannt — ユーザー不明", subject="Grüße ✉"),
             env={"PYTHONIOENCODING": "ascii"}, literal=("Benutzer unbekannt",)),
        Case("ascii-stdout-json", S, ("explain", "--format", "json", "{in}"),
             dsn("550 5.1.1 ユーザー不明", subject="Grüße ✉"),
             env={"PYTHONIOENCODING": "ascii"}, is_json=True, literal=("\\u30e6",)),
        Case("ascii-stdout-markdown", S, ("explain", "--format", "markdown", "{in}"),
             dsn("550 5.1.1 “unknown”"), env={"PYTHONIOENCODING": "ascii"}),
        Case("ascii-stdout-rich", S, EXPLAIN, dsn("550 5.1.1 “ユーザー不明”"),
             env={**RICH, "PYTHONIOENCODING": "ascii"}),
        Case("c-locale-rich", S, EXPLAIN, dsn("550 5.1.1 “ユーザー不明”", subject="Grüße"),
             env={**RICH, **C_LOCALE}),
        Case("c-locale-scan-jsonl", S, ("scan", "--format", "jsonl", "{in}"),
             dsn("550 5.1.1 ユーザー不明"), env=C_LOCALE, is_json=True),
        Case("c-locale-lookup-json", S, ("lookup", "--json", "550", "5.7.1"), env=C_LOCALE,
             is_json=True),
        Case("c-locale-rules", S, ("rules",), env=C_LOCALE),
        Case("file-names-sanitised", S, ("scan", "--format", "jsonl", "{tmp}/names"),
             setup=_odd_names, is_json=True, literal=("\\u001b]0;pwned\\u0007",
                                                       "\\u202e.eml"),
             absent=("\x1b", "\u202e")),
        Case("file-names-plain", S, ("scan", "{tmp}/names"), setup=_odd_names,
             env={"COLUMNS": "100"}, literal=("[bold]x[red]",)),
        # 2. limits
        Case("max-size", L, ("explain", "--max-size", "1M", "{in}"), long_line(2 * mb),
             expect=2, stderr="--max-size"),
        Case("max-size-stdin", L, ("explain", "--max-size", "10K", "-"), long_line(64 * 1024),
             expect=2, stderr="--max-size"),
        Case("mime-depth-2000", L, EXPLAIN, deep_multipart(2000), literal=("note: MIME",)),
        Case("mime-parts-20000", L, EXPLAIN, many_parts(20000), literal=("note: ",)),
        Case("header-line-4mb", L, EXPLAIN, dsn(subject="s" * 4 * mb), literal=("note: ",)),
        Case("header-count-100k", L, EXPLAIN, many_headers(100_000), literal=("note: ",)),
        Case("recipients-5000", L, EXPLAIN, many_recipients(5000),
             literal=("user0@example.org", "4001 more were cut")),
        Case("line-16mb", L, ("explain", "--max-size", "32M", "{in}"), long_line(16 * mb),
             literal=("note: only the first 2 MB",)),
        Case("recipients-x-paragraphs", L, EXPLAIN, recipients_and_paragraphs(8000),
             literal=("7001 more were cut",), time_limit=5.0),
        Case("mbox-2000-messages", L, ("scan", "--format", "jsonl", "{in}"),
             many_messages(2000), is_json=True),
        Case("control-soup-2mb", L, EXPLAIN, control_soup(2 * mb)),
        Case("check-too-many-targets", L, ("check", *[f"d{i}.example.org" for i in range(60)]),
             expect=2, stderr="too many"),
        Case("check-private-address", L, ("check", "10.1.2.3"), expect=2, stderr="private"),
        Case("check-local-name", L, ("check", "printer.local"), expect=2, stderr="private"),
        Case("check-hidden-characters", L, ("check", "exa\u200bmple.org"), expect=2,
             stderr="invisible"),
        Case("check-escape-in-name", L, ("check", "\x1b]52;c;eA==\x07.example.org"), expect=2),
        # 3. stdlib traps
        Case("nested-comments-1mb", T, EXPLAIN, nested_comments(1 << 20)),
        Case("deep-rfc822-nesting", T, EXPLAIN,
             dsn(extra_parts="--BB\n" + "Content-Type: message/rfc822\n\n" * 3000 + "x\n")),
        Case("charset-names-codecs", T, ("explain", "--format", "json", "{in}"),
             dsn(text_headers="Content-Type: text/plain; charset=zlib",
                 extra_parts="".join(f"--BB\nContent-Type: text/plain; charset={c}\n"
                                     "Content-Transfer-Encoding: base64\n\neJwLSS0uAQAE\n"
                                     for c in ("idna", "rot13", "zlib_codec", "base64",
                                               "uu", "punycode", "utf-7", "hex", "x" * 5000,
                                               '"utf-8\x00"', "utf-16", "mbcs", "?"))),
             is_json=True),
        Case("charset-encoded-words", T, ("explain", "--format", "json", "{in}"),
             dsn(subject=" ".join(f"=?{c}?q?uryyb=41?=" for c in (
                 "idna", "rot13", "zlib", "bogus-123", "utf-7", "utf-8*en", "punycode", "hex",
                 "", "x" * 300))), is_json=True),
        Case("absurd-dates", T, ("explain", "--format", "json", "{in}"),
             dsn(headers="Date: Fri, 31 Dec 99999999999 99:99:99 +99999\n",
                 status_fields="Last-Attempt-Date: Mon, 1 Jan 9" + "9" * 5000 + " 00:00 -0000\n"
                 "Arrival-Date: 1e999999\nWill-Retry-Until: -99999999999999999999\n"),
             is_json=True),
        Case("integer-digits", T, ("explain", "--format", "json", "{in}"),
             dsn("550 5.1." + "1" * 5000 + " retry in " + "9" * 5000 + " s",
                 status="5.1." + "9" * 6000,
                 headers="Content-Length: " + "9" * 6000 + "\n"), is_json=True),
        Case("quadratic-encoded-words", T, EXPLAIN,
             dsn(subject=" ".join([encoded_word("ab")] * 20000))),
        Case("quadratic-folding", T, EXPLAIN, folded_header(50_000)),
        Case("quadratic-parameters", T, EXPLAIN, semicolon_parameters(50)),
        Case("cve-2023-27043-recipient", T, ("explain", "--format", "json", "{in}"),
             dsn(recipient="alice@example.org)<bob@evil.example>"), is_json=True,
             absent=('"address": "alice@example.org"',)),
        Case("cve-2023-27043-quoted", T, ("explain", "--format", "json", "{in}"),
             dsn(recipient='"alice@example.org"@evil.example'), is_json=True,
             absent=('"address": "alice@example.org"',)),
        Case("broken-transfer-encodings", T, EXPLAIN,
             dsn(text_headers="Content-Type: text/plain\nContent-Transfer-Encoding: base64",
                 text_part="!!!not base64===\x00", extra_parts=(
                     "--BB\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n"
                     "\n====\n--BB\nContent-Type: text/plain\n"
                     "Content-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=\n"))),
        Case("boundary-tricks", T, EXPLAIN,
             b'Content-Type: multipart/mixed; boundary=""\nFrom: a@example.org\n\n--\n--\n'
             + b'Content-Type: multipart/mixed; boundary="' + b"(.*)+" * 2000 + b'"\n\n',
             expect=1),
        Case("binary-garbage", T, EXPLAIN, bytes(range(256)) * 4096, expect=1),
        # 4. files
        Case("explain-directory", F, ("explain", "{tmp}"), expect=2, stderr="directory"),
        Case("explain-fifo", F, ("explain", "{tmp}/pipe.eml"), setup=_fifo, expect=2,
             stderr="not a regular file"),
        Case("explain-dev-zero", F, ("explain", "/dev/zero"), expect=2,
             stderr="not a regular file"),
        Case("explain-symlink-loop", F, ("explain", "{tmp}/loop/a.eml"), setup=_symlink_loop,
             expect=2),
        Case("explain-dangling-symlink", F, ("explain", "{tmp}/dangling.eml"), setup=_dangling,
             expect=2),
        Case("explain-unreadable", F, ("explain", "/proc/self/mem"), expect=2),
        Case("explain-missing", F, ("explain", "{tmp}/missing.eml"), expect=2),
        Case("explain-empty", F, EXPLAIN, b"", expect=1, stderr="empty"),
        Case("explain-empty-stdin", F, ("explain", "-"), b"", expect=1, stderr="empty"),
        Case("scan-mixed-folder", F, ("scan", "--format", "jsonl", "{tmp}/mixed"),
             setup=_mixed_folder, is_json=True, literal=("good.eml",),
             stderr="skipped"),
        Case("scan-symlink-loops", F, ("scan", "{tmp}/loop"), setup=_symlink_loop, expect=1),
        Case("scan-fifo-argument", F, ("scan", "{tmp}/pipe.eml"), setup=_fifo, expect=2,
             stderr="not a regular file"),
        Case("scan-dev-zero", F, ("scan", "/dev/zero"), expect=2,
             stderr="not a regular file"),
        Case("mbox-without-from-lines", F, ("scan", "--format", "jsonl", "{tmp}/box.mbox"),
             setup=_mbox_no_from, is_json=True, literal=("bob@example.org",)),
        Case("mbox-unescaped-from", F, ("scan", "--format", "jsonl", "{tmp}/box.mbox"),
             setup=_mbox_unescaped, is_json=True, literal=("bob@example.org", "c@example.org")),
        Case("mbox-only-separators", F, ("scan", "{tmp}/box.mbox"), setup=_only_from_lines,
             expect=1),
        # 5. exit codes
        Case("usage-unknown-option", E, ("explain", "--bogus"), expect=2),
        Case("usage-bad-format", E, ("scan", "--format", "xml", "."), expect=2),
        Case("usage-bad-max-size", E, ("explain", "--max-size", "9" * 5000, "-"), b"", expect=2),
        Case("usage-unknown-command", E, ("frobnicate",), expect=2),
        Case("usage-bad-nameserver", E, ("check", "--nameserver", "\x1b[2Jx", "example.org"),
             expect=2),
        Case("lookup-unknown-code", E, ("lookup", "599"), expect=1),
        Case("lookup-hostile-argument", E, ("lookup", "\x1b]52;c;eA==\x07"), expect=2),
        Case("lookup-huge-digits", E, ("lookup", "5.1." + "1" * 5000), expect=2),
        Case("explain-not-a-bounce", E, EXPLAIN, b"Subject: hi\n\nhello\n", expect=1),
        Case("scan-nothing-found", E, ("scan", "{in}"), b"hello\n", expect=1),
        # 6. inputs read as they are, and nothing the tool could find lying around
        Case("utf8-bom", F, ("explain", "--format", "json", "{in}"), b"\xef\xbb\xbf" + dsn(),
             is_json=True, literal=('"subject": "Undelivered Mail Returned to Sender"',
                                    "bob@example.org")),
        Case("utf16-with-bom", F, ("explain", "--format", "json", "{in}"),
             dsn().decode("utf-8").encode("utf-16"), is_json=True,
             literal=("bob@example.org", "userunknown")),
        Case("gzip-message", F, ("scan", "--format", "jsonl", "{in}"), _gzip(dsn()),
             is_json=True, literal=("bob@example.org",)),
        Case("gzip-mbox-stdin", F, ("scan", "--format", "jsonl", "-"),
             _gzip(many_messages(3)), is_json=True, literal=('"index": 2',)),
        Case("zip-archive", F, ("explain", "{in}"), _zip(dsn()), expect=2,
             stderr="zip archive"),
        Case("truncated-gzip", F, ("scan", "{in}"), _gzip(dsn())[:30], expect=2,
             stderr="damaged gzip"),
        Case("gzip-bomb", F, ("explain", "--max-size", "1M", "{in}"),
             _gzip(b"A" * (64 * mb)), expect=2, stderr="larger than"),
        Case("smuggled-failed-recipient", S, ("explain", "--format", "json", "{in}"),
             b"From: MAILER-DAEMON@example.net\nSubject: Mail delivery failed\n"
             b"X-Failed-Recipients: alice@example.org)<eve@example.com>\n\n"
             b"A message could not be delivered.\n  550 5.1.1 mailbox unavailable\n",
             is_json=True, absent=("eve@example.com\"", "alice@example.org\""),
             literal=("not one address",)),
        Case("file-names-exact-in-json", S, ("scan", "--format", "jsonl", "{tmp}/names"),
             setup=_odd_names, is_json=True, literal=("line\\nbreak\\r.eml",
                                                      "latin1-\\udce9\\udcff.eml")),
        Case("stale-cache-folder-changes-nothing", F,
             ("explain", "--format", "json", "{in}"), dsn(), is_json=True,
             setup=_junk_cache, env={"XDG_CACHE_HOME": "{tmp}/cache", "HOME": "{tmp}/home"},
             literal=("userunknown",)),
        Case("read-only-home", F, ("explain", "{in}"), dsn(), setup=_read_only_home,
             env={"HOME": "{tmp}/ro", "XDG_CACHE_HOME": "{tmp}/ro/.cache"},
             literal=("userunknown",)),
    ]
