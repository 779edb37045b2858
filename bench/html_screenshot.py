#!/usr/bin/env python3
"""Look at the HTML report in a real browser: scan a folder with ``--format html``, open
the page in headless Chromium, save a screenshot, and report what the browser's console
said (a Content-Security-Policy refusal or a script error shows there).

usage:
    .venv/bin/python bench/html_screenshot.py [--input PATH] [--generate N] [--out DIR]

Default input: ../shared/corpus/emails when it exists, else a generated folder.
``--generate N`` writes N bounces of many reasons, domains and dates (hostile strings
among them) and scans those. Needs Chromium (Debian: ``apt-get install chromium``).
Writes DIR/report.html and DIR/report.png (default DIR: bouncefix-html in the temporary
folder); exits 1 when the browser reported a console error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "emails"

_REPLIES = [
    ("550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table", 8),
    ("552 5.2.2 <{a}>: Mailbox full, quota exceeded", 4),
    ("550 5.7.1 Service unavailable; client [192.0.2.7] blocked using zen.spamhaus.org", 3),
    ("550 5.4.1 <{a}>: Recipient address rejected: Access denied", 2),
    ("554 5.7.5 Message rejected: DMARC policy of the sender domain is reject", 2),
    ("450 4.7.1 <{a}>: Recipient address rejected: greylisted, try again later", 1),
    ("550 5.1.2 <{a}>: Host or domain name not found", 2),
    ("550 5.7.1 The user or domain that you are sending to (or from) has a policy that "
     "prohibited the mail that you sent. a1si2345678pgb.12 - gsmtp", 2),
    ("553 5.7.2 [TSS09] All messages from 192.0.2.25 will be permanently deferred; "
     "Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", 1),
    ("550 5.7.520 Access denied, Your organization does not allow external forwarding. "
     "Please contact your administrator for further assistance. AS(7555)", 1),
]
_DOMAINS = [("example.org", 6), ("example.net", 4), ("mail.example.com", 3),
            ("example.co.jp", 2), ("example.de", 2), ("xn--bcher-kva.example", 1)]
_HOSTILE = '</script><img src=x onerror=alert(1)>"\'&<b>bold</b>'


def generate(folder: Path, count: int) -> None:
    """`count` bounces over 40 days (more towards the end), of many reasons and
    domains; every 50th with hostile text in the address, the server words and the
    subject. The same files every time (a fixed seed)."""
    import random

    chance = random.Random(15)
    folder.mkdir(parents=True, exist_ok=True)
    replies = [reply for reply, weight in _REPLIES for _ in range(weight)]
    domains = [domain for domain, weight in _DOMAINS for _ in range(weight)]
    for n in range(count):
        hostile = n % 50 == 7
        local = f"user{n}" if not hostile else "x<script>alert(1)</script>"
        address = f"{local}@{chance.choice(domains)}"
        reply = chance.choice(replies).format(a=address)
        if hostile:
            reply += " " + _HOSTILE
        day = 1 + int(39 * chance.random() ** 0.6)
        month, day = ("Mar", day) if day <= 31 else ("Apr", day - 31)
        message = (
            f"From: MAILER-DAEMON@mx.example.org\n"
            f"To: news@our.example\n"
            f"Date: Thu, {day:02d} {month} 2026 {chance.randrange(24):02d}:{n % 60:02d}:00 +0000\n"
            f"Subject: Undelivered Mail Returned to Sender{' ' + _HOSTILE if hostile else ''}\n"
            f"\n{reply}\n")
        (folder / f"{n:05d}.eml").write_text(message, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path)
    parser.add_argument("--generate", type=int, default=0, metavar="N")
    parser.add_argument("--out", type=Path,
                        default=Path(tempfile.gettempdir()) / "bouncefix-html")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is not installed (Debian: apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = args.input
        if args.generate or (source is None and not CORPUS.is_dir()):
            source = Path(scratch) / "bounces"
            generate(source, args.generate or 400)
        source = source or CORPUS
        report = args.out / "report.html"
        with open(report, "w", encoding="utf-8") as handle:
            scan = subprocess.run([sys.executable, "-m", "bouncefix", "scan", "--format", "html",
                                   "--no-progress", str(source)], stdout=handle,
                                  stderr=subprocess.PIPE, text=True, check=False)
        if scan.returncode not in (0, 1):
            print(scan.stderr, file=sys.stderr)
            return 2
        png = args.out / "report.png"
        shot = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0", f"--user-data-dir={scratch}/profile",
             f"--screenshot={png}", f"--window-size={args.width},{args.height}",
             report.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "HOME": scratch})
    console = [line for line in shot.stderr.splitlines()
               if "CONSOLE" in line or "Content Security Policy" in line]
    print(f"{report} ({report.stat().st_size:,} bytes), {png}")
    for line in console:
        print("browser:", line)
    return 1 if console or shot.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
