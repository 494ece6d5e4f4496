"""Every route of the app, for every kind of person and every phase, against the policy.

ROUTES says, for each endpoint, whose business it is: nobody's in particular (public), any
signed-in person's, staff's, admins', or a policy Action on the cycle (then
`policy.concerns` decides, as the views do). The test asks each route as each person
(anonymous, residents of the commune, of another commune and of another intercommunalité,
both communes' staff, the intercommunalité's staff and council, the other
intercommunalité's staff and council, the admin), in every phase, for an intercommunal
cycle and for a commune's own cycle, and checks the answer:
  * allowed      -> neither 401, 403 nor 404 (the page, a form error, a redirect, or a
                    409 saying it is the wrong phase);
  * not theirs   -> 403 (404 for results not yet published: their existence is not told);
  * anonymous    -> sent to the sign-in page, unless the route is public;
and never a 5xx. A route missing from ROUTES fails `test_every_route_has_a_policy_entry`.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import url_for

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import (CatalogueEntry, Comment, CommentBlock, PaperBatch, PollingStation,
                           Report, Role, Theme)
from budget.services import reading
from budget.services import policy, tally, tracking_read
from budget.services.policy import Action
from tests import factories
from tests.conftest import SharedScenes, undone

PEOPLE = (None, "alice", "bob", "zoe", "staff", "council", "admin", "otherstaff",
          "northclerk", "southclerk", "othercouncil")


@dataclass(frozen=True)
class Access:
    kind: str  # public | signed_in | staff | admin | action | create | results
    action: Action | None = None
    target: str | None = None  # which object of the scene the action is about
    # What those it concerns get: the page, or a 404 when the scene lacks what it shows
    # (a paper ballot of an entry nobody has started).
    if_concerned: str = "allowed"


PUBLIC, SIGNED_IN = Access("public"), Access("signed_in")
STAFF, ADMIN, RESULTS = Access("staff"), Access("admin"), Access("results")
CREATE = Access("create")


# The routes about a proposal that are asked about the rejected one, public or not by phase.
READ_AS_REJECTED = {"public.proposal_page", "public.proposal_poster_pdf",
                    "public.proposal_poster_svg"}


def act(action: Action, target: str | None = None, if_concerned: str = "allowed") -> Access:
    return Access("action", action, target, if_concerned)


ROUTES: dict[str, Access | dict[str, Access]] = {  # a dict: one Access per method
    "static": PUBLIC,
    "ops_health.healthz": PUBLIC,
    "ops_health.readyz": Access("probe"),  # may answer 503: that is its job
    "ops_metrics.metrics": Access("nobody"),  # 404 without the metrics token
    "staff.prepare_export": Access("staff_results"),
    "staff.job_page": Access("own_job"),  # 404 for a job one did not start
    "staff.job_download": Access("own_job"),
    "public.home": PUBLIC,
    "public.cycle_page": PUBLIC,
    # A proposal rejected by staff: public once the review is over, before that its author's
    # and staff's (reading.may_read_proposal); 404 for the others.
    "public.proposal_page": Access("readable", target="rejected_proposal"),
    "public.set_language": PUBLIC,
    "public.accessibility": PUBLIC,
    "public.cycle_map": PUBLIC,
    "public.how_it_works": PUBLIC,
    # Posters for notice boards: public as the pages they point to.
    "public.cycle_poster_pdf": PUBLIC,
    "public.cycle_poster_svg": PUBLIC,
    "public.proposal_poster_pdf": Access("readable", target="rejected_proposal"),
    "public.proposal_poster_svg": Access("readable", target="rejected_proposal"),
    # Photos are asked for by an unguessable token; the scene has none, so 404 for everyone.
    "proposals.photo": Access("nobody"),
    "proposals.thumbnail": Access("nobody"),
    "proposals.add_photo": act(Action.EDIT_PROPOSAL, "alices_proposal"),
    "proposals.delete_photo": Access("signed_in_no_such_item"),
    "api.list_cycles": PUBLIC,
    "api.get_cycle": PUBLIC,
    "api.list_proposals": PUBLIC,
    "api.get_results": Access("published"),  # the API never previews
    "api.openapi": PUBLIC,
    "auth.login": PUBLIC,
    "auth.second_factor_code": PUBLIC,  # without a password given first: back to /login
    "auth.second_factor_setup": PUBLIC,
    "auth.register": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.verify_email": PUBLIC,  # the link in the email works in any browser
    "auth.unsubscribe": PUBLIC,  # likewise; a bad token gets 400 (POST), never a 500
    # Sign in with OpenID Connect (on here, its provider unreachable: the start and the callback
    # send back to /login with a message; the pages of a first sign-in too, without an identity
    # verified a moment ago in that browser).
    "auth.provider_start": PUBLIC,
    "auth.provider_callback": PUBLIC,
    "auth.provider_link": PUBLIC,
    "auth.provider_new": PUBLIC,
    "auth.resend_verification": SIGNED_IN,
    "auth.account": SIGNED_IN,
    "auth.notifications": SIGNED_IN,
    "auth.logout": SIGNED_IN,
    "auth.logout_everywhere": SIGNED_IN,
    "proposals.mine": SIGNED_IN,
    "proposals.new": act(Action.SUBMIT_PROPOSAL),
    "proposals.edit": act(Action.EDIT_PROPOSAL, "alices_proposal"),
    "proposals.withdraw": act(Action.WITHDRAW_PROPOSAL, "alices_proposal"),
    # Supports: residents of the proposal's commune (Nordville here), in the supports phase.
    "proposals.support": act(Action.SUPPORT, "alices_proposal"),
    "proposals.withdraw_support": act(Action.SUPPORT, "alices_proposal"),
    "vote.ballot": act(Action.VOTE),
    "vote.eligibility_page": act(Action.VOTE),
    # Everyone with a part in the cycle sees its rules; those who set the cycle up change them.
    "staff.eligibility_setup": {"GET": act(Action.MANAGE_CYCLE),
                                "POST": act(Action.CONFIGURE_CYCLE)},
    "staff.upload_census": act(Action.MANAGE_ELIGIBILITY, "north_commune"),
    "staff.generate_codes": act(Action.MANAGE_ELIGIBILITY, "north_commune"),
    "staff.withdraw_codes": act(Action.MANAGE_ELIGIBILITY, "north_commune"),
    # Records that someone voted on paper in one of the communes the person works for.
    "staff.paper_voter": Access("any_commune", Action.RECORD_PAPER_VOTER),
    "vote.review": act(Action.VOTE),
    "vote.confirm": act(Action.VOTE),
    "vote.receipt": act(Action.VOTE),
    "results.results_page": RESULTS,
    "results.results_csv": RESULTS,
    "results.results_json": RESULTS,
    "results.results_pdf": RESULTS,
    "results.results_xlsx": RESULTS,
    "results.envelope_pb": RESULTS,
    "results.results_pb_zip": RESULTS,
    "results.check_receipt": Access("published"),
    # The annex to the council's deliberation: from the published run only, never a preview.
    "results.annex_pdf": Access("published"),
    "results.annex_xlsx": Access("published"),
    # A deliberation's PDF, asked for by the id of a council decision; the scene has none.
    "results.deliberation_pdf": Access("nobody"),
    # The councils whose decision one records: the conseil communautaire (the EPCI's staff) or
    # a commune's conseil municipal (its staff too); the page says when it is the wrong phase.
    "staff.record_adoption": Access("any_commune", Action.RECORD_ADOPTION),
    "public.editions_page": PUBLIC,
    "staff.processing_record_pdf": act(Action.MANAGE_CYCLE),
    "staff.cycle_list": STAFF,
    "staff.new_cycle": CREATE,
    "staff.dashboard": act(Action.MANAGE_CYCLE),
    "staff.turnout_panel": act(Action.SEE_TURNOUT),
    "staff.edit_cycle": act(Action.MANAGE_CYCLE),
    "staff.edit_envelope": act(Action.CONFIGURE_ENVELOPE, "north_envelope"),
    "staff.review": act(Action.REVIEW_PROPOSAL, "north_proposal"),
    "staff.close_vote": act(Action.CLOSE_VOTE),
    "staff.confirm_close_vote": act(Action.CLOSE_VOTE),
    "staff.confirm_publish": act(Action.PUBLISH_RESULTS),
    "staff.confirm_close_supports": act(Action.CLOSE_SUPPORTS),
    "staff.close_supports": act(Action.CLOSE_SUPPORTS),
    "staff.run_tally": act(Action.RUN_TALLY),
    "staff.publish": act(Action.PUBLISH_RESULTS),
    "staff.simulate": act(Action.SIMULATE),
    "staff.cycle_themes": act(Action.MANAGE_THEMES),
    "staff.edit_theme": act(Action.MANAGE_THEMES),
    "staff.delete_theme": act(Action.MANAGE_THEMES),
    "admin.territory_list": ADMIN,
    # /staff/territories and /staff/accounts moved to /admin: the old addresses redirect staff
    # there (where admins only are let in).
    "staff.old_territory_list": STAFF,
    "staff.old_account_list": STAFF,
    "staff.old_account_role": STAFF,
    "admin.audit_log": ADMIN,
    "admin.audit_log_json": ADMIN,
    "staff.paper_batches": act(Action.MANAGE_CYCLE),
    "staff.paper_batch": act(Action.ENTER_PAPER_BALLOTS, "north_batch"),
    "staff.start_paper_entry": act(Action.ENTER_PAPER_BALLOTS, "north_batch"),
    "staff.validate_paper_batch": act(Action.ENTER_PAPER_BALLOTS, "north_batch"),
    "staff.paper_ballot": act(Action.ENTER_PAPER_BALLOTS, "north_batch", if_concerned="hidden"),
    "staff.compare_paper_entries": act(Action.ENTER_PAPER_BALLOTS, "north_batch"),
    "admin.account_list": ADMIN,
    "admin.account_role": ADMIN,
    # What became of the winners: public once the results are out (404 before).
    "tracking.cycle_tracking": Access("published"),
    "tracking.cycle_tracking_map": Access("published"),
    "api.get_tracking": Access("published"),
    "tracking.photo": Access("nobody"),  # asked for by an unguessable token
    "tracking.thumbnail": Access("nobody"),
    "tracking.staff_list": act(Action.MANAGE_CYCLE),
    # A winner's tracking record (from publication on): the staff of the body delivering it.
    "tracking.edit": Access("tracking", Action.UPDATE_TRACKING),
    "tracking.add_milestone": Access("tracking", Action.UPDATE_TRACKING),
    "tracking.delete_milestone": Access("signed_in_no_such_item"),
    # The discussion: a comment of alice's under Nordville's project, and a report of it.
    "discuss.charter": PUBLIC,
    "discuss.edit_charter": act(Action.EDIT_CHARTER),
    "discuss.post_comment": Access("discussion", Action.COMMENT),
    "discuss.reply": Access("discussion", Action.COMMENT),
    "discuss.edit_comment": Access("comment_author", Action.COMMENT),
    "discuss.report_proposal": Access("discussion", Action.REPORT),
    "discuss.report_comment": Access("discussion", Action.REPORT),
    "discuss.moderation_queue": Access("any_commune", Action.MODERATE),
    "discuss.hide_comment": act(Action.MODERATE, "north_proposal"),
    "discuss.restore_comment": act(Action.MODERATE, "north_proposal"),
    "discuss.block_author": act(Action.MODERATE, "north_proposal"),
    "discuss.dismiss_report": act(Action.MODERATE, "north_proposal"),
    "discuss.unblock": act(Action.MODERATE, "north_commune"),  # zoe's block in Nordville
    # Following a proposal one may read (404 otherwise), signed in; the digest's unfollow link
    # works without signing in (a bad token: 400, never a 500).
    "discuss.follow": Access("discussion", Action.FOLLOW),
    "discuss.unfollow": Access("discussion", Action.FOLLOW),
    "discuss.unfollow_link": PUBLIC,
    # A delivered winner's evaluation (blueprints/evaluation): the north project's, once it
    # won and is published (404 before); the page says when it is not delivered yet.
    "evaluation.answer": Access("evaluation", Action.EVALUATE_PROJECT),
    "evaluation.staff_page": Access("evaluation", Action.PUBLISH_EVALUATION),
    # An answer's comment, asked for by the id of an answer; the scene has none.
    "evaluation.report_answer": Access("signed_in_no_such_item"),
    "evaluation.hide_answer": Access("signed_in_no_such_item"),
    "evaluation.restore_answer": Access("signed_in_no_such_item"),
    # Polling stations and kiosks: the staff of the station's commune, or of the EPCI.
    "kiosk.stations": Access("any_commune", Action.RUN_POLLING_STATION),
    "kiosk.station": act(Action.RUN_POLLING_STATION, "north_station"),
    "kiosk.desk": act(Action.RUN_POLLING_STATION, "north_station"),
    # The desk's check by the identity provider: its start is the station's; the callback and
    # the confirmation find the station in the staff session (none here: staff go home).
    "kiosk.desk_provider_start": act(Action.RUN_POLLING_STATION, "north_station"),
    "kiosk.desk_provider_callback": STAFF,
    "kiosk.desk_provider_checked": STAFF,
    "kiosk.open_kiosk": act(Action.RUN_POLLING_STATION, "north_station"),
    "kiosk.revoke_kiosk": act(Action.RUN_POLLING_STATION, "north_station"),
    "kiosk.report": act(Action.RUN_POLLING_STATION, "north_station"),
    # The kiosk's screens answer a device staff made a kiosk (its own cookie), whoever is
    # signed in on it; no device of the walk is one: 403 for everyone, visitors included.
    "kiosk.screen": Access("kiosk"),
    "kiosk.unlock": Access("kiosk"),
    "kiosk.ballot": Access("kiosk"),
    "kiosk.review": Access("kiosk"),
    "kiosk.confirm": Access("kiosk"),
    "kiosk.lock": Access("kiosk"),
    "kiosk.awake": Access("kiosk"),
    # The catalogue of funded projects: read by everyone, filled by admins (imports).
    "catalogue.index": PUBLIC,
    "catalogue.entry": PUBLIC,
    "api.list_catalogue": PUBLIC,
    "admin.catalogue_import_page": ADMIN,
}


@dataclass
class Scene:
    """A cycle in the phase wanted, with what the routes need: a project of Nordville on the
    ballot, alice's own submitted proposal, one of hers that staff rejected, Nordville's
    envelope, and (from the counting phase on) a tally run, published in the results phase."""

    w: factories.World
    cycle: object
    north_proposal: object
    alices_proposal: object
    rejected_proposal: object
    north_envelope: object
    north_batch: object
    theme: object
    alices_comment: object = None
    bobs_report: object = None
    zoes_block: object = None
    north_station: object = None
    entry: object = None  # a catalogue entry

    @property
    def north_commune(self):
        return self.w.north


def make_scene(w, phase: Phase, commune_cycle: bool) -> Scene:
    made = factories.commune_cycle if commune_cycle else factories.cycle
    cycle = made(w, Phase.COUNTING if phase == Phase.RESULTS else phase)
    north = factories.project(cycle, w.north, "Jardin", 5_000, w.users["bob"])
    alices = factories.project(cycle, w.north, "Banc", 800, w.users["alice"], Status.SUBMITTED)
    rejected = factories.project(cycle, w.north, "Piscine", 8_000, w.users["alice"],
                                 Status.REJECTED)
    rejected.rejection_reason = "Le terrain appartient au département."
    db.session.commit()
    if phase in (Phase.COUNTING, Phase.RESULTS):
        run = tally.run_tally(policy.SYSTEM_OPERATOR, cycle)
        if phase == Phase.RESULTS:
            tally.publish(policy.SYSTEM_OPERATOR, cycle, run.id)
    batch = PaperBatch(cycle_id=cycle.id, commune_id=w.north.id, label="Mairie, dimanche",
                       declared_count=2)
    theme = Theme(cycle_id=cycle.id, name="Mobilité", description="", icon="bicycle")
    db.session.add_all([batch, theme])
    comment = Comment(proposal=north, author=w.users["alice"], body="Bonne idée !")
    db.session.add(comment)
    db.session.flush()
    report = Report(reporter=w.users["bob"], proposal=north, comment=comment,
                    reason="Hors sujet")
    db.session.add(report)
    block = CommentBlock(user=w.users["zoe"], intercommunality_id=w.epci.id,
                         commune_id=w.north.id, reason="Insultes",
                         created_by_id=w.users["northclerk"].id)
    db.session.add(block)
    station = PollingStation(cycle_id=cycle.id, commune_id=w.north.id, name="Mairie")
    db.session.add(station)
    entry = CatalogueEntry(source="Ailleurs.pb", external_id="1", title="Bancs et ombrières",
                           cost=12_000, territory_name="La Flotte", selected=True)
    db.session.add(entry)
    db.session.commit()
    assert cycle.phase() == phase
    return Scene(w, cycle, north, alices, rejected, factories.envelope(cycle, w.north), batch,
                 theme, comment, report, block, station, entry)


def url_of(rule, scene: Scene) -> str:
    values = {"cycle_id": scene.cycle.id, "intercommunality_id": scene.w.epci.id,
              "envelope_id": scene.north_envelope.id, "user_id": scene.w.users["alice"].id,
              "token": "not-a-token", "code": "fr", "filename": "budget.css",
              "format_name": "pdf", "job_id": "no-such-job", "image_id": 999_999,
              "adoption_id": 999_999,
              "commune_id": scene.w.north.id, "milestone_id": 999_999,
              "batch_id": scene.north_batch.id, "position": 1, "theme_id": scene.theme.id,
              "comment_id": scene.alices_comment.id, "report_id": scene.bobs_report.id,
              "block_id": scene.zoes_block.id, "answer_id": 999_999,
              "station_id": scene.north_station.id, "entry_id": scene.entry.id,
              "proposal_id": (scene.alices_proposal if rule.endpoint.startswith("proposals.")
                              else scene.rejected_proposal
                              if rule.endpoint in READ_AS_REJECTED
                              else scene.north_proposal).id}
    return url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments
                                     if arg not in (rule.defaults or {})})


def expected(access: Access, user, scene: Scene) -> str:
    """'allowed', 'denied', 'hidden' (404), 'sign in' or 'probed' (200 or 503)."""
    cycle = scene.cycle
    if access.kind == "public":
        return "allowed"
    if access.kind == "probe":
        return "probed"
    if access.kind == "nobody":
        return "hidden"
    if access.kind == "kiosk":
        return "denied"
    if access.kind == "readable":
        readable = reading.may_read_proposal(user, getattr(scene, access.target))
        return "allowed" if readable else "hidden"
    if access.kind == "signed_in_no_such_item":
        return "hidden" if user is not None else "sign in"
    if access.kind in ("staff_results", "own_job"):
        if user is None:
            return "sign in"
        if not user.is_staff:
            return "denied"
        if access.kind == "own_job":
            return "hidden"
    if access.kind in ("results", "published", "staff_results"):
        if cycle.published_run is not None:
            return "allowed"
        preview = (access.kind in ("results", "staff_results") and cycle.tally_runs
                   and user is not None and policy.can(user, Action.PREVIEW_RESULTS, cycle))
        return "allowed" if preview else "hidden"
    if user is None:
        return "sign in"
    if access.kind in ("discussion", "comment_author"):
        # The proposal's discussion is read where the proposal is (404 elsewhere); then the
        # action's policy, and only its author corrects a comment.
        if not reading.may_read_comments(user, scene.north_proposal):
            return "hidden"
        mine = access.kind == "discussion" or user.id == scene.alices_comment.author_id
        return "allowed" if mine and policy.concerns(user, access.action, cycle,
                                                     scene.north_proposal) else "denied"
    if access.kind == "signed_in":
        return "allowed"
    if access.kind == "staff":
        return "allowed" if user.is_staff else "denied"
    if access.kind == "admin":
        return "allowed" if user.role == Role.ADMIN else "denied"
    if access.kind == "create":
        return "allowed" if policy.can_create_cycle(user, scene.w.epci) else "denied"
    if access.kind == "any_commune":
        return "allowed" if any(policy.concerns(user, access.action, cycle, envelope)
                                for envelope in cycle.envelopes if envelope.commune_id) \
            else "denied"
    if access.kind == "tracking":  # the north project's record, once it won and is published
        record = tracking_read.of_proposal(scene.north_proposal)
        if record is None:
            return "hidden"
        return "allowed" if policy.concerns(user, access.action, cycle, record) else "denied"
    if access.kind == "evaluation":  # the north project's record; the proposal is the target
        if tracking_read.of_proposal(scene.north_proposal) is None:
            return "hidden"
        return "allowed" if policy.concerns(user, access.action, cycle,
                                            scene.north_proposal) else "denied"
    target = getattr(scene, access.target) if access.target else None
    concerned = policy.concerns(user, access.action, cycle, target)
    return access.if_concerned if concerned else "denied"


def sign_in(client, user_id: str | None) -> None:
    if user_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True


def ask(app, user_id: str | None, method: str, url: str):
    """CSRF is off here (tests/web/test_csrf.py enumerates the routes that need a token)."""
    client = app.test_client()
    sign_in(client, user_id)
    return client.get(url) if method == "GET" else client.post(url, data={})


def check(response, outcome: str, who, method: str, url: str) -> str | None:
    """What is wrong with the response, or None."""
    status = response.status_code
    if outcome == "probed":
        return None if status in (200, 503) else f"{who} {method} {url}: {status}"
    if status >= 500:
        return f"{who} {method} {url}: {status}"
    if outcome == "allowed" and status in (401, 403, 404):
        return f"{who} {method} {url}: {status}, expected to be let in"
    if outcome == "denied" and status != 403:
        return f"{who} {method} {url}: {status}, expected 403"
    if outcome == "hidden" and status != 404:
        return f"{who} {method} {url}: {status}, expected 404"
    if outcome == "sign in" and not (status == 302 and urlsplit(
            response.headers["Location"]).path == "/login"):
        return f"{who} {method} {url}: {status}, expected a redirect to the sign-in page"
    return None


# The sign-in through an identity provider is on, so that its routes answer (port 9 of this
# machine: nothing listens there, the provider is down). CSRF is off (see `ask`).
WALK_CONFIG = {"WTF_CSRF_ENABLED": False, "OIDC_ISSUER": "http://127.0.0.1:9",
               "OIDC_CLIENT_ID": "route-walk"}


@pytest.fixture(scope="module")
def walk_app(app):
    saved = {key: app.config.get(key) for key in WALK_CONFIG}
    app.config.update(WALK_CONFIG)
    try:
        yield app
    finally:
        app.config.update(saved)


@pytest.fixture(scope="module")
def scenes(walk_app):
    """One scene at a time, shared by the tests that follow each other with the same kind of
    cycle in the same phase: building a territory and its cycle cost a quarter of the walk
    when every endpoint had its own. Each POST of a walk is rolled back, so every endpoint
    finds the scene as it was made."""
    with SharedScenes(walk_app, lambda phase, commune_cycle: make_scene(
            factories.world(), phase, commune_cycle)) as kept:
        yield kept


def walk(app, scene: Scene, endpoint: str) -> None:
    """Every person asks the endpoint in the scene: each POST is rolled back afterwards (what it
    committed too), so the next person finds the scene as it was made. What each should get is
    worked out before the first request, while the scene's objects are loaded."""
    w = scene.w
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = url_of(rule, scene)
    access = ROUTES[endpoint]
    asks = [(who or "anonymous", w.users[who].get_id() if who else None, method,
             expected(access[method] if isinstance(access, dict) else access,
                      w.users[who] if who else None, scene))
            for who in PEOPLE for method in sorted(rule.methods & {"GET", "POST"})]
    wrong = []
    for who, user_id, method, outcome in asks:
        if method == "POST":
            with undone(db.session):  # it may change the scene
                response = ask(app, user_id, method, url)
        else:  # what a page stores (a results file made once) may stay: the next is faster
            response = ask(app, user_id, method, url)
            db.session.rollback()
        problem = check(response, outcome, who, method, url)
        if problem:
            wrong.append(problem)
    assert not wrong, "\n".join(wrong)


