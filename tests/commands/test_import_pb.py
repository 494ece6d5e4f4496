"""`flask budget import-pb`: real Pabulib files become one cycle, faithfully, or nothing at all."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy import text as sa_text

from budget.domain.fingerprint import canonical_election
from budget.domain.pabulib import read_pabulib
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import (Ballot, BallotSelection, BudgetCycle, Commune, Intercommunality,
                           Participation, Proposal, User)
from budget.services import importing
from tests.commands.helpers import (ADD1, APPROVAL, CHOOSE_ONE, CUMULATIVE, FRACTIONAL, ORDINAL,
                                    election_in_file_terms, import_files, invoke, proposals_of)

EVERYTHING = (BudgetCycle, Intercommunality, Commune, Proposal, Ballot, BallotSelection, User)


def counts() -> dict:
    return {model: db.session.scalar(select(func.count()).select_from(model))
            for model in EVERYTHING}


def test_each_file_becomes_an_envelope_with_its_projects_and_ballots(app, session):
    cycle = import_files(app, APPROVAL, CHOOSE_ONE)
    assert cycle.phase() == Phase.COUNTING
    assert (cycle.vote_format, cycle.tally_rule) == ("approval", "greedy")
    assert cycle.vote_params == {"min_choices": 0, "max_choices": None}  # 179 sets no maximum
    assert re.fullmatch(r"PB\d{7}", cycle.intercommunality.siren)
    assert len(cycle.envelopes) == 2
    for path, envelope in zip((APPROVAL, CHOOSE_ONE), cycle.envelopes):
        pabulib = read_pabulib(path)
        assert re.fullmatch(r"PB\d{3}", envelope.commune.insee_code)
        assert envelope.commune.name == f"Amsterdam – {pabulib.meta['district']}"
        assert envelope.amount == pabulib.election.budget
        proposals = proposals_of(envelope)
        assert [p.final_cost for p in proposals] == list(pabulib.election.costs.values())
        assert [p.title for p in proposals] == [c["name"] for c in pabulib.projects.values()]
        assert {p.status for p in proposals} == {Status.ON_BALLOT}
        # The very election of the file: same costs, budget and ballots, empty ones included.
        assert canonical_election(election_in_file_terms(envelope, pabulib)) \
            == canonical_election(pabulib.election)
    channels = db.session.execute(select(Ballot.channel, func.count()).where(
        Ballot.cycle_id == cycle.id).group_by(Ballot.channel)).all()
    assert channels == [("import", 219 + 66)]
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


def test_rule_and_choice_limit_come_from_meta(app, session):
    assert import_files(app, ADD1).tally_rule == "mes-add1"  # equalshares/add1
    alone = import_files(app, CHOOSE_ONE)
    assert alone.vote_params["max_choices"] == 1
    assert alone.envelopes[0].commune.insee_code != import_files(app, CHOOSE_ONE) \
        .envelopes[0].commune.insee_code


def test_a_fractional_budget_is_rounded_down_with_a_warning(app, session):
    result = invoke(app, "import-pb", FRACTIONAL, "--title", "Ursus 2018")
    assert result.exit_code == 0, result.output
    cycle = db.session.get(BudgetCycle, int(result.stdout.splitlines()[-1]))
    assert cycle.title == "Ursus 2018" and cycle.envelopes[0].amount == 827_838
    assert "827838.5 rounded down to 827838" in result.stderr
    # greedy-threshold needs its threshold, which a cycle cannot store: greedy, said aloud.
    assert cycle.tally_rule == "greedy" and "greedy-threshold" in result.stderr


def test_other_vote_types_are_refused_by_name(app, session):
    before = counts()
    result = invoke(app, "import-pb", APPROVAL, ORDINAL)
    assert result.exit_code == 2
    assert f"{ORDINAL.name}: vote_type 'ordinal' cannot be imported" in result.stderr
    assert counts() == before


def test_approval_and_cumulative_files_do_not_share_a_cycle(app, session):
    before = counts()
    result = invoke(app, "import-pb", APPROVAL, CUMULATIVE)
    assert result.exit_code == 2
    assert "different vote formats (approval, cumulative)" in result.stderr
    assert counts() == before


def test_a_malformed_file_names_its_line_and_nothing_is_imported(app, session, tmp_path):
    with open(APPROVAL, encoding="utf-8", newline="") as original:
        lines = original.readlines()
    number = len(lines) - 2  # a VOTES row near the end (1-based); keep its voter id
    lines[number - 1] = lines[number - 1].split(";")[0] + ";15001,9999\r\n"
    broken = tmp_path / "broken.pb"
    with open(broken, "w", encoding="utf-8", newline="") as copy:
        copy.writelines(lines)
    before = counts()
    result = invoke(app, "import-pb", CHOOSE_ONE, broken)  # a good file first: still nothing
    assert result.exit_code == 2
    assert f"broken.pb: line {number}: the vote names an unknown project '9999'" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert counts() == before


def test_a_failure_while_writing_keeps_nothing(app, session, monkeypatch):
    written = []

    def fail_on_second_file(*args, **kwargs):
        if written:
            raise RuntimeError("disk full")
        written.append(original(*args, **kwargs))

    original = importing._write_ballots
    monkeypatch.setattr(importing, "_write_ballots", fail_on_second_file)
    before = counts()
    result = invoke(app, "import-pb", APPROVAL, CHOOSE_ONE)
    assert isinstance(result.exception, RuntimeError) and written
    assert counts() == before


def test_every_import_gets_its_own_synthetic_territory(app, session):
    first, second = import_files(app, APPROVAL), import_files(app, APPROVAL, CHOOSE_ONE)
    sirens = [first.intercommunality.siren, second.intercommunality.siren]
    codes = [e.commune.insee_code for c in (first, second) for e in c.envelopes]
    assert len(set(sirens)) == 2 and len(set(codes)) == 3
    assert all(code.startswith("PB") for code in sirens + codes)


def test_codes_taken_meanwhile_refuse_the_import_cleanly(app, session, monkeypatch):
    import_files(app, APPROVAL)
    before = counts()
    monkeypatch.setattr(importing, "_next_number", lambda column: 1)  # as a racing import would
    result = invoke(app, "import-pb", CHOOSE_ONE)
    assert result.exit_code == 2 and "the database refused the import" in result.stderr
    assert counts() == before


def test_imported_ballots_are_born_sealed_and_the_first_tally_leaves_them(app, session):
    """Written in the order of their random ids, in one transaction, an imported box is what a
    seal makes of one (services/bulk_ballots.py): the order rows come in says nothing. The
    import records it, and the first tally does not write the rows again (on PostgreSQL a
    written row moves: its ctid changes)."""
    from budget.services import bulk_ballots

    written = [row[0][0] for row in bulk_ballots._rows([([(1, None)], 3), ([(2, None)], 4)],
                                                       cycle_id=1, commune_id=1,
                                                       channel="import")]
    assert len(written) == 7 and written == sorted(written)

    cycle = import_files(app, APPROVAL, CHOOSE_ONE)
    assert cycle.sealed_ballots == 219 + 66
    stored = "ctid" if db.session.get_bind().dialect.name == "postgresql" else "id"

    def as_stored() -> list[tuple]:
        return [tuple(row) for row in db.session.execute(sa_text(
            f"SELECT id, {stored} AS place FROM ballots WHERE cycle_id = :c ORDER BY id"),
            {"c": cycle.id})]

    before = as_stored()
    result = invoke(app, "tally", cycle.id)
    assert result.exit_code == 0, result.output
    assert as_stored() == before
