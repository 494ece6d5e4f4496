"""`flask budget tally`: the system operator tallies an imported election exactly as the engine
does on the file itself, stores the run, and publishes it when asked."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from budget.domain.fingerprint import envelope_fingerprint
from budget.domain.pabulib import read_pabulib
from budget.domain.phases import Phase
from budget.domain.tally import tally
from budget.extensions import db
from budget.models import TallyRun
from budget.services import policy
from budget.services.policy import SYSTEM_OPERATOR, Action
from tests import factories
from tests.commands.helpers import ADD1, APPROVAL, CHOOSE_ONE, import_files, invoke


def runs(cycle) -> list[TallyRun]:
    return list(db.session.scalars(select(TallyRun).where(TallyRun.cycle_id == cycle.id)))


@pytest.mark.parametrize("rule", ["greedy", "mes"])
@pytest.mark.parametrize("path", [APPROVAL, CHOOSE_ONE, ADD1], ids=lambda p: p.stem)
def test_the_platform_picks_the_winners_the_engine_picks_on_the_file(app, session, path, rule):
    cycle = import_files(app, path)
    result = invoke(app, "tally", cycle.id, "--rule", rule)
    assert result.exit_code == 0, result.output
    [run] = runs(cycle)
    assert (run.rule, run.created_by_id, run.published_at) == (rule, None, None)
    assert result.stdout.splitlines()[-1] == run.fingerprint
    [stored] = run.result["envelopes"]
    pabulib = read_pabulib(path)
    # The same election, in the file's own project ids, with the platform's tie order.
    tie_order = stored["input"]["tie_order"]
    assert sorted(tie_order) == sorted(pabulib.election.costs)
    expected = tally(rule, pabulib.election, tie_order=tie_order)
    winners = {p["external_id"] for p in stored["projects"] if p["selected"]}
    assert winners == set(expected.selected)
    assert stored["fingerprint"] == envelope_fingerprint(rule, pabulib.election, tie_order)
    assert stored["spent"] == expected.cost
    assert f"{len(winners)} winner(s) of {len(pabulib.projects)}, spent €{stored['spent']:,} " \
           f"of €{stored['amount']:,}" in result.stdout


def test_without_rule_the_cycle_rule_is_used_and_publish_publishes(app, session):
    cycle = import_files(app, ADD1)
    result = invoke(app, "tally", cycle.id, "--publish")
    assert result.exit_code == 0, result.output
    [run] = runs(cycle)
    assert run.rule == "mes-add1" and run.published_at is not None
    assert "published" in result.stdout and result.stdout.splitlines()[-1] == run.fingerprint
    assert cycle.phase() == Phase.RESULTS
    again = invoke(app, "tally", cycle.id)  # results are out: no more tallies
    assert again.exit_code == 2 and "phase" in again.stderr and len(runs(cycle)) == 1


@pytest.mark.parametrize("args, message", [
    (["999999"], "no budget cycle has the id 999999"),
    (["{id}", "--rule", "nonsense"], "unknown tally rule 'nonsense'"),
    (["{id}", "--rule", "greedy-threshold"], "needs parameters"),
    (["{id}", "--rule", "mes-points"], "mes-points needs cumulative or scoring ballots"),
])
def test_errors_go_to_stderr_with_exit_code_2(app, session, args, message):
    cycle = import_files(app, CHOOSE_ONE)
    result = invoke(app, "tally", *(arg.format(id=cycle.id) for arg in args))
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
    assert runs(cycle) == []


def test_nobody_tallies_during_the_vote_not_even_the_operator(app, session):
    cycle = factories.cycle(factories.world(), Phase.VOTE)
    result = invoke(app, "tally", cycle.id)
    assert result.exit_code == 2 and "current phase" in result.stderr
    assert runs(cycle) == []


def test_the_system_operator_acts_where_an_admin_may_and_only_then(session):
    w = factories.world()
    counting, voting = factories.cycle(w, Phase.COUNTING), factories.cycle(w, Phase.VOTE)
    for action in (Action.RUN_TALLY, Action.PUBLISH_RESULTS, Action.MANAGE_CYCLE):
        assert policy.can(SYSTEM_OPERATOR, action, counting)
    assert not policy.can(SYSTEM_OPERATOR, Action.RUN_TALLY, voting)
    assert not policy.can(SYSTEM_OPERATOR, Action.VOTE, voting)  # it lives nowhere
