"""Property tests of every form and API endpoint: whatever a client sends, never a server error,
and a refused request (4xx) leaves every table as it was.

One scene per test (a territory, a cycle in each phase, projects, a published result); each
example runs in a savepoint rolled back afterwards, so every example starts from that scene.
The number of examples comes from the Hypothesis profile (tests/conftest.py).
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from hypothesis import currently_in_test_context, event, strategies as st
from PIL import Image

from budget.domain.eligibility import EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models.paper import VALID
from budget.services import access_codes, census, images, paper, tally
from budget.services.policy import SYSTEM_OPERATOR
from tests import factories
from tests.conftest import Browser, table_snapshot, undone

# Values that have broken web forms somewhere: empty, blank, signs, exponents, overflows, NUL,
# markup, SQL, long and non-Latin text, odd dates.
HOSTILE = ["", " ", "0", "-1", "1.5", "1e9", "1,5", "99999999999999999999", "2147483648",
           "-9223372036854775809", "NaN", "inf", "\x00", "a\x00b", "<script>x</script>",
           "' OR 1=1 --", "é" * 300, "x" * 6_000, "１２３", "\u202e", "2026-13-45T25:61",
           "2026-02-30T10:00", "0000-01-01T00:00", "9999-12-31T23:59", "null", "[]", "{}"]
# Numbers an id or a count cannot be: past PostgreSQL's INTEGER (2**31), SQLite's (2**63),
# int()'s 4,300 digits; digits str.isdigit() accepts and int() refuses ("²").
HUGE = [str(2**31), str(2**63), "9" * 30, "9" * 5000, "²", "00000000000000000000000001"]
NUMBER_TEXT = st.one_of(st.sampled_from(HUGE), st.integers(-2**80, 2**80).map(str))
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
                 st.integers(-10**12, 10**12).map(str), NUMBER_TEXT)


def anything_or(*realistic) -> st.SearchStrategy[str]:
    """A realistic value half of the time, anything else otherwise."""
    values = [str(value) for value in realistic]
    return st.one_of(st.sampled_from(values), TEXT) if values else TEXT


def form(**fields) -> st.SearchStrategy[dict]:
    """A form of those fields, each present or not, plus now and then an unknown field. A
    quarter of the forms carry an empty or forged token (refused at once); the others get the
    browser's own, so that examples reach the checks behind it."""
    sent = st.fixed_dictionaries({}, optional={**fields, "unexpected": TEXT})
    forged = st.fixed_dictionaries({"csrf_token": st.sampled_from(["", "forged"])})
    return st.sampled_from([False, False, False, True]).flatmap(
        lambda forge: st.builds(lambda a, b: {**a, **b}, sent, forged) if forge else sent)


def prefixed(prefix: str, *known) -> st.SearchStrategy[str]:
    """`prefix` followed by a known id or by any number text (`commune-<digits>`)."""
    return st.builds(lambda n: f"{prefix}{n}",
                     st.one_of(st.sampled_from([str(k) for k in known]), NUMBER_TEXT))


def path_id(*known) -> st.SearchStrategy[int]:
    """One of the scene's ids two times out of three, else any number."""
    return st.sampled_from([True, True, False]).flatmap(
        lambda scene_id: st.sampled_from(known) if scene_id else st.integers(0, 2**70))


@dataclass
class Scene:
    w: factories.World
    proposals: object  # a cycle in each phase
    vote: object
    counting: object
    results: object
    submitted: object  # a proposal of alice's, waiting for review
    park: object  # on the ballot of the vote cycle (alice's commune)
    pool: object  # intercommunal, on the same ballot
    run_id: int  # the published run of `results`
    browsers: dict = field(default_factory=dict)


@pytest.fixture
def scene(app, session, make_browser) -> Scene:
    w = factories.world()
    factories.user("late@example.fr", w.north, verified=False)
    cycles = {phase: factories.cycle(w, phase) for phase in (
        Phase.PROPOSALS, Phase.VOTE, Phase.COUNTING)}
    results = factories.cycle(w, Phase.COUNTING)
    submitted = factories.project(cycles[Phase.PROPOSALS], w.north, "Un banc", 800,
                                  w.users["alice"], status=Status.SUBMITTED)
    park = factories.project(cycles[Phase.VOTE], w.north, "Parc", 5_000, w.users["bob"])
    pool = factories.project(cycles[Phase.VOTE], None, "Piscine", 60_000, w.users["bob"])
    factories.project(results, w.north, "Jardin", 4_000, w.users["bob"])
    run = tally.run_tally(SYSTEM_OPERATOR, results)
    tally.publish(SYSTEM_OPERATOR, results, run.id)
    db.session.commit()
    built = Scene(w, cycles[Phase.PROPOSALS], cycles[Phase.VOTE], cycles[Phase.COUNTING],
                  results, submitted, park, pool, run.id)
    for who in ("alice", "staff", "late"):
        browser = FormBrowser(make_browser().client)
        browser.login(f"{who}@example.fr")
        built.browsers[who] = browser
    built.browsers[None] = FormBrowser(make_browser().client)
    return built


