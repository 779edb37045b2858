#!/usr/bin/env python3
"""Scanning ESP events and MTA logs: throughput and memory, against scanning .eml bounces.

Generates its own inputs (nothing is downloaded; addresses at example.org/.net/.com,
documentation IPs):

- a Postfix log: per message a cleanup, a qmgr ``from=``, a delivery status line
  (bounced or deferred, from a set of real-world-shaped replies), a bounce notification
  and qmgr's ``removed``: 5 lines per record, so 20,000 records make 100,000 lines;
- an SES/SendGrid mix: JSON Lines alternating SES bounce notifications (Permanent,
  Transient, DeliveryDelay) and SendGrid events (bounce, blocked, deferred, dropped);
- .eml bounces: one Postfix-style DSN per file, one recipient each, with the same
  replies, as many as there are records.

For each, ``bouncefix scan -f jsonl`` runs in a subprocess (default jobs, then -j 1),
the inputs taking turns in each round; the median wall time gives recipients per second
(results written), compared with the .eml scan at the same jobs, and the peak resident
set size (ru_maxrss of the scan process, from wait4) is reported. Memory is flat when the peak at 100k records
is within 10 MB of the peak at 10k.

usage: python bench/events.py [--records 20000] [--memory 10000,100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPLIES = [
    ("5.1.1", "bounced", "550 5.1.1 <{to}>: Recipient address rejected: User unknown in "
                         "virtual mailbox table"),
    ("5.2.2", "bounced", "552 5.2.2 <{to}>: mailbox is over its storage limit"),
    ("5.7.1", "bounced", "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked "
                         "using zen.spamhaus.org"),
    ("4.7.1", "deferred", "450 4.7.1 <{to}>: Recipient address rejected: Greylisted, try "
                          "again later"),
    ("5.7.26", "bounced", "550 5.7.26 This mail has been blocked because the sender is "
                          "unauthenticated. DMARC policy of example.net requires "
                          "authentication"),
    ("4.2.2", "deferred", "452 4.2.2 The email account that you tried to reach is over quota"),
]


def queue_id(n: int) -> str:
    return f"{0x1A2B3C4D00 + n:010X}"


def postfix_log(path: Path, records: int) -> int:
    """A Postfix log with `records` delivery status lines; its number of lines."""
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(records):
            qid, to = queue_id(n), f"user{n}@example.org"
            dsn, status, reply = REPLIES[n % len(REPLIES)]
            second = f"{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
            stamp = f"Mar  2 {second} mx1"
            out.write(
                f"{stamp} postfix/cleanup[2100]: {qid}: message-id=<m{n}@example.net>\n"
                f"{stamp} postfix/qmgr[2101]: {qid}: from=<sender{n % 50}@example.net>, "
                f"size={2000 + n % 500}, nrcpt=1 (queue active)\n"
                f"{stamp} postfix/smtp[2105]: {qid}: to=<{to}>, relay=mx{n % 3}.example.org"
                f"[192.0.2.{25 + n % 3}]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn={dsn}, "
                f"status={status} (host mx{n % 3}.example.org[192.0.2.{25 + n % 3}] said: "
                f"{reply.format(to=to)} (in reply to RCPT TO command))\n"
                f"{stamp} postfix/bounce[2106]: {qid}: sender non-delivery notification: "
                f"{queue_id(n + 10_000_000)}\n"
                f"{stamp} postfix/qmgr[2101]: {qid}: removed\n")
            lines += 5
    return lines


def ses_sendgrid(path: Path, records: int) -> None:
    """JSON Lines: SES notifications and SendGrid events, alternating."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(records):
            to = f"user{n}@example.org"
            dsn, status, reply = REPLIES[n % len(REPLIES)]
            words = reply.format(to=to)
            if n % 2 == 0:
                delayed = status == "deferred"
                event = {
                    "notificationType": "DeliveryDelay" if delayed else "Bounce",
                    "mail": {"timestamp": "2026-03-02T09:14:07.000Z",
                             "source": "news@example.com", "messageId": f"ses-{n}",
                             "destination": [to],
                             "commonHeaders": {"from": ["news@example.com"], "to": [to],
                                               "subject": "Spring issue"}},
                }
                if delayed:
                    event["deliveryDelay"] = {"delayType": "General", "delayedRecipients": [
                        {"emailAddress": to, "status": dsn, "diagnosticCode": f"smtp; {words}"}],
                        "timestamp": "2026-03-02T09:20:00.000Z"}
                else:
                    event["bounce"] = {"bounceType": "Permanent", "bounceSubType": "General",
                                       "bouncedRecipients": [{"emailAddress": to, "status": dsn,
                                                              "action": "failed",
                                                              "diagnosticCode": f"smtp; {words}"}],
                                       "timestamp": "2026-03-02T09:14:09.000Z",
                                       "reportingMTA": "dsn; a1-2.smtp-out.example.com"}
            else:
                kind = "deferred" if status == "deferred" else "bounce"
                event = {"email": to, "timestamp": 1772442849 + n, "event": kind,
                         "smtp-id": f"<sg-{n}@example.com>", "sg_event_id": f"e{n}",
                         "sg_message_id": f"m{n}.filter0001"}
                if kind == "deferred":
                    event.update(response=words, attempt="2")
                else:
                    event.update(reason=words, status=dsn,
                                 type="blocked" if dsn.startswith("5.7") else "bounce")
            out.write(json.dumps(event, separators=(",", ":")) + "\n")


