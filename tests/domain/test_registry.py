"""The registry test: every rule declares all the platform derives from it (its parameters, the
vote types it counts, whether staff may offer it, its label and its plain explanation), and
each declaration is true of the rule's code."""
import inspect
from fractions import Fraction
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from budget.domain.tally import (RULES, VOTE_TYPES, BadParameters, Election, RuleNotApplicable,
                                 offered_rules, tally)

CATALOGUE = Path(__file__).parents[2] / "budget/translations/fr/LC_MESSAGES/messages.po"
# What a rule that needs parameters is given to run.
PARAMETERS = {"threshold": 1, "scores": {"A": 3, "B": 2, "C": 1}, "meta": {"rule": "greedy"}}
BALLOTS = {
    "approval": [(frozenset({"A", "B"}), 3), (frozenset({"C"}), 2)],
    "cumulative": [({"A": Fraction(5), "B": Fraction(5)}, 3), ({"C": Fraction(10)}, 2)],
    "scoring": [({"A": Fraction(5), "B": Fraction(5)}, 3), ({"C": Fraction(10)}, 2)],
    "ordinal": [(("A", "B"), 3), (("C",), 2)],
}


def election(vote_type: str) -> Election:
    return Election(costs={"A": 40, "B": 40, "C": 40}, budget=Fraction(100),
                    ballots=BALLOTS[vote_type], vote_type=vote_type)


@pytest.fixture(scope="module")
def french():
    with CATALOGUE.open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


@pytest.mark.parametrize("name", RULES)
def test_every_rule_declares_its_label_explanation_vote_types_and_offer(name, french):
    rule = RULES[name]
    assert rule.name == name and rule.summary
    assert rule.label and rule.explanation and rule.label != rule.explanation
    assert name not in rule.label and name not in rule.explanation  # residents read them
    assert french.get(rule.label), f"{name}: its label has no French"
    assert french.get(rule.explanation), f"{name}: its explanation has no French"
    assert rule.vote_types and rule.vote_types <= set(VOTE_TYPES)
    assert isinstance(rule.offered, bool)
    assert not (rule.offered and rule.needs_parameters), "a cycle stores no rule parameters"


@pytest.mark.parametrize("name", RULES)
def test_declared_parameters_are_those_the_rule_takes(name):
    rule = RULES[name]
    taken = list(inspect.signature(rule.run).parameters.values())[1:]
    assert set(rule.required) | set(rule.optional) == {p.name for p in taken}
    assert not set(rule.required) & set(rule.optional)
    without_default = {p.name for p in taken if p.default is inspect.Parameter.empty}
    assert without_default <= set(rule.required)


@pytest.mark.parametrize("name", RULES)
def test_a_rule_counts_the_vote_types_it_declares_and_refuses_the_others(name):
    rule = RULES[name]
    params = {key: PARAMETERS[key] for key in rule.required}
    for vote_type in VOTE_TYPES:
        if vote_type in rule.vote_types:
            outcome = tally(name, election(vote_type), **params)
            assert outcome.cost <= 100
        else:
            with pytest.raises(RuleNotApplicable):
                tally(name, election(vote_type), **params)


def test_a_missing_or_unknown_parameter_is_refused_by_name():
    with pytest.raises(BadParameters, match="missing: threshold"):
        tally("greedy-threshold", election("approval"))
    with pytest.raises(BadParameters, match="unknown: treshold"):
        tally("greedy", election("approval"), treshold=2)
    assert tally("greedy-threshold", election("approval"), threshold=3).selected == ("A", "B")


def test_the_rules_offered_depend_on_the_vote_type():
    assert "mes-points" in offered_rules("cumulative")
    assert "mes-points" not in offered_rules("approval")
    assert "phragmen" in offered_rules("approval")
    assert "phragmen" not in offered_rules("cumulative")  # it counts approval ballots only
    assert offered_rules("approval")[0] == "greedy"
    assert {"greedy-threshold", "declared", "greedy-score"}.isdisjoint(
        offered_rules("approval") + offered_rules("cumulative"))
