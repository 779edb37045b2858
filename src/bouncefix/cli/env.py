"""The command's surroundings, injectable for tests: streams, terminal, colour."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from ..render.formats import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Env", "OutputFormat"]


class Env:
    """Streams and terminal facts for one invocation.

    Colour: ``--color`` when given; else NO_COLOR (any value) turns colour off, and
    FORCE_COLOR (any value but 0) turns the terminal layout and colour on even when the
    output is not a terminal. ``--output FILE`` replaces standard output.
    """

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: dict[str, str] | None = None,
        color: str | None = None,
    ) -> None:
        meta = _click_meta()
        self.stdout = stdout or meta.get("bouncefix.output") or sys.stdout
        self.stderr = stderr or sys.stderr
        self.environ = dict(os.environ if environ is None else environ)
        self.is_tty = _isatty(self.stdout)
        self.stderr_tty = _isatty(self.stderr)
        self.color = color or meta.get("bouncefix.color") or self._color_from_environ()
        self.no_color = self.color == "never" or self.environ.get("TERM") == "dumb"
        self._console: Console | None = None

    def _color_from_environ(self) -> str:
        if self.environ.get("NO_COLOR"):
            return "never"
        if self.environ.get("FORCE_COLOR", "0") not in ("", "0"):
            return "always"
        return "auto"

    @property
    def rich_output(self) -> bool:
        """True when output should be rich (a terminal, or colour forced), False for
        plain text."""
        forced = self.environ.get("BOUNCEFIX_FORCE_RICH") or self.color == "always"
        return bool(forced) or self.is_tty

    def console(self) -> Console:
        """The one rich Console for stdout; untrusted text never becomes markup."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.stdout,
                markup=False,
                emoji=False,
                highlight=False,
                no_color=self.no_color,
                force_terminal=(self.is_tty or self.color == "always") or None,
                width=_width(self.environ),
                soft_wrap=False,
            )
        return self._console

    def error(self, message: str) -> None:
        """One line on stderr, prefixed with the program name."""
        from ..sanitize import one_line

        print(f"bouncefix: {one_line(message, 500)}", file=self.stderr)


def _click_meta() -> dict[str, Any]:
    """What the shared options (cli/options.py) left for the current command."""
    click = sys.modules.get("click")
    context = click.get_current_context(silent=True) if click is not None else None
    return context.meta if context is not None else {}


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(environ: dict[str, str]) -> int | None:
    columns = environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and 20 <= int(columns) <= 500 else None