@dataclass
class StaffScene:
    """What the staff pages and the voter's questions need on top of `scene`: the admin's and
    Nordville's clerk's browsers, two cycles in the vote that ask who may vote (a census list
    of Nordville, access codes of Nordville), paper ballots of Nordville being typed in the
    vote cycle, and a photo of alice's submitted proposal."""

    s: Scene
    checked: object  # census list: LISTE-1 born 2 March 1980, LISTE-2 born 15 June 1975
    coded: object  # access codes: `codes`
    codes: list
    batch: object  # 2 ballots; staff typed the first, nobody else started
    ready: object  # 1 ballot typed alike by staff and the clerk: it can be validated
    photo: object

    @property
    def browsers(self):
        return self.s.browsers


def picture(kind: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, kind)
    return out.getvalue()


@pytest.fixture
def staff_scene(scene, app, make_browser, tmp_path, monkeypatch) -> StaffScene:
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    w, clerk, staff = scene.w, scene.w.users["northclerk"], scene.w.users["staff"]
    checked = factories.cycle(w, Phase.VOTE)
    checked.eligibility = EligibilityRules(
        proof=Proof.CENSUS, minimum_age=16, reference_date=checked.vote_start.date(),
        sworn_residence=True).as_params()
    coded = factories.cycle(w, Phase.VOTE)
    coded.eligibility = EligibilityRules(proof=Proof.ACCESS_CODE).as_params()
    db.session.commit()
    census.import_census(clerk, checked, w.north,
                         b"identifiant;date_de_naissance\nLISTE-1;02/03/1980\n"
                         b"LISTE-2;15/06/1975\n")
    codes = access_codes.generate_codes(clerk, coded, w.north, 3)
    batch = paper.create_batch(staff, scene.vote, w.north, "Bureau 1, 12 mars", 2)
    paper.start_entry(staff, batch)
    paper.enter_ballot(staff, batch, 1, VALID, [scene.park.id])
    ready = paper.create_batch(staff, scene.vote, w.north, "Bureau 2, 12 mars", 1)
    for typist in (staff, clerk):
        paper.start_entry(typist, ready)
        paper.enter_ballot(typist, ready, 1, VALID, [scene.park.id])
    photo = images.add_image(w.users["alice"], scene.submitted, picture(), "Le banc")
    for who in ("admin", "northclerk"):
        browser = FormBrowser(make_browser().client)
        browser.login(f"{who}@example.fr")
        scene.browsers[who] = browser
    return StaffScene(scene, checked, coded, codes, batch, ready, photo)


class FormBrowser(Browser):
    """A Browser that keeps its CSRF token (one page fetch per test, not per request) and
    sends what a test gives it, a missing or forged token included."""

    _token: str | None = None

    def token(self) -> str:
        if self._token is None:
            self._token = super().token()
        return self._token

    def login(self, email: str, password: str = factories.PASSWORD):
        response = super().login(email, password)
        self._token = None  # signing in starts a new session: the token kept is now refused
        return response

    def send(self, url: str, data: dict):
        data = dict(data)
        if "csrf_token" not in data:
            data["csrf_token"] = self.token()
        return self.client.post(url, data=data)


TRACEBACK = re.compile(r"Traceback|File \"/")
# Statements that write nothing: any other one, run between examples, changes what the next
# example starts from, and run during an example, makes its check read the tables again.
READS = re.compile(r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)


class _StartingState:
    """The tables as every example of a test finds them, read once: each example is rolled
    back, so they are the same for all, until something written between examples (a browser
    signing in again) changes them; that write makes the next example read them again.

    It also tells whether an example wrote: every statement of every engine is seen (the app
    writes through SQLAlchemy only), so an example that sent none but reads cannot have
    changed a table, and its check need not read them again."""

    def __init__(self):
        self.connection, self.snapshot = None, None
        self.in_example, self.example_wrote = False, False
        sa.event.listen(sa.Engine, "before_cursor_execute", self._seen)

    def tables(self, session) -> dict:
        connection = session.get_bind()
        if connection is not self.connection:
            self.connection, self.snapshot = connection, None
        if self.snapshot is None:
            self.snapshot = table_snapshot()
        return self.snapshot

    @contextmanager
    def example(self, session):
        """Inside: the example's requests. `example_wrote` says afterwards if any wrote."""
        self.in_example, self.example_wrote = True, False
        try:
            yield
            session.flush()  # what it left pending would be written by the next query
        finally:
            self.in_example = False

    def _seen(self, connection, cursor, statement, *args):
        if READS.match(statement):
            return
        if self.in_example:
            self.example_wrote = True
        else:
            self.snapshot = None


STARTING_STATE = _StartingState()


def check(session, request) -> int:
    """Run request() (-> response) in a savepoint that is rolled back afterwards; never a 5xx
    nor a traceback, and a 4xx changes no table (read again only when a statement that writes
    was sent). Returns the status code."""
    with undone(session):
        before = STARTING_STATE.tables(session)
        with STARTING_STATE.example(session):
            response = request()
            body = response.get_data()  # a streamed body runs its queries now
        status = response.status_code
        if currently_in_test_context():  # --hypothesis-show-statistics: how deep they went
            event(f"HTTP {status}")
        body = body.decode("utf-8", "replace")  # a ZIP or PDF too
        assert status < 500, body[:2000]
        assert not TRACEBACK.search(body)
        if status >= 400 and STARTING_STATE.example_wrote:
            assert table_snapshot() == before, status
    return status
