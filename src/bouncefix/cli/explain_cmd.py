"""``bouncefix explain``: one bounce (or a pasted fragment, or an mbox) explained."""

from __future__ import annotations

import shlex

import click

from .env import Env, OutputFormat
from .explain_run import Request, run
from .options import format_option, max_size_option, network_options, resolve_format


@click.command()
@click.argument("sources", nargs=-1, metavar="[SOURCE]", type=click.Path(allow_dash=True))
@format_option(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN)
@max_size_option
@network_options(online_by_default=True)
@click.option("-v", "--verbose", is_flag=True,
              help="Also show the rule that fired and its evidence.")
def explain(
    sources: tuple[str, ...], output_format: str, as_json: bool, max_size: int, verbose: bool,
    online: bool | None, nameservers: tuple[str, ...], timeout: float, budget: float,
    max_queries: int,
) -> None:
    """Explain a bounce: who failed, what the server said, why, and what to do.

    SOURCE is a saved message (.eml), an mbox, or a text file holding a pasted bounce;
    without SOURCE (or with -) the bounce is read from standard input.

    \b
    Examples:
      bouncefix explain bounce.eml
      bouncefix explain --format json bounce.eml | jq '.[0].recipients'
      echo '550 5.1.1 <jane@example.org>: User unknown' | bouncefix explain
      bouncefix explain --format markdown bounce.eml > ticket.md
      bouncefix explain --offline bounce.eml      no DNS look-ups

    When the diagnosis turns on DNS (unknown domain, SPF/DKIM/DMARC failure, missing
    reverse DNS, a blocked IP), the relevant records are checked and shown as evidence
    (within --budget seconds). Those look-ups send names taken from the bounce (the
    recipient's domain, the sender's domain, the sending IP) to your resolver;
    --offline, or BOUNCEFIX_OFFLINE=1 in the environment, turns them off.

    Exit codes: 0 a bounce, delay or report was found; 1 nothing to report (or an
    empty input); 2 usage or input error (a directory, FIFO or device is refused);
    130 interrupted.
    """
    if len(sources) > 1:
        shown = " ".join(shlex.quote(s) for s in sources[:3]) + (" ..." if len(sources) > 3 else "")
        raise click.UsageError(f"explain reads one bounce; for several files use: bouncefix "
                               f"scan {shown}")
    request = Request(sources[0] if sources else None, resolve_format(output_format, as_json),
                      max_size, verbose, online, nameservers, timeout, budget, max_queries)
    click.get_current_context().exit(run(Env(), request))
