"""``bouncefix check``: DNS evidence for domains and IP addresses, and SMTP probes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import NAMESERVER_ENV, format_option, network_options, resolve_format

if TYPE_CHECKING:
    from ..dns.model import Kind, TargetReport
    from ..dns.runner import Options, WatchedResolver
    from ..smtp.options import Credentials, ProbeOptions
    from ..smtp.runner import Probe

MAX_TARGETS = 50
MX_MODE = "*"  #: the value of a bare --smtp: probe the MX hosts of each TARGET
PASSWORD_ENV = "BOUNCEFIX_SMTP_PASSWORD"


@click.command()
@click.argument("targets", nargs=-1, required=False, metavar="[TARGET]...")
@click.option("--selector", "selectors", multiple=True, metavar="S",
              help="Also check the DKIM key of selector S (repeatable).")
@click.option("--dnsbl", "zones", multiple=True, metavar="ZONE",
              help="Blocklist zone to query (repeatable; replaces the default lists).")
@click.option("--smtp", "smtp", multiple=True, is_flag=False, flag_value=MX_MODE,
              metavar="[HOST[:PORT]]",
              help="Talk to the mail server HOST (port 25 unless given); alone, to the MX "
                   "hosts of each TARGET domain (repeatable).")
@click.option("--submission", "submission", multiple=True, metavar="HOST[:PORT]",
              help="Check the submission server HOST for mail clients: ports 587 "
                   "(STARTTLS) and 465 (TLS), unless a port is given (repeatable).")
@click.option("--rcpt", metavar="ADDRESS",
              help="With --smtp: ask whether the server accepts this recipient "
                   "(MAIL FROM:<> and RCPT TO, then RSET; no message is sent).")
@click.option("--user", metavar="USER",
              help=f"With --submission: log in as USER (password from ${PASSWORD_ENV} "
                   "or a prompt, never an argument).")
@click.option("--port", type=click.IntRange(1, 65535), default=25, show_default=True,
              help="Port of --smtp servers given without one, and of MX hosts.")
@click.option("--helo", metavar="NAME",
              help="Name to give in EHLO (default: the address of this end, as [192.0.2.5]).")
@click.option("--allow-private", is_flag=True,
              help="Let --smtp and --submission connect to loopback, private and "
                   "link-local addresses (a test server, a relay on your network).")
@network_options(online_by_default=None)
@format_option(OutputFormat.TEXT, OutputFormat.JSON)
def check(
    targets: tuple[str, ...], selectors: tuple[str, ...], zones: tuple[str, ...],
    smtp: tuple[str, ...], submission: tuple[str, ...], rcpt: str | None, user: str | None,
    port: int, helo: str | None, allow_private: bool,
    nameservers: tuple[str, ...], timeout: float, budget: float, max_queries: int,
    output_format: str, as_json: bool,
) -> None:
    """DNS evidence for a domain or an IP address (MX, SPF, DMARC, PTR, blocklists), and
    what its mail servers say when spoken to (--smtp, --submission).

    A TARGET is a domain (or an e-mail address, for its domain) or an IPv4/IPv6
    address. Domains get: mx, spf, dmarc, mta-sts, tls-rpt, and dkim for each
    --selector. Addresses get: ptr, fcrdns, and dnsbl for each blocklist (default
    zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org). Every check is pass,
    warn, fail or error (could not be completed, e.g. a timeout).

    --smtp connects to a mail server as a sending server does: greeting, EHLO (what it
    offers: SIZE, STARTTLS, AUTH, PIPELINING, 8BITMIME, SMTPUTF8, REQUIRETLS), STARTTLS
    (TLS version, cipher, and whether the certificate is trusted, current and names
    the host), QUIT. It sends no message; only with --rcpt does it ask about one
    recipient. --submission checks ports 587 and 465 as a mail client meets them,
    and with --user tries to log in. Every reply is explained like a bounce.

    \b
    Examples:
      bouncefix check example.org
      bouncefix check example.org --selector s1 --selector s2
      bouncefix check 192.0.2.25 --dnsbl zen.spamhaus.org
      bouncefix check example.org --smtp
      bouncefix check --smtp mx.example.org:25 --rcpt ann@example.org
      bouncefix check --submission smtp.example.org --user ann@example.org
      bouncefix check --nameserver 192.0.2.53:5353 --budget 10 example.org
      bouncefix check --format json example.org 192.0.2.25 | jq '.[].checks[].status'

    Blocklists such as Spamhaus refuse queries coming through public resolvers
    (8.8.8.8, 1.1.1.1): those show as error, never as listed. Many networks block
    outgoing port 25: probe from the mail server itself. Slow servers need a longer
    --timeout and --budget (the budget covers DNS and SMTP together).

    Exit codes: 0 no check failed; 1 some check failed or could not be completed;
    2 usage error (e.g. a private address or malformed name as TARGET); 130 interrupted.
    """
    env = Env()
    fmt = resolve_format(output_format, as_json)
    from ..dns.validate import TargetError

    request = Request(targets, selectors, zones, smtp, submission, rcpt, user, port, helo,
                      allow_private)
    try:
        plan = _prepare(env, request, nameservers, timeout, budget, max_queries)
    except TargetError as error:
        env.error(str(error))
        click.get_current_context().exit(ExitCode.USAGE)
    reports = _run(env, plan, timeout)
    _write(env, fmt, reports, plan.resolver)
    failed = any(report.failed for report in reports)
    click.get_current_context().exit(ExitCode.NOTHING if failed else ExitCode.OK)


@dataclass(frozen=True)
class Request:
    """What the command line asks for, before validation."""

    targets: tuple[str, ...]
    selectors: tuple[str, ...]
    zones: tuple[str, ...]
    smtp: tuple[str, ...]
    submission: tuple[str, ...]
    rcpt: str | None
    user: str | None
    port: int
    helo: str | None
    allow_private: bool


@dataclass
class Plan:
    """What the run will do: DNS targets and options, probes (MX probes by target
    index), and the one resolver whose budget everything shares."""

    parsed: list[tuple[Kind, str]]
    options: Options
    resolver: WatchedResolver
    mx_probes: dict[int, Probe] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)


def _prepare(env: Env, request: Request, nameservers: tuple[str, ...], timeout: float,
             budget: float, max_queries: int) -> Plan:
    """Validate everything before any query or connection; TargetError (one line)."""
    from ..dns.dnsbl import DEFAULT_ZONES
    from ..dns.runner import Options, WatchedResolver
    from ..dns.validate import TargetError, check_name, classify_target
    from ..smtp.targets import url_hint

    targets = request.targets
    if not targets and not request.submission and not [s for s in request.smtp if s != MX_MODE]:
        raise TargetError("give a TARGET, --smtp HOST or --submission HOST "
                          "(bouncefix check --help)")
    if len(targets) > MAX_TARGETS:
        raise TargetError(f"too many targets ({len(targets)}); at most {MAX_TARGETS} per run")
    parsed: list[tuple[Kind, str]] = []
    for target in targets:
        if "://" in target or target.lower().startswith("mailto:"):
            raise TargetError(f"bad target: {url_hint(target)}")
        try:
            parsed.append(classify_target(target))
        except TargetError as error:
            raise TargetError(f"bad target: {error}") from None
    for selector in request.selectors:
        check_name(f"{selector}._domainkey.example.org")
    options = Options(
        selectors=tuple(dict.fromkeys(s.lower() for s in request.selectors)),
        zones=tuple(dict.fromkeys(check_name(z) for z in request.zones)) or DEFAULT_ZONES,
    )
    servers = list(nameservers) or [
        part.strip() for part in env.environ.get(NAMESERVER_ENV, "").split(",") if part.strip()
    ]
    resolver = WatchedResolver(servers, timeout=timeout, budget=budget,
                               max_queries=max_queries)
    plan = Plan(parsed, options, resolver)
    _plan_probes(env, request, plan)
    return plan


def _plan_probes(env: Env, request: Request, plan: Plan) -> None:
    """The probes --smtp and --submission ask for, validated (TargetError)."""
    from ..dns.validate import TargetError
    from ..smtp.runner import mx_probe, server_probe, submission_probe
    from ..smtp.targets import split_host_port

    if request.rcpt and not request.smtp:
        raise TargetError("--rcpt needs --smtp: it asks a mail server about a recipient")
    if request.user and not request.submission:
        raise TargetError("--user needs --submission: it logs in to a submission server")
    if MX_MODE in request.smtp and not plan.parsed:
        raise TargetError("--smtp without a HOST probes the MX hosts of each TARGET: "
                          "give a domain (bouncefix check example.org --smtp)")
    servers = [split_host_port(spec, request.allow_private)
               for spec in dict.fromkeys(s for s in request.smtp if s != MX_MODE)]
    submitters = [split_host_port(spec, request.allow_private)
                  for spec in dict.fromkeys(request.submission)]
    if len(servers) + len(submitters) + (len(plan.parsed) if MX_MODE in request.smtp
                                         else 0) > MAX_TARGETS:
        raise TargetError(f"too many servers to probe; at most {MAX_TARGETS} per run")
    options = _probe_options(env, request)  # last: it may prompt for a password
    resolver = plan.resolver
    if MX_MODE in request.smtp:
        for index, (kind, name) in enumerate(plan.parsed):
            plan.mx_probes[index] = (mx_probe(name, options, resolver) if kind == "domain"
                                     else server_probe(name, None, options, resolver))
    plan.probes += [server_probe(host, port, options, resolver) for host, port in servers]
    plan.probes += [submission_probe(host, port, options, resolver)
                    for host, port in submitters]


def _probe_options(env: Env, request: Request) -> ProbeOptions:
    from ..smtp.options import ProbeOptions

    return ProbeOptions(
        helo=_helo_name(request.helo) if request.helo else None,
        rcpt=_recipient(request.rcpt) if request.rcpt else None,
        credentials=_credentials(env, request.user) if request.user else None,
        allow_private=request.allow_private, port=request.port,
    )


def _recipient(text: str) -> str:
    """An address to ask about: printable ASCII local part, valid domain; TargetError."""
    from ..dns.validate import TargetError, check_name
    from ..sanitize import one_line

    local, at, domain = text.strip().rpartition("@")
    if not at or not 1 <= len(local) <= 64 or not local.isascii() or any(
            not char.isprintable() or char in " <>,\\\"" for char in local):
        raise TargetError(f"--rcpt {one_line(text, 80)!r} is not an address like "
                          "ann@example.org")
    return f"{local}@{check_name(domain)}"


def _helo_name(text: str) -> str:
    """A name or address literal for EHLO; TargetError."""
    import ipaddress

    from ..dns.validate import TargetError, check_name
    from ..sanitize import one_line

    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        try:
            ipaddress.ip_address(inner[5:] if inner.lower().startswith("ipv6:") else inner)
        except ValueError:
            raise TargetError(f"--helo {one_line(text, 80)!r} is not an address literal") from None
        return text
    return check_name(text)


def _credentials(env: Env, user: str) -> Credentials:
    """The user and the password (environment, else a prompt on stderr); TargetError."""
    from ..dns.validate import TargetError
    from ..smtp.options import Credentials

    if not user.isprintable() or len(user) > 320 or not user.strip():
        raise TargetError("--user must be a printable user name")
    password = env.environ.get(PASSWORD_ENV)
    if password is None:
        try:
            password = click.prompt(f"Password for {user}", hide_input=True, err=True,
                                    default="", show_default=False)
        except click.Abort:
            password = ""
    if not password:
        raise TargetError(f"no password for --user: set ${PASSWORD_ENV} or type it at the prompt")
    return Credentials(user, password)


def _run(env: Env, plan: Plan, step: float) -> list[TargetReport]:
    """Run the checks and probes (a spinner on stderr when it is a terminal); the
    reports in order: each TARGET, its MX hosts, then --smtp and --submission servers."""
    from ..smtp.runner import check_and_probe

    probes = [*plan.mx_probes.values(), *plan.probes]
    with _spinner(env):
        checked, probed = check_and_probe(plan.parsed, plan.options, probes, plan.resolver,
                                          step)
    reports: list[TargetReport] = []
    groups = iter(probed)
    for index, report in enumerate(checked):
        reports.append(report)
        if index in plan.mx_probes:
            reports += next(groups)
    for group in groups:
        reports += group
    return reports


@contextlib.contextmanager
def _spinner(env: Env) -> Iterator[None]:
    """A spinner on stderr while waiting, only when stderr is a terminal."""
    if not env.stderr_tty:
        yield
        return
    from rich.console import Console

    console = Console(file=env.stderr, markup=False, emoji=False, highlight=False,
                      no_color=env.no_color)
    with console.status("checking (Ctrl-C to stop) ...", spinner="dots"):
        yield


def _write(env: Env, fmt: OutputFormat, reports: list[TargetReport],
           resolver: WatchedResolver) -> None:
    """Print the reports; when no nameserver ever answered, one line on stderr says so
    and text output leaves out the rows that would each repeat it."""
    from ..dns.runner import unreachable
    from ..render import checks as output

    line = unreachable(resolver)
    if line:
        env.error(line)
    if fmt is OutputFormat.JSON:
        output.write_json(reports, env.stdout)
        return
    if line:
        reports = [report for report in reports if not all(
            check.status == "error" for check in report.checks)]
    if env.rich_output:
        output.write_rich(env.console(), reports)
    else:
        output.write_plain(reports, env.stdout)
