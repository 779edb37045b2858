"""``bouncefix completion SHELL``: the shell's tab-completion script (click's)."""

from __future__ import annotations

import click

from .env import Env

SHELLS = ("bash", "zsh", "fish")


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the tab-completion script for SHELL (bash, zsh or fish); install it once.

    \b
    Examples:
      bouncefix completion bash > ~/.local/share/bash-completion/completions/bouncefix
      bouncefix completion zsh > "${fpath[1]}/_bouncefix"     then restart zsh
      bouncefix completion fish > ~/.config/fish/completions/bouncefix.fish
      eval "$(bouncefix completion bash)"                     this shell only

    Commands, options and their values (formats, reasons, providers) then complete with
    Tab. Exit codes: 0 printed; 2 usage error (an unknown shell).
    """
    from click.shell_completion import get_completion_class

    from .group import cli

    completer = get_completion_class(shell)
    if completer is None:  # pragma: no cover - click knows all three
        raise click.UsageError(f"no completion for {shell}")
    script = completer(cli, {}, "bouncefix", "_BOUNCEFIX_COMPLETE").source()
    Env().stdout.write(script if script.endswith("\n") else script + "\n")
