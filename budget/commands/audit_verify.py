"""`flask budget audit-verify`."""
from __future__ import annotations

import click

REASONS = {
    "edited": "its content does not match its hash (edited, or moved from another place)",
    "gap": "the entries numbered before it are missing (deleted)",
    "unlinked": "it does not follow the entry before it (an entry was deleted, inserted or "
                "reordered)",
}


@click.command("audit-verify")
def audit_verify_command() -> None:
    """Check the audit log's hash chain from its first entry to its last.

    Prints "OK" with the number of entries and the last hash (keep it elsewhere: deleting the
    latest entries leaves an intact but shorter chain, which only a hash noted earlier
    reveals). Exit code 1, with the first broken entry, when the chain is broken: that is also
    logged at error level and counted in /metrics (budget_duty_failures_total{duty="audit-verify"}).
    """
    from budget.ops.duties import record_run
    from budget.services import audit

    broken, count, last_hash = audit.verify()
    if broken is None:
        record_run("audit-verify", ok=True)
        click.echo(f"OK: {count} audit entries, chain intact. Last hash: {last_hash}")
        return
    message = (f"BROKEN at audit entry {broken.seq}: {REASONS[broken.reason]}. "
               f"{count} entries before it are intact.")
    record_run("audit-verify", ok=False, detail=message)
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)
