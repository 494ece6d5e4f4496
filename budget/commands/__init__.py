"""`flask budget ...`: one module per command, registered here explicitly."""
from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from budget.commands.audit_verify import audit_verify_command
from budget.commands.demo import demo_command
from budget.commands.export import export_command
from budget.commands.import_pb import import_pb_command
from budget.commands.tally import tally_command
from budget.commands.verify import verify_command


def register(app: Flask) -> None:
    group = AppGroup("budget", help="Participatory budgeting commands.")
    for command in (audit_verify_command, demo_command, export_command, import_pb_command,
                    tally_command, verify_command):
        group.add_command(command)
    app.cli.add_command(group)
