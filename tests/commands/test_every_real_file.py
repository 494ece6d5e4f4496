"""Every real Pabulib file of the shared collection, once imported, gives every export: CSV,
XLSX, PDF, open-data JSON (valid against its schema) and one .pb per envelope that names the
file's own project ids and gives back the file's dates. A file the platform cannot import
(ranked or scored ballots) is refused with a clear message and nothing written.

The collection lives outside the repository (PABULIB_COLLECTION, default ../shared/pabulib
beside the checkout, or beside its parent for a worktree): without it these tests are
skipped, the small copies in tests/data are walked by the other tests.

Speed: importing and tallying the large files whole (Łódź 2022: 90,000 ballots) took 6 of
the 6.5 minutes this walk took on 2 shared cores, and what the exports do with a project (its
id, name, columns) or with META does not depend on how many ballots chose it. So a file with
more than BALLOT_CAP ballots is walked with its first BALLOT_CAP ballots only (every META key
and every project kept); PABULIB_WHOLE=1 walks every file whole."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from budget.domain.pabulib import read_pabulib, read_pabulib_text
from budget.models import BudgetCycle
from budget.services import exports
from budget.services.import_plan import ImportRefused, check_file
from tests.commands.helpers import invoke

ROOT = Path(__file__).resolve().parents[2]
# ../shared/pabulib beside the main checkout; a worktree sits one folder deeper.
NEARBY = [ROOT.parent / "shared" / "pabulib", ROOT.parent.parent / "shared" / "pabulib"]
COLLECTION = Path(os.environ.get("PABULIB_COLLECTION")
                  or next((p for p in NEARBY if p.is_dir()), NEARBY[0]))
FILES = sorted(COLLECTION.glob("*.pb")) if COLLECTION.is_dir() else []
SCHEMA = json.loads((ROOT / "docs" / "opendata-schema-v1.json").read_text(encoding="utf-8"))

BALLOT_CAP = 3_000
WHOLE = os.environ.get("PABULIB_WHOLE") == "1"

pytestmark = pytest.mark.skipif(not FILES, reason=f"no Pabulib collection at {COLLECTION}")


def walked(path: Path, folder: Path) -> Path:
    """The file, or a copy of the same name with only its first BALLOT_CAP VOTES rows."""
    if WHOLE:
        return path
    lines = path.read_text(encoding="utf-8").splitlines()
    votes = next(n for n, line in enumerate(lines) if line.strip().upper() == "VOTES")
    if len(lines) - votes - 2 <= BALLOT_CAP:
        return path
    copy = folder / path.name
    copy.write_text("\n".join(lines[:votes + 2 + BALLOT_CAP]) + "\n", encoding="utf-8")
    return copy


def importable(path: Path) -> bool:
    try:
        check_file(path)
    except ImportRefused:
        return False
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_export_works_for_every_real_file(app, session, path, tmp_path):
    path = walked(path, tmp_path)
    source = read_pabulib(path)
    result = invoke(app, "import-pb", path)
    if not importable(path):
        assert result.exit_code == 2 and "Nothing was imported" in result.stderr
        return
    assert result.exit_code == 0, result.output
    cycle = session.get(BudgetCycle, int(result.stdout.splitlines()[-1]))
    # greedy: every file gives a run quickly; the rules are walked on real files elsewhere.
    tallied = invoke(app, "tally", cycle.id, "--rule", "greedy", "--publish")
    assert tallied.exit_code == 0, tallied.output
    report = exports.build_report(cycle, cycle.published_run)
    for name, export in exports.FORMATS.items():
        data = export.render(report)
        assert data, name
    document = json.loads(exports.FORMATS["json"].render(report))
    Draft202012Validator(SCHEMA).validate(document)
    assert document["territory"]["population"] is None
    [envelope] = report.envelopes
    again = read_pabulib_text(exports.render_pb(report, envelope.id).decode())
    assert list(again.projects) and set(again.projects) == set(source.projects)
    for key in ("date_begin", "date_end", "instance", "edition", "currency", "language",
                "vote_type"):
        assert again.meta.get(key) == source.meta.get(key), key
