"""The command's surroundings, injectable for tests: streams, terminal, colour."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from ..render.formats import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Env", "OutputFormat"]


class Env:
    """Streams and terminal facts for one invocation."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.environ = dict(os.environ if environ is None else environ)
        self.is_tty = _isatty(self.stdout)
        self.stderr_tty = _isatty(self.stderr)
        self.no_color = bool(self.environ.get("NO_COLOR")) or self.environ.get("TERM") == "dumb"
        self._console: Console | None = None

    @property
    def rich_output(self) -> bool:
        """True when output should be rich (a terminal), False for plain text."""
        forced = self.environ.get("BOUNCEFIX_FORCE_RICH")
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
                force_terminal=self.is_tty or None,
                width=_width(self.environ),
                soft_wrap=False,
            )
        return self._console

    def error(self, message: str) -> None:
        """One line on stderr, prefixed with the program name."""
        from ..sanitize import one_line

        print(f"bouncefix: {one_line(message, 500)}", file=self.stderr)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(environ: dict[str, str]) -> int | None:
    columns = environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and 20 <= int(columns) <= 500 else None
