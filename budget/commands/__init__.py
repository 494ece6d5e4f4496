"""`flask budget ...`: one module per command, registered here explicitly."""
from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from budget.commands.demo import demo_command


def register(app: Flask) -> None:
    group = AppGroup("budget", help="Participatory budgeting commands.")
    for command in (demo_command,):
        group.add_command(command)
    app.cli.add_command(group)
