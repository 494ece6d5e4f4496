"""The Pabulib file of an envelope: accepted by pabulib-checker, read by pabutools and by our
reader, gives back the stored fingerprint, and its ballots are anonymised."""
from __future__ import annotations

import re
from itertools import combinations

from pabulib.checker import Checker

from budget.domain import recount
from budget.domain.fingerprint import envelope_fingerprint
from budget.domain.pabulib import read_pabulib_text
from budget.domain.phases import Phase
from tests import factories
from tests.exports.conftest import cast_close_tally


def pb_url(voted, envelope: dict) -> str:
    return f"/cycles/{voted.cycle.id}/envelopes/{envelope['id']}.pb"


def download(browser, voted, envelope: dict) -> str:
    response = browser.get(pb_url(voted, envelope))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def check(text: str) -> dict:
    results = Checker().process_files([text])
    return results[next(k for k in results if k not in ("summary", "metadata"))]["results"]


def test_every_envelope_passes_pabulib_checker_as_it_is(browser, published):
    for envelope in published.run.result["envelopes"]:
        report = check(download(browser, published, envelope))
        assert report["errors"] == {}, report
        # F got no vote: the checker notes it, as it would for any such project.
        assert set(report.get("warnings", {})) <= {"project with no votes"}, report


def test_a_ballot_that_chose_nothing_in_an_envelope_is_not_one_of_its_votes(browser,
                                                                            published):
    """nina and noé chose nothing intercommunal: they abstained there."""
    envelope = published.envelope(None)
    assert all(choice for choice, _ in envelope["input"]["ballots"])
    meta = read_pabulib_text(download(browser, published, envelope)).meta
    assert meta["num_votes"] == "2"


def test_rereading_gives_the_stored_fingerprint(browser, published):
    for envelope in published.run.result["envelopes"]:
        pb = read_pabulib_text(download(browser, published, envelope))
        meta, facts = pb.meta, recount.decode(pb.meta)
        assert pb.warnings == []
        tie_order = facts["tie_order"].split(",")
        assert tie_order == envelope["input"]["tie_order"]
        assert facts["fingerprint"] == envelope["fingerprint"]
        assert envelope_fingerprint(facts["engine_rule"], pb.election, tie_order) \
            == envelope["fingerprint"]
        assert meta["rule"] == "greedy"  # Pabulib's name is ours for greedy
        assert facts["run_fingerprint"] == published.run.fingerprint
        assert facts["engine_version"] == published.run.result["engine"]
        selected = {pid for pid, cells in pb.projects.items() if cells["selected"] == "1"}
        assert selected == {str(p["id"]) for p in envelope["projects"] if p["selected"]}
        names = {pid: cells["name"] for pid, cells in pb.projects.items()}
        assert names == {str(p["id"]): p["title"] for p in envelope["projects"]}


def test_meta_describes_the_envelope(browser, published):
    north = read_pabulib_text(download(browser, published, published.envelope(
        published.world.north))).meta
    assert north["country"] == "France" and north["unit"] == "CC Test"
    assert north["district"] == "Nordville" and "Budget test" in north["description"]
    assert north["num_votes"] == "3" and north["num_projects"] == "4"
    assert north["budget"] == "10000" and north["vote_type"] == "approval"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", north["date_begin"])
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", north["date_end"])
    inter = read_pabulib_text(download(browser, published, published.envelope(None))).meta
    assert "district" not in inter and inter["num_votes"] == "2"


def test_pabutools_reads_it(browser, published, tmp_path):
    from pabutools.election import parse_pabulib

    envelope = published.envelope(None)
    path = tmp_path / "intercommunal.pb"
    path.write_text(download(browser, published, envelope), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    assert instance.budget_limit == 20_000
    assert len(profile) == 2
    assert {p.name for p in instance} == {str(p["id"]) for p in envelope["projects"]}


def votes_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index("VOTES")
    assert lines[start + 1] == "voter_id;vote", "no column but the vote: no dates, no channel"
    return [line.split(";") for line in lines[start + 2:]]


def test_voter_ids_are_fresh_random_ids(browser, published):
    envelope = published.envelope(None)
    first = votes_rows(download(browser, published, envelope))
    second = votes_rows(download(browser, published, envelope))
    ids = [row[0] for row in first]
    assert all(re.fullmatch(r"[0-9a-f]{16}", voter_id) for voter_id in ids)
    assert len(set(ids)) == len(ids) == 2
    user_ids = {str(user.id) for user in published.world.users.values()}
    assert not user_ids & set(ids)
    assert not set(ids) & {row[0] for row in second}, "new ids at every download"


def test_ballots_are_not_in_casting_order(w, browser, session):
    """12 voters with 12 different ballots: the file's order is random (the chance that a
    shuffle gives back the casting order is 1 in 12!)."""
    cycle = factories.cycle(w, Phase.VOTE, vote_params={}, amounts=(20_000, 10_000, 30_000))
    ids = [factories.project(cycle, w.north, f"Projet {n}", 1_000 * (n + 1),
                             w.users["alice"]).id for n in range(4)]
    ballots = [list(c) for size in (1, 2, 3) for c in combinations(ids, size)][:12]
    run = cast_close_tally(w, cycle, {f"v{n}": ballot for n, ballot in enumerate(ballots)})
    staff = w.users["staff"]
    from budget.services import tally
    tally.publish(staff, cycle, run.id)
    envelope = next(e for e in run.result["envelopes"] if e["commune_id"] == w.north.id)
    response = browser.get(f"/cycles/{cycle.id}/envelopes/{envelope['id']}.pb")
    rows = votes_rows(response.get_data(as_text=True))
    cast = [",".join(str(pid) for pid in sorted(ballot)) for ballot in ballots]
    in_file = [row[1] for row in rows]
    assert sorted(in_file) == sorted(cast), "every ballot, once"
    assert in_file != cast
    assert in_file != sorted(cast) and in_file != [
        ",".join(map(str, b)) for b, _ in envelope["input"]["ballots"]], "nor a stored order"
