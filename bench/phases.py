#!/usr/bin/env python3
"""Where a scan's time goes, in-process and serial: import, MIME parse, parsers
(findings), rule engine (diagnoses) and JSON rendering, summed over a folder.

Each phase is timed over the whole folder on its own (best of N rounds), so the
figures add up to the serial analysis time without a profiler's overhead.

usage: python bench/phases.py [--rounds N] [FOLDER]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "corpus" / "emails"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    # byte-compiled first, as pip installs it (else "import" measures the compiler)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "bouncefix")],
                   check=True)

    start = time.perf_counter()
    from bouncefix import ingest
    from bouncefix.analysis import analyze_mail
    from bouncefix.mail import Mail
    from bouncefix.parse import read_findings
    from bouncefix.render.data import report_dict
    from bouncefix.runtime.pool import warm_up

    imported = time.perf_counter() - start
    start = time.perf_counter()
    warm_up()
    warmed = time.perf_counter() - start

    files = sorted(p for p in Path(args.folder).rglob("*") if p.is_file())
    raws = [ingest.normalise_newlines(p.read_bytes()) for p in files]

    def best(step):  # type: ignore[no-untyped-def]
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            out = step()
            times.append(time.perf_counter() - t0)
        return min(times), out

    parse_t, _ = best(lambda: [Mail(r) for r in raws])
    mails_fresh = lambda: [Mail(r) for r in raws]  # noqa: E731 - caches live on Mail
    find_t, _ = best(lambda: [read_findings(m) for m in mails_fresh()])
    find_t -= parse_t
    whole_t, reports = best(lambda: [analyze_mail(m) for m in mails_fresh()])
    whole_t -= parse_t
    render_t, _ = best(lambda: [report_dict(r) for r in reports])

    print(f"files                 {len(files)}")
    print(f"import                {imported * 1000:7.1f} ms")
    print(f"warm-up (rules)       {warmed * 1000:7.1f} ms")
    print(f"MIME parse (Mail)     {parse_t * 1000:7.1f} ms")
    print(f"parsers (findings)    {find_t * 1000:7.1f} ms")
    print(f"engine + report       {(whole_t - find_t) * 1000:7.1f} ms")
    print(f"render (dict)         {render_t * 1000:7.1f} ms")
    total = parse_t + whole_t + render_t
    print(f"analysis total        {total * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
