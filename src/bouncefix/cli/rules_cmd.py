"""``bouncefix rules``: the rules the engine applies, for review and for scripts."""

from __future__ import annotations

import json
from typing import Any

import click

from ..streams import unicode_ok
from .env import Env, OutputFormat
from .exitcodes import ExitCode
from .options import completes, format_option, one_of, resolve_format


def _reasons() -> list[str]:
    from ..model import Reason

    return sorted(r.value for r in Reason)


def _providers() -> list[str]:
    from ..rules.loader import load_ruleset

    return ["generic", *sorted(load_ruleset().providers)]


@click.command()
@click.option("--reason", "reasons", multiple=True, metavar="REASON",
              callback=one_of(_reasons, "reason"), shell_complete=completes(_reasons),
              help="Only rules concluding this reason (repeatable).")
@click.option("--provider", "providers", multiple=True, metavar="ID",
              callback=one_of(_providers, "provider"), shell_complete=completes(_providers),
              help="Only rules for this provider id, e.g. microsoft (repeatable); "
                   "'generic' for rules of no provider; see --list-providers.")
@click.option("--list-providers", is_flag=True,
              help="List the provider ids with their names and rule counts instead.")
@format_option(OutputFormat.TEXT, OutputFormat.JSON)
def rules(reasons: tuple[str, ...], providers: tuple[str, ...], list_providers: bool,
          output_format: str, as_json: bool) -> None:
    """List the diagnosis rules, in the order they are tried.

    Each rule matches what a server said (text patterns, enhanced status code, reply
    code, receiving provider, failed SMTP command) and concludes a reason with cause,
    fix steps, who acts and retry advice. Provider rules come first, then generic text
    rules, then rules on the enhanced code, the reply code and the class.

    \b
    Examples:
      bouncefix rules --provider microsoft
      bouncefix rules --reason blocked --format json | jq '.[].id'
      bouncefix rules --provider generic --reason userunknown
      bouncefix rules --list-providers

    Exit codes: 0 some rule listed; 1 no rule matched the filters; 2 usage error;
    130 interrupted.
    """
    from ..rules.loader import load_ruleset

    env = Env()
    ruleset = load_ruleset()
    fmt = resolve_format(output_format, as_json)
    if list_providers:
        _write_providers(env, fmt, ruleset)
        click.get_current_context().exit(ExitCode.OK)
    selected = [
        rule for rule in ruleset.rules
        if (not reasons or rule.reason.value in reasons)
        and (not providers or (rule.provider or "generic") in providers)
    ]
    rows = [_rule_dict(rule, ruleset.providers) for rule in selected]
    if fmt is OutputFormat.JSON:
        json.dump(rows, env.stdout, indent=2, ensure_ascii=not unicode_ok(env.stdout))
        env.stdout.write("\n")
    elif env.rich_output:
        _rich(env, rows)
    else:
        for row in rows:
            env.stdout.write(f"{row['id']}\t{row['reason']}\t{row['provider'] or '-'}\t"
                             f"{row['title'] or ''}\n")
    click.get_current_context().exit(ExitCode.OK if rows else ExitCode.NOTHING)


def _rule_dict(rule: Any, providers: dict[str, Any]) -> dict[str, Any]:
    provider = providers.get(rule.provider) if rule.provider else None
    return {
        "id": rule.id,
        "reason": rule.reason.value,
        "provider": rule.provider,
        "provider_name": provider.name if provider else None,
        "tier": rule.tier,
        "match": {
            "text": rule.text.pattern if rule.text is not None else None,
            "status": list(rule.status),
            "reply_code": list(rule.reply_code),
            "command": list(rule.command),
            "parser": list(rule.parser),
        },
        "title": rule.title,
        "cause": rule.cause,
        "fix": list(rule.fix),
        "who": list(rule.who),
        "retry": rule.retry,
        "source": rule.source,
        "examples": list(rule.examples),
        "file": rule.file,
    }


def _rich(env: Env, rows: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"{len(rows)} rules, in the order they are tried"),
                  title_justify="left")
    table.add_column("id", no_wrap=True)  # ids have no spaces: never cut one in two
    for name in ("reason", "provider", "title"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(Text(row["id"]), Text(row["reason"]), Text(row["provider"] or "-"),
                      Text(row["title"] or ""))
    env.console().print(table)


def _write_providers(env: Env, fmt: OutputFormat, ruleset: Any) -> None:
    from collections import Counter

    counts = Counter(rule.provider or "generic" for rule in ruleset.rules)
    rows: list[dict[str, Any]] = [
        {"id": "generic", "name": "rules of no provider", "rules": counts["generic"]}]
    rows += [{"id": key, "name": str(provider.name), "rules": counts[key]}
             for key, provider in sorted(ruleset.providers.items())]
    if fmt is OutputFormat.JSON:
        json.dump(rows, env.stdout, indent=2, ensure_ascii=not unicode_ok(env.stdout))
        env.stdout.write("\n")
    elif env.rich_output:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"{len(rows)} providers"), title_justify="left")
        table.add_column("id", no_wrap=True)
        table.add_column("name")
        table.add_column("rules", justify="right")
        for row in rows:
            table.add_row(Text(row["id"]), Text(row["name"]), Text(str(row["rules"])))
        env.console().print(table)
    else:
        for row in rows:
            env.stdout.write(f"{row['id']}\t{row['rules']}\t{row['name']}\n")
