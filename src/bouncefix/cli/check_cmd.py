"""``bouncefix check``: DNS evidence for domains and IP addresses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import NAMESERVER_ENV, format_option, network_options, resolve_format

if TYPE_CHECKING:
    from ..dns.model import Kind
    from ..dns.resolver import Resolver
    from ..dns.runner import Options

MAX_TARGETS = 50


@click.command()
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@click.option("--selector", "selectors", multiple=True, metavar="S",
              help="Also check the DKIM key of selector S (repeatable).")
@click.option("--dnsbl", "zones", multiple=True, metavar="ZONE",
              help="Blocklist zone to query (repeatable; replaces the default lists).")
@network_options(online_by_default=None)
@format_option(OutputFormat.TEXT, OutputFormat.JSON)
def check(
    targets: tuple[str, ...], selectors: tuple[str, ...], zones: tuple[str, ...],
    nameservers: tuple[str, ...], timeout: float, budget: float, max_queries: int,
    output_format: str, as_json: bool,
) -> None:
    """DNS evidence for a domain or an IP address: MX, SPF, DMARC, PTR, blocklists.

    A TARGET is a domain (or an e-mail address, for its domain) or an IPv4/IPv6
    address. Domains get: mx, spf, dmarc, mta-sts, tls-rpt, and dkim for each
    --selector. Addresses get: ptr, fcrdns, and dnsbl for each blocklist (default
    zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org). Every check is pass,
    warn, fail or error (could not be completed, e.g. a timeout).

    \b
    Examples:
      bouncefix check example.org
      bouncefix check example.org --selector s1 --selector s2
      bouncefix check 192.0.2.25 --dnsbl zen.spamhaus.org
      bouncefix check --nameserver 192.0.2.53:5353 --budget 10 example.org
      bouncefix check --format json example.org 192.0.2.25 | jq '.[].checks[].status'

    Blocklists such as Spamhaus refuse queries coming through public resolvers
    (8.8.8.8, 1.1.1.1): those show as error, never as listed.

    Exit codes: 0 no check failed; 1 some check failed or could not be completed;
    2 usage error (e.g. a private address or malformed name as TARGET); 130 interrupted.
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    from ..dns.validate import TargetError

    try:
        parsed, options, resolver = _prepare(env, targets, selectors, zones, nameservers,
                                             timeout, budget, max_queries)
    except TargetError as error:
        env.error(str(error))
        click.get_current_context().exit(ExitCode.USAGE)
    from ..dns.runner import check_targets
    from ..render import checks as output

    reports = check_targets(parsed, options, resolver)
    if fmt is OutputFormat.JSON:
        output.write_json(reports, env.stdout)
    elif env.rich_output:
        output.write_rich(env.console(), reports)
    else:
        output.write_plain(reports, env.stdout)
    failed = any(report.failed for report in reports)
    click.get_current_context().exit(ExitCode.NOTHING if failed else ExitCode.OK)


def _prepare(
    env: Env, targets: tuple[str, ...], selectors: tuple[str, ...], zones: tuple[str, ...],
    nameservers: tuple[str, ...], timeout: float, budget: float, max_queries: int,
) -> tuple[list[tuple[Kind, str]], Options, Resolver]:
    """Validate everything before any query; TargetError (one line) when refused."""
    from ..dns.dnsbl import DEFAULT_ZONES
    from ..dns.resolver import Resolver
    from ..dns.runner import Options
    from ..dns.validate import TargetError, check_name, classify_target

    if len(targets) > MAX_TARGETS:
        raise TargetError(f"too many targets ({len(targets)}); at most {MAX_TARGETS} per run")
    parsed: list[tuple[Kind, str]] = []
    for target in targets:
        try:
            parsed.append(classify_target(target))
        except TargetError as error:
            raise TargetError(f"bad target: {error}") from None
    for selector in selectors:
        check_name(f"{selector}._domainkey.example.org")
    options = Options(
        selectors=tuple(dict.fromkeys(s.lower() for s in selectors)),
        zones=tuple(dict.fromkeys(check_name(z) for z in zones)) or DEFAULT_ZONES,
    )
    servers = list(nameservers) or [
        part.strip() for part in env.environ.get(NAMESERVER_ENV, "").split(",") if part.strip()
    ]
    return parsed, options, Resolver(servers, timeout=timeout, budget=budget,
                                     max_queries=max_queries)
