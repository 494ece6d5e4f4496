"""`flask budget ...`: one module per command, registered here explicitly."""
from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from budget.commands.audit_verify import audit_verify_command
from budget.commands.backup import backup_command, restore_command
from budget.commands.demo import demo_command
from budget.commands.export import export_command
from budget.commands.catalogue_backfill import catalogue_backfill_command
from budget.commands.import_catalogue import import_catalogue_command
from budget.commands.import_pb import import_pb_command
from budget.commands.mix_ballots import mix_ballots_command
from budget.commands.purge_eligibility import purge_eligibility_command
from budget.commands.send_digests import send_digests_command
from budget.commands.second_factor import remove_second_factor_command
from budget.commands.tally import tally_command
from budget.commands.territories import import_territories_command
from budget.commands.verify import verify_command
from budget.commands.worker import jobs_command, worker_command


def register(app: Flask) -> None:
    group = AppGroup("budget", help="Participatory budgeting commands.")
    for command in (audit_verify_command, backup_command, catalogue_backfill_command,
                    demo_command, export_command,
                    import_catalogue_command, import_pb_command, import_territories_command,
                    jobs_command,
                    mix_ballots_command, purge_eligibility_command,
                    remove_second_factor_command, restore_command, send_digests_command,
                    tally_command, verify_command, worker_command):
        group.add_command(command)
    app.cli.add_command(group)
