"""Exports of runs that are not the hand-checked greedy vote: other rules, an empty count."""
from __future__ import annotations

import io

import pytest
from flask_babel import refresh
from openpyxl import load_workbook

from budget.domain import recount
from budget.domain.fingerprint import envelope_fingerprint
from budget.domain.pabulib import read_pabulib_text
from budget.domain.phases import Phase
from budget.services import exports, tally
from tests import factories
from tests.exports.conftest import cast_close_tally


@pytest.mark.parametrize("rule, pabulib_rule", [
    ("mes", "equalshares"), ("mes-add1", "equalshares/add1"), ("phragmen", "unknown"),
    ("greedy-cardinality", "unknown")])
def test_pb_names_the_rule_both_ways(w, rule, pabulib_rule):
    cycle = factories.cycle(w, Phase.VOTE, vote_params={}, rule=rule)
    ids = [factories.project(cycle, w.north, f"Projet {n}", cost, w.users["alice"]).id
           for n, cost in enumerate((4_000, 5_000, 3_000))]
    run = cast_close_tally(w, cycle, {"v1": ids[:2], "v2": ids[1:], "v3": [ids[0]]})
    report = exports.build_report(cycle, run)
    envelope = next(e for e in run.result["envelopes"] if e["commune_id"] == w.north.id)
    pb = read_pabulib_text(exports.render_pb(report, envelope["id"]).decode())
    facts = recount.decode(pb.meta)
    assert pb.meta["rule"] == pabulib_rule and facts["engine_rule"] == rule
    assert envelope_fingerprint(facts["engine_rule"], pb.election,
                                facts["tie_order"].split(",")) == envelope["fingerprint"]


def test_a_count_without_ballots_exports_everything(w, tmp_path):
    """No ballot, an envelope without projects: every format still says so cleanly."""
    cycle = factories.cycle(w, Phase.COUNTING)
    factories.project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    run = tally.run_tally(w.users["staff"], cycle)
    tally.publish(w.users["staff"], cycle, run.id)
    report = exports.build_report(cycle, run)
    assert report.ballots == 0 and not report.preview
    for name, export in exports.FORMATS.items():
        assert export.render(report), name
    assert exports.FORMATS["pdf"].render(report).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(exports.FORMATS["xlsx"].render(report)))
    assert len(book.sheetnames) == 4
    for envelope in report.envelopes:
        pb = read_pabulib_text(exports.render_pb(report, envelope.id).decode())
        assert pb.meta["num_votes"] == "0"
        assert recount.decode(pb.meta)["fingerprint"] == envelope.fingerprint


def test_equal_shares_outcomes_are_explained_like_on_the_page(app, w):
    cycle = factories.cycle(w, Phase.VOTE, vote_params={}, rule="mes",
                            amounts=(20_000, 10_000, 30_000))
    cheap, dear = (factories.project(cycle, w.north, title, cost, w.users["alice"]).id
                   for title, cost in (("Bancs", 3_000), ("Piscine", 9_000)))
    run = cast_close_tally(w, cycle, {"v1": [cheap], "v2": [cheap], "v3": [dear]})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()  # the test's app context may have cached another locale
        report = exports.build_report(cycle, run)
        north = next(e for e in report.envelopes if e.commune_id == w.north.id)
        texts = {p.title: p.outcome_text() for p in north.projects}
    assert texts["Bancs"].startswith("Funded — its 2 supporters paid it from their equal "
                                     "shares")
    assert texts["Piscine"].startswith("Not funded: its supporters' remaining shares covered "
                                       "only")