def eml_folder(folder: Path, records: int) -> None:
    """One Postfix-style DSN per file, one recipient each."""
    folder.mkdir()
    for n in range(records):
        to = f"user{n}@example.org"
        dsn, status, reply = REPLIES[n % len(REPLIES)]
        words = reply.format(to=to)
        action = "delayed" if status == "deferred" else "failed"
        (folder / f"{n:06d}.eml").write_text(
            "From: MAILER-DAEMON@mx1.example.net (Mail Delivery System)\n"
            f"To: sender{n % 50}@example.net\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            "Date: Mon, 2 Mar 2026 09:14:09 +0000\n"
            "MIME-Version: 1.0\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
            "--B\nContent-Type: text/plain\n\n"
            "This is the mail system at host mx1.example.net.\n\n"
            f"<{to}>: host mx{n % 3}.example.org[192.0.2.{25 + n % 3}] said: {words} "
            "(in reply to RCPT TO command)\n\n"
            "--B\nContent-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; mx1.example.net\n\n"
            f"Final-Recipient: rfc822; {to}\nAction: {action}\nStatus: {dsn}\n"
            f"Diagnostic-Code: smtp; {words}\n\n--B--\n", encoding="utf-8")


def run(argv: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, lines of output) of one scan."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        lines = sum(1 for _ in out)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed")
    return seconds, usage.ru_maxrss, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--memory", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    script = str(Path(sys.executable).with_name("bouncefix"))
    scan = [script, "scan", "-f", "jsonl", "--offline"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        log, mix, emls = folder / "mail.log", folder / "events.jsonl", folder / "eml"
        lines = postfix_log(log, args.records)
        ses_sendgrid(mix, args.records)
        eml_folder(emls, args.records)
        print(f"inputs: Postfix log of {lines:,} lines ({args.records:,} records), "
              f"{args.records:,} SES/SendGrid events, {args.records:,} .eml bounces")
        cases = [(label, path, jobs) for label, path in (
            ("Postfix log", log), ("SES/SendGrid JSON Lines", mix), (".eml folder", emls))
            for jobs in ("auto", "1")]
        times: dict[tuple[str, str], list[float]] = {(c[0], c[2]): [] for c in cases}
        peaks: dict[tuple[str, str], int] = {}
        counts: dict[tuple[str, str], int] = {}
        for _ in range(args.runs):  # one of each per round: a drifting machine slows all alike
            for label, path, jobs in cases:
                argv = [*scan, *([] if jobs == "auto" else ["-j", jobs]), str(path)]
                seconds, rss, out = run(argv)
                times[label, jobs].append(seconds)
                peaks[label, jobs] = max(peaks.get((label, jobs), 0), rss)
                counts[label, jobs] = out
        print(f"{'input':28} {'jobs':>5} {'seconds':>8} {'recipients/s':>13} {'vs .eml':>8} "
              f"{'peak RSS':>9}")
        for label, _, jobs in cases:
            seconds = statistics.median(times[label, jobs])
            eml = statistics.median(times[".eml folder", jobs])
            speed = counts[label, jobs] / seconds
            eml_speed = counts[".eml folder", jobs] / eml
            print(f"{label:28} {jobs:>5} {seconds:8.2f} {speed:13,.0f} "
                  f"{speed / eml_speed:7.2f}x {peaks[label, jobs] / 1024:7.1f} MB")
        for name, make in (("Postfix log", postfix_log), ("SES/SendGrid", ses_sendgrid)):
            peaks = []
            for count in (int(c) for c in args.memory.split(",")):
                path = folder / f"memory-{count}"
                make(path, count)
                seconds, rss, out = run([*scan, str(path)])
                peaks.append(rss)
                print(f"memory: {name:14} {count:8,} records: peak RSS {rss / 1024:7.1f} MB, "
                      f"{seconds:6.1f} s, {out:,} results")
                path.unlink()
            print(f"memory: {name:14} growth {(peaks[-1] - peaks[0]) / 1024:+.1f} MB "
                  f"(flat: within 10 MB)")


if __name__ == "__main__":
    main()