def test_every_route_has_a_policy_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "routes without a policy entry in ROUTES"
    assert set(ROUTES) - endpoints == set(), "ROUTES lists routes that no longer exist"


CYCLE_ROUTES = sorted(endpoint for endpoint, access in ROUTES.items()
                      if isinstance(access, dict) or access.kind in (
                          "action", "any_commune", "results", "published", "staff_results",
                          "readable", "tracking", "evaluation", "discussion",
                          "comment_author"))
OTHER_ROUTES = sorted(set(ROUTES) - set(CYCLE_ROUTES))


# The endpoint's is the upper decorator, so it varies fastest (ids read phase-endpoint): the
# tests of one phase follow each other and share that phase's scene.
@pytest.mark.parametrize("endpoint", CYCLE_ROUTES)
@pytest.mark.parametrize("phase", list(Phase), ids=lambda phase: phase.value)
def test_intercommunal_cycle(walk_app, scenes, phase, endpoint):
    walk(walk_app, scenes.get(phase, False), endpoint)


@pytest.mark.parametrize("endpoint", OTHER_ROUTES)
def test_routes_that_do_not_depend_on_the_phase(walk_app, scenes, endpoint):
    """Their answer depends on who asks, not on any cycle's phase: one phase is enough."""
    walk(walk_app, scenes.get(Phase.VOTE, False), endpoint)


@pytest.mark.parametrize("endpoint", CYCLE_ROUTES)
@pytest.mark.parametrize("phase", [Phase.PROPOSALS, Phase.VOTE, Phase.COUNTING],
                         ids=lambda phase: phase.value)
def test_commune_cycle(walk_app, scenes, phase, endpoint):
    walk(walk_app, scenes.get(phase, True), endpoint)


@pytest.mark.parametrize("commune_cycle", [False, True])
def test_the_published_scene_tracks_the_north_project(scenes, commune_cycle):
    """The tracking routes' walk needs a tracking record to find in the results phase."""
    scene = scenes.get(Phase.RESULTS, commune_cycle)
    assert tracking_read.of_proposal(scene.north_proposal) is not None
