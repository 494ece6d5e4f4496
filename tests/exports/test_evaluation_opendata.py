"""The evaluation after delivery in the open-data JSON: an optional `evaluation` on the
tracking entry of a delivered winner, valid against the schema, counts under 5 left out, and
each new answer makes a new file."""
from __future__ import annotations

from budget.services import evaluation, tracking_read
from tests import factories
from tests.exports.test_opendata import validated
from tests.services.evaluation_helpers import deliver


def test_a_delivered_winner_carries_its_evaluation_and_each_answer_makes_a_new_file(
        browser, published, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CACHE_FOLDER", str(tmp_path / "exports"))
    w, url = published.world, f"/cycles/{published.cycle.id}/results.json"
    record = next(r for r in tracking_read.of_cycle(published.cycle)
                  if r.commune_id == w.north.id)
    deliver(record.proposal, w.users["staff"])
    neighbours = [factories.user(f"voisin{n}@example.fr", w.north) for n in range(5)]
    for person in neighbours[:4]:
        evaluation.answer(person, record, "yes", 4)
    lines = {t["project_id"]: t for t in validated(browser.get(url))["tracking"]}
    assert lines[record.proposal_id]["evaluation"] == {
        "answers": None, "using_share": None, "mean_usefulness": None, "evaluated": False,
        "text": None}
    assert all("evaluation" not in line for pid, line in lines.items()
               if pid != record.proposal_id), "not delivered: no evaluation"
    evaluation.answer(neighbours[4], record, "no", 2)  # no audit entry: a new file still
    lines = {t["project_id"]: t for t in validated(browser.get(url))["tracking"]}
    assert lines[record.proposal_id]["evaluation"] == {
        "answers": 5, "using_share": 0.8, "mean_usefulness": 3.6, "evaluated": True,
        "text": None}
    evaluation.publish_text(w.users["staff"], record, "Un jardin très fréquenté le mercredi.")
    lines = {t["project_id"]: t for t in validated(browser.get(url))["tracking"]}
    assert lines[record.proposal_id]["evaluation"]["text"] == (
        "Un jardin très fréquenté le mercredi.")
