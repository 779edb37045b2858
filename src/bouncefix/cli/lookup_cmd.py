"""``bouncefix lookup``: what SMTP reply codes and enhanced status codes mean.

cli/fast.py reads the common argument lists of this command without click; a test holds
the two to the same answers over a table of argument lists (tests/test_lookup_fast.py),
and a new option here must be taught to fast.py or listed there as click's alone.
"""

from __future__ import annotations

import click

from . import lookup_run
from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import format_option, resolve_format


@click.command(context_settings={"ignore_unknown_options": False})
@click.argument("codes", nargs=-1)
@click.option("--search", "search_words", metavar="WORDS",
              help="Search titles, meanings and causes for all these words (the other "
                   "arguments are search words too), best matches first.")
@click.option("--all", "show_all", is_flag=True,
              help="Show everything: causes, who acts, every provider note in full.")
@format_option(OutputFormat.TEXT, OutputFormat.JSON)
@click.pass_context
def lookup(
    ctx: click.Context, codes: tuple[str, ...], search_words: str | None, show_all: bool,
    output_format: str, as_json: bool,
) -> None:
    """What SMTP reply codes and enhanced status codes mean.

    CODES are reply codes (550), enhanced status codes (5.1.1), pairs written any usual
    way (550 5.1.1, 550-5.1.1, '550 #5.1.1'), subjects and classes for a table of
    every registered code in them (5.7, 5.7.x, X.7.*, 4.x.x), or providers' own codes
    (TSS04, S3150).

    \b
    Examples:
      bouncefix lookup 550 5.1.1
      bouncefix lookup 4.7.26
      bouncefix lookup 5.7            every security and policy code
      bouncefix lookup --search mailbox full
      bouncefix lookup --json 550-5.1.1 | jq '.[0].status.title'

    Text output is short: each code's meaning, whether the pair agrees, notes, and the
    first few provider notes; --all shows the rest. JSON always holds everything. A
    pair whose reply and status disagree (550 4.2.2) is flagged. A well-formed code
    that is not registered (5.1.99, 599) is explained from its digits.

    Exit codes: 0 every code is known; 1 some code is not in the catalogue (or a
    search found nothing); 2 usage error; 130 interrupted.
    """
    from ..catalogue.lookup import QueryError

    env = Env()
    fmt = resolve_format(output_format, as_json)
    try:
        answers = lookup_run.compute(list(codes), search_words)
    except QueryError as error:
        raise click.UsageError(str(error), ctx) from None
    if fmt is OutputFormat.JSON:
        lookup_run.write_json(answers, env.stdout)
    elif env.rich_output:
        from ..render.lookup_rich import render_answers

        render_answers(env.console(), answers, full=show_all)
    else:
        lookup_run.write_plain(answers, env.stdout, full=show_all)
    ctx.exit(lookup_run.exit_code(answers) if answers else ExitCode.NOTHING)
