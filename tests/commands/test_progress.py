"""Progress bars of long jobs: on stderr, only on a terminal unless --progress asks for them,
and never on stdout, whose last line scripts read."""
from __future__ import annotations

import io
import sys

import pytest

from budget.commands.progress import progress_bar
from tests.commands.helpers import ADD1, APPROVAL, import_files, invoke


def test_import_shows_no_bar_when_stderr_is_not_a_terminal(app, session):
    result = invoke(app, "import-pb", APPROVAL)
    assert result.exit_code == 0, result.output
    assert "Importing ballots" not in result.stderr
    assert result.stdout.splitlines()[-1].isdigit()


@pytest.mark.parametrize("flag, shown", [("--progress", True), ("--no-progress", False)])
def test_import_bar_follows_the_flag(app, session, flag, shown):
    result = invoke(app, "import-pb", flag, ADD1)
    assert result.exit_code == 0, result.output
    assert ("Importing ballots" in result.stderr) is shown
    assert "Importing ballots" not in result.stdout
    assert result.stdout.splitlines()[-1].isdigit()


def test_tally_bar_counts_envelopes_on_stderr_only(app, session):
    cycle = import_files(app, APPROVAL, ADD1)
    quiet = invoke(app, "tally", cycle.id)
    assert quiet.exit_code == 0, quiet.output
    assert "Tallying" not in quiet.stderr
    shown = invoke(app, "tally", cycle.id, "--progress")
    assert shown.exit_code == 0, shown.output
    assert "Tallying envelopes" in shown.stderr and "2/2" in shown.stderr
    assert len(shown.stdout.splitlines()[-1]) == 64  # the fingerprint, alone on its line


def test_demo_bar_counts_ballots(app, session):
    shown = invoke(app, "demo", "--ballots", "7", "--progress")
    assert shown.exit_code == 0, shown.output
    assert "Casting synthetic ballots" in shown.stderr and "7/7" in shown.stderr
    again = invoke(app, "demo", "--ballots", "7")
    assert again.exit_code == 0 and again.stderr == ""


def test_the_bar_is_drawn_on_a_terminal_by_default(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(None, 3, "Working") as advance:
        for _ in range(3):
            advance(1)
    assert "Working" in terminal.getvalue() and "3/3" in terminal.getvalue()
