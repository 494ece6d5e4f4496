"""Progress bars for long command-line jobs.

click's own progress bar (Flask's CLI already ships click, so nothing to add), written to
stderr so that stdout keeps only the results scripts read. Shown when stderr is a terminal;
`--progress` shows it anyway (in a log, as carriage-return-separated lines), `--no-progress`
never.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
import sys
from contextlib import contextmanager

import click

progress_option = click.option(
    "--progress/--no-progress", "show_progress", default=None,
    help="Show a progress bar on stderr (default: only when stderr is a terminal).")


class _AsTerminal:
    """A stream that says it is a terminal: click only draws the bar on terminals."""

    def __init__(self, stream):
        self._stream = stream

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextmanager
def progress_bar(show: bool | None, length: int, label: str
                 ) -> Iterator[Callable[[int], None]]:
    """Yield update(steps): advance the bar, or do nothing when it is not shown.

    show: True, False, or None for "when stderr is a terminal"."""
    stream = sys.stderr
    if show is None:
        show = stream.isatty()
    if not show:
        yield lambda steps=1: None
        return
    terminal = stream if stream.isatty() else _AsTerminal(stream)
    with click.progressbar(length=length, label=label, show_pos=True, file=terminal) as bar:
        yield bar.update
