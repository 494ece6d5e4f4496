"""Running `flask budget ...` in tests, and reading an imported cycle back in file terms."""
from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from budget.domain.tally import Election
from budget.extensions import db
from budget.models import Ballot, BallotSelection, BudgetCycle, Envelope, Proposal

DATA = Path(__file__).resolve().parents[1] / "data"
IMPORTS = DATA / "imports"  # real files for the import and export tests only (README there)
APPROVAL = DATA / "Netherlands_Amsterdam_179.pb"  # META rule greedy, no max_length
CHOOSE_ONE = DATA / "Netherlands_Amsterdam_643.pb"  # max_length 1
ADD1 = DATA / "Netherlands_Assen_2024.pb"  # META rule equalshares/add1
FRACTIONAL = DATA / "Poland_Warszawa_2018_Ursus_Polnocny.pb"  # budget 827838.5, greedy-threshold
CUMULATIVE = DATA / "Switzerland_Zurich_S5D10.pb"
ORDINAL = DATA / "Poland_Krakow_2023_Czyzyny.pb"


def invoke(app, *args):
    """`flask budget ARGS...`; stdout and stderr stay apart (result.stdout, result.stderr)."""
    return app.test_cli_runner().invoke(args=["budget", *map(str, args)])


def import_files(app, *paths) -> BudgetCycle:
    result = invoke(app, "import-pb", *paths)
    assert result.exit_code == 0, result.output
    return db.session.get(BudgetCycle, int(result.stdout.splitlines()[-1]))


def proposals_of(envelope: Envelope) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.envelope_id == envelope.id)
                                   .order_by(Proposal.id)))


def file_ids(envelope: Envelope, pabulib) -> dict[str, str]:
    """Proposal id (as text) -> the file's project id: proposals are created in file order."""
    return {str(p.id): pid for p, pid in zip(proposals_of(envelope), pabulib.projects)}


def election_in_file_terms(envelope: Envelope, pabulib) -> Election:
    """The envelope's election as stored (projects, amount, its commune's ballots), with the
    file's project ids: equal to the file's own election when the import is faithful."""
    ids = file_ids(envelope, pabulib)
    rows = db.session.execute(
        select(Ballot.id, BallotSelection.proposal_id)
        .outerjoin(BallotSelection, BallotSelection.ballot_id == Ballot.id)
        .where(Ballot.cycle_id == envelope.cycle_id, Ballot.commune_id == envelope.commune_id))
    chosen = defaultdict(set)
    for ballot_id, proposal_id in rows:
        chosen[ballot_id] |= {ids[str(proposal_id)]} if proposal_id else set()
    return Election(costs={ids[str(p.id)]: p.final_cost for p in proposals_of(envelope)},
                    budget=Fraction(envelope.amount),
                    ballots=list(Counter(frozenset(c) for c in chosen.values()).items()))
