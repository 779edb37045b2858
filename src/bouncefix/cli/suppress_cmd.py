"""``bouncefix suppress``: the addresses to stop sending to, from many bounces."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..render.scan import count
from .env import Env
from .exitcodes import ExitCode
from .options import max_size_option, output_options
from .scan_cmd import Inputs, progress_bar
from .signals import Stopped, stopping, whole

if TYPE_CHECKING:
    from ..model import MessageReport
    from ..suppress import Candidates, Collect, Entry, Policy, SuppressionList


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "csv"]),
              default="text", show_default=True,
              help="text: one address per line; csv: with type, reason, code, first and "
                   "last bounce date and count.")
@output_options
@click.option("--our-domain", "our_domains", multiple=True, metavar="DOMAIN",
              help="Count only bounces of mail sent from DOMAIN (or its subdomains), as the "
                   "returned message or a VERP address shows (repeatable).")
@click.option("--soft-threshold", type=click.IntRange(1, 10_000), default=None, metavar="N",
              help="Also list addresses with at least N soft bounces on the recipient's "
                   "side (mailbox full, suspended, ...). Off by default.")
@click.option("--soft-days", type=click.FloatRange(0, 3650), default=0.0, show_default=True,
              metavar="DAYS",
              help="With --soft-threshold: the first and last of them at least DAYS apart.")
@max_size_option
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core for large inputs).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def suppress(paths: tuple[str, ...], output_format: str, our_domains: tuple[str, ...],
             soft_threshold: int | None, soft_days: float, max_size: int, jobs: int | None,
             progress: bool | None) -> None:
    """The suppression list: the addresses to stop sending to, one per line, from
    bounces in files, folders, mbox files or standard input (-).

    \b
    Examples:
      bouncefix suppress ~/Maildir/.Bounces > suppress.txt
      bouncefix suppress --format csv bounces.mbox > suppress.csv
      bouncefix suppress --our-domain news.example.com bounces/
      bouncefix suppress --soft-threshold 3 --soft-days 14 bounces/

    Listed: hard bounces the diagnosis is sure of (unknown user or domain, moved,
    refuses mail: the "suppress" field of scan's JSON), spam complaints (ARF feedback
    reports), and with --soft-threshold addresses that kept soft-bouncing for reasons
    of their own. Never an address from a delay, an auto-reply or a message that is not
    a bounce. Each address once, its domain in lower case, sorted by domain.

    Bounces can be forged to get good addresses suppressed: with --our-domain only
    bounces that quote a message sent from your domain (its From), or that were sent to
    a VERP address at your domain naming the recipient (bounces+jane=example.org@your
    domain), count. A line on stderr says how many addresses were listed and how many
    bounces quoted no original message.

    Exit codes: 0 some address listed; 1 none; 2 usage or input error; 130
    interrupted (the addresses found so far are printed first).
    """
    from ..filters import parse_domains
    from ..suppress import Policy

    env = Env()
    try:
        domains = parse_domains(our_domains)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--our-domain") from None
    if soft_days and soft_threshold is None:
        raise click.BadParameter("needs --soft-threshold", param_hint="--soft-days")
    policy = Policy(domains, soft_threshold, soft_days)
    _suppress(env, paths, output_format, policy, max_size, jobs, progress)


def _suppress(env: Env, paths: tuple[str, ...], output_format: str, policy: Policy,
              max_size: int, jobs: int | None, progress: bool | None) -> None:
    from ..api import analyze_paths, warm_up
    from ..suppress import Collect, SuppressionList

    inputs = Inputs(env, paths)
    found = SuppressionList(policy)
    warm_up()
    bar = progress_bar(env, progress, inputs.files)
    stopped: BaseException | None = None
    try:
        with stopping():
            for candidates in analyze_paths(inputs.files, jobs, max_size=max_size,
                                            on_skip=inputs.skipped,
                                            on_failure=inputs.failed,
                                            finish=_Finish(Collect(policy))):
                with whole:
                    found.add(candidates[0])
                if bar is not None:
                    bar.advance(*candidates[1:])
    except (KeyboardInterrupt, Stopped) as stop:
        stopped = stop
    if bar is not None:
        bar.close()
    entries = found.entries()
    _write(env, output_format, entries)
    _tell(env, found, entries, policy)
    if stopped is not None:
        code = stopped.code if isinstance(stopped, Stopped) else ExitCode.INTERRUPTED
        env.error(f"{'interrupted' if code == ExitCode.INTERRUPTED else 'stopped'} after "
                  f"{count(found.messages, 'message')}: the list is incomplete")
        raise SystemExit(code) from None
    inputs.exit(bool(entries))


class _Finish:
    """In the workers: the candidates, and the message's source and size (progress)."""

    __slots__ = ("collect",)

    def __init__(self, collect: Collect) -> None:
        self.collect = collect

    def __call__(self, report: MessageReport) -> tuple[Candidates, str | None, int]:
        return self.collect(report), report.source, report.size or 0


def _write(env: Env, output_format: str, entries: list[Entry]) -> None:
    from ..suppress import addresses

    if output_format == "csv":
        from ..render.csv_rows import suppression_csv

        text = suppression_csv(entries)
    else:
        text = addresses(entries)
    env.stdout.write(text)
    env.stdout.flush()


def _tell(env: Env, found: SuppressionList, entries: list[Entry], policy: Policy) -> None:
    """One line on stderr: what was listed, and what was not trusted."""
    from ..suppress import COMPLAINT, HARD, SOFT

    kinds: dict[str, int] = {HARD: 0, COMPLAINT: 0, SOFT: 0}
    for entry in entries:
        kinds[entry.type] += 1
    parts = [f"{kinds[HARD]:,} hard", f"{kinds[COMPLAINT]:,} complaint"
             + ("" if kinds[COMPLAINT] == 1 else "s")]
    if policy.soft_threshold is not None:
        parts.append(f"{kinds[SOFT]:,} repeated soft")
    line = (f"{count(len(entries), 'address', 'addresses')} to suppress ({', '.join(parts)}) "
            f"from {count(found.messages, 'message')}; {found.unquoted:,} of "
            f"{count(found.considered, 'bounce')} quoted no original message")
    if policy.our_domains:
        line += (f"; {count(found.not_ours, 'recipient')} left out: the bounce did not show "
                 "mail sent from --our-domain")
    if found.unusable:
        line += f"; {count(found.unusable, 'recipient')} without a usable address"
    if found.untracked:
        line += f"; {count(found.untracked, 'soft-bounced address', 'soft-bounced addresses')}" \
                " beyond the tracking limit"
    env.error(line)
