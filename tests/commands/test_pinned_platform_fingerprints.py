"""The fingerprints the platform publishes for real files do not change: imported with
`flask budget import-pb`, counted with `flask budget tally`, the stored run carries the same
envelope fingerprints as before the city-scale work of issue 21 (COPY import, sealed
ballot box, result pages served from storage). tests/domain/test_fingerprint.py pins the
engine's side alone."""
from __future__ import annotations

import pytest

from budget.domain.fingerprint import run_fingerprint
from tests.commands.helpers import ADD1, FRACTIONAL, import_files, invoke

# Computed through import-pb and tally at dab7d84, the tree before the COPY import (4e57c26)
# and the faster canonical form (9e279a9), on SQLite; the same on PostgreSQL (COPY) after them.
PINNED = {
    (FRACTIONAL.name, "mes"):
        "82203270fe26f5e0773fb3697610931f9f394b3f3d5af958b56a919bb927d79c",
    (ADD1.name, "mes-add1"):
        "9344495f90b3087294c87f276350b38a7626e8d9c80ad54d28cb9ab06874eda8",
}
FILES = {FRACTIONAL.name: FRACTIONAL, ADD1.name: ADD1}


@pytest.mark.parametrize("name, rule", sorted(PINNED))
def test_a_real_file_counted_on_the_platform_keeps_its_fingerprints(app, session, name, rule):
    cycle = import_files(app, FILES[name])
    result = invoke(app, "tally", cycle.id, "--rule", rule)
    assert result.exit_code == 0, result.output
    [run] = cycle.tally_runs
    [envelope] = run.result["envelopes"]
    assert envelope["fingerprint"] == PINNED[(name, rule)]
    # The run's fingerprint is over its envelopes' ids (which the database picks) and theirs.
    assert run.fingerprint == run_fingerprint({envelope["id"]: PINNED[(name, rule)]})
