"""After the vote: staff close it, run the tally, preview, publish; the results and the CSV.

The hand-checked case (greedy: most votes first; ties go to the lower cost, then more votes,
then the older proposal; fund each project that fits, skip those that do not):

North envelope, 10 000 €, ballots of alice, nina, noé (north):
    A 6 000 € 3 votes -> funded first, 4 000 left
    B 4 000 € 2 votes (older than C)  } tie on votes: C is cheaper, so C first -> 1 000 left
    C 3 000 € 2 votes                 } B no longer fits -> skipped
    D 1 000 € 1 vote  -> fits after B was skipped -> funded, 0 left
  => A, C, D (an older-first tie-break would give A, B).
Intercommunal envelope, 20 000 €, every ballot (alice, nina, noé, bob):
    P 12 000 € 2 votes, created first (lower id) but dated later   } same votes, same cost:
    N 12 000 € 2 votes, the older proposal                          } N first -> 8 000 left
    V  8 000 € 1 vote -> P no longer fits, V does -> funded, 0 left
  => N, V (a lowest-id tie-break would give P, V).
South envelope, 30 000 €, bob's ballot: H 25 000 € 1 vote -> funded.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import BudgetCycle, TallyRun
from budget.models.time import utcnow
from tests import factories
from tests.conftest import someone
from tests.factories import project

EN = {"Accept-Language": "en"}
CSV_HEADER = ["enveloppe", "code_insee", "projet_id", "titre", "cout_eur", "voix", "retenu",
              "rang_selection", "explication", "regle", "empreinte"]


@pytest.fixture
def w(session):
    return factories.world()


# --- Helpers --------------------------------------------------------------------------------

def runs(cycle) -> list[TallyRun]:
    return list(db.session.scalars(select(TallyRun).where(TallyRun.cycle_id == cycle.id)
                                   .order_by(TallyRun.id)))


def phase_of(cycle: BudgetCycle) -> Phase:
    db.session.refresh(cycle)
    db.session.expire(cycle, ["tally_runs"])
    return cycle.phase()


def staff_action(browser, cycle, action: str, **data):
    return browser.post(f"/staff/cycles/{cycle.id}/{action}", data)


def close_and_tally(browser, cycle) -> TallyRun:
    assert staff_action(browser, cycle, "close").status_code == 302
    assert staff_action(browser, cycle, "tally").status_code == 302
    (run,) = runs(cycle)
    return run


def parse_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "a BOM, for spreadsheets"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def by_title(result: dict) -> dict[str, dict]:
    return {p["title"]: dict(p, envelope=e) for e in result["envelopes"] for p in e["projects"]}


# --- The hand-checked vote ------------------------------------------------------------------

@pytest.fixture
def voted(w, make_browser):
    """The vote described at the top of this file, cast through the ballot pages."""
    cycle = factories.cycle(w, Phase.VOTE, vote_params={}, amounts=(20_000, 10_000, 30_000))
    bob = w.users["bob"]
    factories.user("nina@example.fr", w.north)
    factories.user("noe@example.fr", w.north)
    p = {}
    for title, commune, cost in [("A", w.north, 6_000), ("B", w.north, 4_000),
                                 ("C", w.north, 3_000), ("D", w.north, 1_000),
                                 ("P", None, 12_000), ("N", None, 12_000), ("V", None, 8_000),
                                 ("H", w.south, 25_000)]:
        p[title] = project(cycle, commune, title, cost, bob)
    now = utcnow()
    p["B"].created_at = now - timedelta(days=9)
    p["C"].created_at = now - timedelta(days=2)
    p["N"].created_at = now - timedelta(days=8)
    p["P"].created_at = now - timedelta(days=3)
    db.session.commit()
    ids = {title: proposal.id for title, proposal in p.items()}
    assert ids["P"] < ids["N"]
    ballots = {"alice": "ABCNP", "nina": "ABC", "noe": "AD", "bob": "HNPV"}
    for voter, titles in ballots.items():
        browser = make_browser()
        browser.login(f"{voter}@example.fr")
        response = browser.post(f"/cycles/{cycle.id}/vote/confirm",
                                {"project": [ids[t] for t in titles]})
        assert response.status_code == 200, response.get_data(as_text=True)
    return cycle, ids


@pytest.fixture
def staff(w, make_browser):
    browser = make_browser()
    browser.login("staff@example.fr")
    return browser


def test_close_tally_preview_publish(make_browser, staff, voted):
    cycle, _ = voted
    visitor = make_browser()
    assert visitor.get(f"/cycles/{cycle.id}/results").status_code == 404

    response = staff_action(staff, cycle, "close")
    assert response.status_code == 302
    assert phase_of(cycle) == Phase.COUNTING
    assert cycle.vote_end <= utcnow()
    assert runs(cycle) == []
    assert visitor.get(f"/cycles/{cycle.id}/results").status_code == 404

    assert staff_action(staff, cycle, "tally").status_code == 302
    (run,) = runs(cycle)
    assert run.published_at is None
    assert run.rule == "greedy"
    assert run.created_by_id is not None
    assert re.fullmatch(r"[0-9a-f]{64}", run.fingerprint)
    preview = staff.get(f"/cycles/{cycle.id}/results")
    assert preview.status_code == 200
    assert "notice-warning" in preview.get_data(as_text=True)  # marked as a preview
    assert run.fingerprint in preview.get_data(as_text=True)
    assert visitor.get(f"/cycles/{cycle.id}/results").status_code == 404
    assert visitor.get(f"/cycles/{cycle.id}/results.csv").status_code == 404

    response = staff_action(staff, cycle, "publish", run_id=str(run.id))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/cycles/{cycle.id}/results"
    db.session.refresh(run)
    assert run.published_at is not None
    assert phase_of(cycle) == Phase.RESULTS
    public = visitor.get(f"/cycles/{cycle.id}/results")
    assert public.status_code == 200
    assert "notice-warning" not in public.get_data(as_text=True)
    assert visitor.get(f"/cycles/{cycle.id}/results.csv").status_code == 200


def test_greedy_outcome_matches_the_hand_count(staff, voted):
    cycle, _ = voted
    result = close_and_tally(staff, cycle).result
    projects = by_title(result)
    assert {t: p["votes"] for t, p in projects.items()} == {
        "A": 3, "B": 2, "C": 2, "D": 1, "N": 2, "P": 2, "V": 1, "H": 1}
    assert {t for t, p in projects.items() if p["selected"]} == {"A", "C", "D", "N", "V", "H"}
    ranks = {t: p["selection_rank"] for t, p in projects.items()}
    assert ranks == {"A": 1, "C": 2, "D": 3, "B": None, "N": 1, "V": 2, "P": None, "H": 1}
    spent = {e["commune_id"]: e["spent"] for e in result["envelopes"]}
    assert sorted(spent.values()) == [10_000, 20_000, 25_000]


def test_turnout_and_money_add_up(w, staff, voted):
    cycle, _ = voted
    result = close_and_tally(staff, cycle).result
    assert result["ballots"] == 4
    assert result["ballots_by_commune"] == {str(w.north.id): 3, str(w.south.id): 1}
    voters = {e["commune_id"]: e["voters"] for e in result["envelopes"]}
    # Two of the four ballots chose nothing intercommunal: they abstained in that envelope.
    assert voters == {None: 2, w.north.id: 3, w.south.id: 1}
    for envelope in result["envelopes"]:
        funded = sum(p["cost"] for p in envelope["projects"] if p["selected"])
        assert envelope["spent"] == funded <= envelope["amount"]
    page = staff.get(f"/cycles/{cycle.id}/results", headers=EN).get_data(as_text=True)
    assert re.search(r'Nordville</th><td class="num">3</td>', page)
    assert re.search(r'Sudville</th><td class="num">1</td>', page)


def test_results_csv(w, make_browser, staff, voted):
    cycle, ids = voted
    run = close_and_tally(staff, cycle)
    staff_action(staff, cycle, "publish", run_id=str(run.id))
    response = make_browser().get(f"/cycles/{cycle.id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = parse_csv(response)
    assert header == CSV_HEADER
    assert all(len(row) == len(CSV_HEADER) for row in rows)
    table = {row[3]: dict(zip(CSV_HEADER, row)) for row in rows}
    assert all(row["explication"].startswith(("Financé", "Non financé"))
               for row in table.values()), "each row says why, in French"
    assert sorted(table) == sorted(ids), "one row per project on the ballot"
    assert {t for t, row in table.items() if row["retenu"] == "oui"} == {
        "A", "C", "D", "N", "V", "H"}
    assert {t for t, row in table.items() if row["retenu"] == "non"} == {"B", "P"}
    assert table["A"] == {
        "enveloppe": "Nordville", "code_insee": "99001", "projet_id": str(ids["A"]),
        "titre": "A", "cout_eur": "6000", "voix": "3", "retenu": "oui", "rang_selection": "1",
        "explication": "Financé — au rang 1 de la sélection",
        "regle": "greedy", "empreinte": run.fingerprint}
    assert table["B"]["rang_selection"] == ""
    assert table["N"]["code_insee"] == "" and table["H"]["code_insee"] == "99002"


def test_csv_cells_never_start_a_formula(w, staff):
    cycle = factories.cycle(w, Phase.COUNTING)
    for title in ("=HYPERLINK(\"http://evil.example\")", "+33 1 23", "-1", "@SUM(A1)"):
        project(cycle, w.north, title, 1_000, w.users["alice"])
    assert staff_action(staff, cycle, "tally").status_code == 302
    _, *rows = parse_csv(staff.get(f"/cycles/{cycle.id}/results.csv"))
    assert sorted(row[3] for row in rows) == sorted(
        ["'=HYPERLINK(\"http://evil.example\")", "'+33 1 23", "'-1", "'@SUM(A1)"])


def test_a_commune_name_from_the_territory_file_never_starts_a_formula(w, staff):
    w.north.name = '=HYPERLINK("http://evil.example","Nordville")'  # as a territory CSV may say
    cycle = factories.cycle(w, Phase.COUNTING)
    project(cycle, w.north, "Jardin", 1_000, w.users["alice"])
    assert staff_action(staff, cycle, "tally").status_code == 302
    _, *rows = parse_csv(staff.get(f"/cycles/{cycle.id}/results.csv"))
    envelopes = {row[0] for row in rows}
    assert envelopes == {"'=HYPERLINK(\"http://evil.example\",\"Nordville\")"}


# --- Who sees what, and when ----------------------------------------------------------------

@pytest.fixture
def tallied(w, staff):
    """A closed vote (no ballots needed) with one unpublished tally run."""
    cycle = factories.cycle(w, Phase.COUNTING)
    project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    assert staff_action(staff, cycle, "tally").status_code == 302
    assert len(runs(cycle)) == 1
    return cycle


PEOPLE = [None, "alice", "bob", "zoe", "otherstaff", "othercouncil", "staff", "council",
          "admin"]
MAY_PREVIEW = {"staff", "council", "admin"}


@pytest.mark.parametrize("who", PEOPLE)
def test_only_staff_and_council_preview_unpublished_results(make_browser, w, tallied, who):
    browser = someone(make_browser, w, who)
    expected = 200 if who in MAY_PREVIEW else 404
    assert browser.get(f"/cycles/{tallied.id}/results").status_code == expected
    csv_response = browser.get(f"/cycles/{tallied.id}/results.csv")
    assert csv_response.status_code == expected
    if expected == 200:
        assert "apercu" in csv_response.headers["Content-Disposition"]


@pytest.mark.parametrize("who", PEOPLE)
def test_published_results_are_for_everyone(make_browser, w, staff, tallied, who):
    (run,) = runs(tallied)
    assert staff_action(staff, tallied, "publish", run_id=str(run.id)).status_code == 302
    browser = someone(make_browser, w, who)
    assert browser.get(f"/cycles/{tallied.id}/results").status_code == 200
    response = browser.get(f"/cycles/{tallied.id}/results.csv")
    assert response.status_code == 200
    assert "apercu" not in response.headers["Content-Disposition"]


def test_no_results_before_any_tally_even_for_staff(w, staff):
    cycle = factories.cycle(w, Phase.COUNTING)
    assert staff.get(f"/cycles/{cycle.id}/results").status_code == 404
    assert staff.get(f"/cycles/{cycle.id}/results.csv").status_code == 404


# --- Refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_only_staff_of_the_territory_close_the_vote(make_browser, w, who):
    cycle = factories.cycle(w, Phase.VOTE)
    vote_end = cycle.vote_end
    browser = make_browser()
    browser.login(f"{who}@example.fr")
    assert staff_action(browser, cycle, "close").status_code == 403
    assert phase_of(cycle) == Phase.VOTE
    assert cycle.vote_end == vote_end


@pytest.mark.parametrize("who", ["alice", "council", "otherstaff"])
def test_only_staff_of_the_territory_tally_and_publish(make_browser, tallied, who):
    (run,) = runs(tallied)
    browser = make_browser()
    browser.login(f"{who}@example.fr")
    assert staff_action(browser, tallied, "tally").status_code == 403
    assert staff_action(browser, tallied, "publish", run_id=str(run.id)).status_code == 403
    assert len(runs(tallied)) == 1
    db.session.refresh(run)
    assert run.published_at is None
    assert phase_of(tallied) == Phase.COUNTING


def test_visitors_are_sent_to_sign_in(browser, tallied):
    response = staff_action(browser, tallied, "tally")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert len(runs(tallied)) == 1


@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW, Phase.VOTE])
def test_nothing_is_tallied_before_the_vote_is_closed(w, staff, phase):
    cycle = factories.cycle(w, phase)
    project(cycle, w.north, "Parc", 5_000, w.users["alice"])
    response = staff_action(staff, cycle, "tally")
    assert response.status_code in (302, 409)
    assert runs(cycle) == []
    assert db.session.scalar(select(func.count()).select_from(TallyRun)) == 0
    assert staff.get(f"/cycles/{cycle.id}/results").status_code == 404
    assert phase_of(cycle) == phase


@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.REVIEW, Phase.COUNTING])
def test_the_vote_can_only_be_closed_while_open(w, staff, phase):
    cycle = factories.cycle(w, phase)
    vote_end = cycle.vote_end
    staff_action(staff, cycle, "close")
    assert phase_of(cycle) == phase
    assert cycle.vote_end == vote_end


def test_staff_actions_need_the_csrf_token(w, staff, tallied):
    (run,) = runs(tallied)
    assert staff.post(f"/staff/cycles/{tallied.id}/tally", csrf=False).status_code == 400
    assert staff.post(f"/staff/cycles/{tallied.id}/publish", {"run_id": str(run.id)},
                      csrf=False).status_code == 400
    assert len(runs(tallied)) == 1
    db.session.refresh(run)
    assert run.published_at is None


@pytest.mark.parametrize("run_id", ["", "abc", "-1", "999999"])
def test_publish_needs_a_real_run(staff, tallied, run_id):
    response = staff_action(staff, tallied, "publish", run_id=run_id)
    assert 300 <= response.status_code < 500
    assert [run.published_at for run in runs(tallied)] == [None]
    assert phase_of(tallied) == Phase.COUNTING


def test_publish_refuses_a_run_of_another_cycle(w, staff, tallied):
    other = factories.cycle(w, Phase.COUNTING)
    assert staff_action(staff, other, "tally").status_code == 302
    (foreign,) = runs(other)
    staff_action(staff, tallied, "publish", run_id=str(foreign.id))
    db.session.refresh(foreign)
    assert foreign.published_at is None
    assert phase_of(tallied) == Phase.COUNTING and phase_of(other) == Phase.COUNTING


def test_only_the_latest_run_can_be_published(staff, tallied):
    assert staff_action(staff, tallied, "tally").status_code == 302
    old, new = runs(tallied)
    staff_action(staff, tallied, "publish", run_id=str(old.id))
    assert [run.published_at for run in runs(tallied)] == [None, None]
    staff_action(staff, tallied, "publish", run_id=str(new.id))
    db.session.refresh(new)
    assert new.published_at is not None


def test_no_new_tally_after_publication(staff, tallied):
    (run,) = runs(tallied)
    staff_action(staff, tallied, "publish", run_id=str(run.id))
    staff_action(staff, tallied, "tally")
    assert len(runs(tallied)) == 1
