"""Every page, on phones (375 and 320 px) and on a desktop: no serious or critical axe
violation, never wider than the screen (no sideways scrolling), never a server error.

The pages are read from the app's url_map (every GET route but those in NOT_PAGES): a new page
is walked without being listed here, and fails `test_every_page` until the scene below has what
it shows. Each is seen by whom it is for (VIEWERS): admin pages by the admin, staff pages by
the intercommunalité's staff, a resident's by a resident, public pages by a visitor; with real
content: a cycle in each phase with proposals (long titles included), access codes, paper
batches with an entry being typed, tally runs, a published result, long email addresses, and
lists longer than a page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, SMALL_PHONE, axe_violations

PASSWORD = "correct horse battery"  # tests/factories.py
DATA = Path(__file__).resolve().parents[1] / "data"
TOULOUSE = "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
# GET routes that are not pages, or not pages one opens by an address.
NOT_PAGES = {
    # files
    "static", "staff.job_download", "proposals.photo", "proposals.thumbnail",
    "results.results_csv", "results.results_json", "results.results_pdf",
    "results.results_xlsx", "results.envelope_pb", "results.results_pb_zip", "admin.audit_log_json",
    "results.annex_pdf", "results.annex_xlsx", "results.deliberation_pdf",
    "staff.processing_record_pdf", "public.cycle_poster_pdf", "public.cycle_poster_svg",
    "public.proposal_poster_pdf", "public.proposal_poster_svg",
    "api.list_cycles", "api.get_cycle", "api.list_proposals", "api.get_results", "api.openapi",
    "api.get_tracking", "api.list_catalogue", "tracking.photo", "tracking.thumbnail",
    "ops_health.healthz", "ops_health.readyz", "ops_metrics.metrics",
    # redirects of pages that moved
    "staff.old_territory_list", "staff.old_account_list", "staff.old_account_role",
    # links from an email (their pages: test_journey, test_register_from_the_log)
    "auth.reset_password", "auth.verify_email", "auth.unsubscribe",
    "discuss.unfollow_link",  # its page: test_follow.py
    # the sign-in's second step, and the receipt right after a vote (test_journey,
    # test_keyboard and tests/web/test_second_factor.py)
    "auth.second_factor_code", "auth.second_factor_setup", "vote.receipt",
    # a fragment of the dashboard that static/turnout.js fetches (the dashboard is walked)
    "staff.turnout_panel",
    # the sign-in through an identity provider, off in this app: test_oidc walks it with one
    "auth.provider_start", "auth.provider_callback", "auth.provider_link", "auth.provider_new",
    # the desk's check of a voter by the identity provider, off in this app: the redirect to
    # the provider, its way back, and the page of the identity it checked
    # (tests/browser/test_kiosk.py walks them with one)
    "kiosk.desk_provider_start", "kiosk.desk_provider_callback", "kiosk.desk_provider_checked",
}
# Who sees the pages of each blueprint (None: a visitor); the account pages are a resident's.
VIEWERS = {"admin": "admin", "staff": "staff", "proposals": "alice", "vote": "alice",
           "public": None, "results": None, "auth": None, "tracking": None,
           "discuss": "alice", "evaluation": "alice", "kiosk": "staff",
           "catalogue": "alice"}
# The kiosk's own screens: seen on a device staff made a kiosk, locked or opened by a code.
KIOSK_SCREENS = {"kiosk.screen": False, "kiosk.ballot": True}
SIGNED_IN_PAGES = {"auth.account": "alice", "tracking.staff_list": "staff",
                   "tracking.edit": "staff", "discuss.charter": None,
                   "discuss.edit_charter": "staff", "discuss.moderation_queue": "staff",
                   "discuss.hide_comment": "staff", "discuss.block_author": "staff",
                   "evaluation.staff_page": "staff", "evaluation.hide_answer": "staff"}
# How much of each page is seen on each screen. On the 375 px phone, every URL of every page
# (a cycle in each phase, each of its proposals...) with axe-core and the width; on the 320 px
# phone every URL's width (where long titles and tables overflow), axe-core on the first URL
# of each page; on the desktop, the first URL of each page, both checks. An endpoint's URLs
# are one template with other data, which the phone's walk checks in full: axe-core on each
# of them on each screen was two thirds of CI's browser suite (870 s: 406 pages a screen,
# 0.45 s of axe-core and 0.2 s of loading each).
ONE_PAGE_EACH = {DESKTOP["width"]: 1}
LONG_TITLE = ("Réaménagement complet de la place du marché avec ombrières photovoltaïques, "
              "bancs, fontaine et stationnement vélos sécurisé")


@dataclass
class Scene:
    """What the pages need, by the name of their URL arguments: one value per page to see
    (cycle_id: one cycle per phase)."""

    values: dict[str, list] = field(default_factory=dict)
    pairs: list[dict] = field(default_factory=list)  # arguments that go together
    theme_pairs: list[dict] = field(default_factory=list)  # a cycle and one of its themes
    station_pairs: list[dict] = field(default_factory=list)  # a cycle and a polling station
    access_codes: list[str] = field(default_factory=list)  # of that cycle, one per kiosk


def build_scene(app) -> Scene:
    from budget.domain.eligibility import EligibilityRules, Proof
    from budget.domain.phases import Phase
    from budget.domain.proposals import Status
    from budget.extensions import db
    from budget.models import BudgetCycle, CatalogueEntry, Theme
    from budget.models.time import utcnow
    from budget.services import audit, catalogue_import, paper, tally
    from budget.services.policy import SYSTEM_OPERATOR
    from tests import factories

    with app.app_context():
        w = factories.world()
        for n in range(55):  # more than a page of accounts, with long addresses
            factories.user(f"marie-christine.delacroix-fontaine.{n:02d}@mairie-de-nordville"
                           f".example.fr", w.north)
        scene = Scene()
        cycles, proposals, envelopes, batches, themes, comments = [], [], [], [], [], []
        answers = []
        for phase in (Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW, Phase.VOTE,
                      Phase.COUNTING, "results", "open vote", Phase.SUPPORTS, "sifted"):
            cycle = factories.cycle(w, Phase.COUNTING if phase == "results" else
                                    Phase.VOTE if phase == "open vote" else
                                    Phase.SUPPORTS if phase == "sifted" else phase,
                                    # the long-titled project wins there: it is tracked
                                    amounts=(100_000, 50_000, 30_000))
            cycle.title = f"Budget participatif de la CC Test ({getattr(phase, 'value', phase)})"
            cycle.eligibility = EligibilityRules(
                proof=Proof.ACCESS_CODE if phase == Phase.VOTE else Proof.NONE
                if phase == "open vote" else Proof.CENSUS).as_params()
            proposal = factories.project(cycle, w.north, LONG_TITLE, 48_500,
                                         w.users["alice"], Status.SUBMITTED
                                         if phase in (Phase.PROPOSALS, Phase.REVIEW,
                                                      Phase.SUPPORTS, "sifted")
                                         else Status.ON_BALLOT)
            theme = Theme(cycle_id=cycle.id, name="Nature et environnement", icon="tree",
                          description="Arbres, jardins, eau : le vivant de la commune.")
            db.session.add(theme)
            proposal.themes = [theme, Theme(cycle_id=cycle.id, name="Mobilité",
                                            icon="bicycle")]
            for n in range(55 if phase == Phase.PROPOSALS else 3):
                factories.project(cycle, w.south if n % 2 else None, f"Idée numéro {n}",
                                  1_000 + n, w.users["bob"]).themes = [theme]
            # "sifted": supports over, the review has begun (a short name: the audit log page
            # lists cycle titles in a select that must fit a 320 px phone)
            if phase == "sifted":
                cycle.review_start = utcnow() - timedelta(hours=1)
                cycle.support_threshold = {"kind": "top", "value": 2}
            db.session.commit()  # a use case below must find nothing pending
            if phase in (Phase.VOTE, Phase.COUNTING):
                batch = paper.create_batch(SYSTEM_OPERATOR, cycle, w.north,
                                           "Bureau de vote de la salle des fêtes, dimanche", 3)
                paper.start_entry(w.users["staff"], batch)
                batches.append(batch.id)
            if phase in (Phase.COUNTING, "results"):
                run = tally.run_tally(SYSTEM_OPERATOR, cycle)
                if phase == "results":
                    tally.publish(SYSTEM_OPERATOR, cycle, run.id)
                    _track(w, proposal)
                    delivered, answer_id = _evaluate(w, cycle)
                    proposals.append(delivered)
                    answers.append(answer_id)
            comments.append(_discussion(w, proposal))
            db.session.commit()
            cycles.append(cycle.id)
            proposals.append(proposal.id)
            envelopes.append((cycle.id, factories.envelope(cycle, w.north).id))
            themes.append({"cycle_id": cycle.id, "theme_id": theme.id})
        for _ in range(60):  # more than a page of the audit log, with long states
            audit.record(w.users["staff"], "cycle.update", cycle=cycles[1],
                         before={"title": "Budget participatif", "vote_params": {
                             "max_choices": 3, "min_choices": 1}},
                         after={"title": LONG_TITLE, "description": LONG_TITLE * 2})
        db.session.commit()
        for name in ("Netherlands_Assen_2024.pb", "imports/" + TOULOUSE):  # > a page
            catalogue_import.import_file(SYSTEM_OPERATOR, name.split("/")[-1],
                                         (DATA / name).read_bytes())
        entries = list(db.session.scalars(db.select(CatalogueEntry.id).limit(2)))
        scene.values = {"cycle_id": cycles, "proposal_id": proposals, "entry_id": entries,
                        "batch_id": batches, "position": [1], "user_id": [w.users["alice"].id],
                        "intercommunality_id": [w.epci.id], "comment_id": comments,
                        "answer_id": answers}
        scene.pairs = [{"cycle_id": c, "envelope_id": e} for c, e in envelopes]
        scene.theme_pairs = themes
        _kiosk_station(w, db.session.get(BudgetCycle, cycles[3]), scene)
        return scene


def _kiosk_station(w, cycle, scene: Scene) -> None:
    """A polling station of Nordville in the vote cycle (access codes), with its codes."""
    from budget.services import access_codes, kiosks

    station = kiosks.add_station(w.users["northclerk"], cycle, w.north,
                                 "Salle polyvalente du quartier de la gare, rez-de-chaussée")
    scene.station_pairs = [{"cycle_id": cycle.id, "station_id": station.id}]
    scene.access_codes = access_codes.generate_codes(w.users["northclerk"], cycle, w.north, 3)


def kiosk_device(app, new_page, viewport, scene: Scene, unlocked: bool):
    """A browser made a kiosk of the scene's station by staff; `unlocked`: a voter's code
    from the desk typed in (its ballot open)."""
    from budget.extensions import db
    from budget.models import PollingStation, User
    from budget.services import kiosk_desk

    page = signed_in(new_page, viewport, "staff@example.fr")
    pair = scene.station_pairs[0]
    page.goto(f"/staff/cycles/{pair['cycle_id']}/stations/{pair['station_id']}")
    page.get_by_role("button", name="Faire de cet appareil une borne du bureau").click()
    expect(page.get_by_label("Code remis par l’accueil")).to_be_visible()
    if unlocked:
        with app.app_context():
            code = kiosk_desk.issue_unlock(
                db.session.scalar(db.select(User).where(User.email == "staff@example.fr")),
                db.session.get(PollingStation, pair["station_id"]),
                code=scene.access_codes.pop())
        page.get_by_label("Code remis par l’accueil").fill(code)
        page.get_by_role("button", name="Ouvrir mon bulletin").click()
        expect(page.get_by_role("button", name="Relire mon bulletin")).to_be_visible()
    return page


def _track(w, proposal) -> None:
    """The winner's delivery under way: works, money spent, a planned date moved, two
    milestones (one ahead); placed on the map of the tracking (tracking.cycle_tracking_map)."""
    from datetime import date, timedelta

    from budget.domain.delivery import Stage, TrackingUpdate
    from budget.services import tracking, tracking_read

    proposal.latitude, proposal.longitude = 46.1603, -1.1511
    record = tracking_read.of_proposal(proposal)
    for planned, stage in ((date(2027, 3, 31), Stage.PROCUREMENT),
                           (date(2027, 6, 30), Stage.WORKS)):
        tracking.update(w.users["staff"], record, TrackingUpdate(
            stage=stage, progress=45, committed=40_000, spent=12_500,
            planned_delivery=planned, delivered_on=None, abandon_reason="",
            service="Services techniques, voirie et espaces publics",
            delivered_by_commune=True))
    for days, text in ((-20, "Marché attribué à une entreprise locale"),
                       (30, "Début des travaux de terrassement")):
        tracking.add_milestone(w.users["staff"], record, text,
                               tracking.today() + timedelta(days=days))
def _evaluate(w, cycle) -> tuple[int, int]:
    """An intercommunal winner of `cycle` delivered, evaluated by 6 residents (one with a long
    comment, hidden later by the moderators), with the staff's text; returns the proposal's and
    the commented answer's ids."""
    from budget.domain.delivery import Stage, TrackingUpdate
    from budget.services import evaluation, evaluation_moderation, tracking, tracking_read

    record = next(r for r in tracking_read.of_cycle(cycle) if r.commune_id is None)
    tracking.update(w.users["staff"], record, TrackingUpdate(
        stage=Stage.DELIVERED, progress=100, committed=1_000, spent=1_000,
        planned_delivery=None, delivered_on=tracking.today(), abandon_reason="", service="",
        delivered_by_commune=False))
    people = [_resident(f"evaluation{n}@example.fr", w.north) for n in range(5)]
    commented = evaluation.answer(w.users["bob"], record, "sometimes", 4,
                                  "Très pratique pour aller au marché https://exemple.fr/un-"
                                  "tres-long-chemin-sans-espace-aucun-pour-voir-si-la-page")
    for person, usefulness in zip(people, (5, 4, 3, 2, 5)):
        evaluation.answer(person, record, "yes", usefulness, "Un avis parmi d'autres.")
    evaluation_moderation.hide(w.users["staff"], evaluation.answer_of(people[0], record),
                               "Hors sujet.")
    evaluation.publish_text(w.users["staff"], record, "Le projet est très utilisé l'été ; "
                            "un second équipement est à l'étude.")
    return record.proposal_id, commented.id


def _resident(email, commune):
    from budget.extensions import db
    from tests import factories

    person = factories.user(email, commune)
    db.session.commit()
    return person


def _discussion(w, proposal) -> int:
    """A conversation under `proposal`: alice's comment (a link, a long word), a reply, a
    hidden comment, and a report; returns the id of alice's comment."""
    from budget.extensions import db
    from budget.models import Comment, Report

    first = Comment(proposal=proposal, author=w.users["alice"],
                    body="Voir https://exemple.fr/un-tres-long-chemin-sans-espace-aucun-pour-"
                         "voir-si-la-page-deborde-sur-un-petit-ecran et dites-moi.")
    hidden = Comment(proposal=proposal, author=w.users["bob"], body="Publicité",
                     hidden_at=proposal.created_at, hidden_reason="Publicité, hors charte.")
    db.session.add_all([first, hidden, Comment(proposal=proposal, author=w.users["bob"],
                                               body="D'accord avec vous.", parent=first)])
    db.session.flush()
    db.session.add(Report(reporter=w.users["bob"], proposal=proposal, comment=first,
                          reason="Lien douteux"))
    return first.id


def urls_of(rule, scene: Scene) -> list[str]:
    """Every URL of `rule` the scene can fill in."""
    from flask import url_for

    arguments = set(rule.arguments) - set(rule.defaults or {})
    if not arguments:
        choices = [{}]
    elif "envelope_id" in arguments:
        choices = scene.pairs
    elif "theme_id" in arguments:
        choices = scene.theme_pairs
    elif "station_id" in arguments:
        choices = scene.station_pairs
    elif arguments == {"batch_id", "position"}:
        choices = [{"batch_id": b, "position": 1} for b in scene.values["batch_id"]]
    elif len(arguments) == 1 and (name := arguments.pop()) in scene.values:
        choices = [{name: value} for value in scene.values[name]]
    else:
        choices = []
    return [url_for(rule.endpoint, **values) for values in choices]


def pages(app, scene: Scene) -> dict[str, list[str]]:
    """endpoint -> the URLs to see, for every page."""
    with app.test_request_context():
        return {rule.endpoint: urls_of(rule, scene) for rule in app.url_map.iter_rules()
                if "GET" in rule.methods and rule.endpoint not in NOT_PAGES}


def viewer_of(endpoint: str) -> str | None:
    return SIGNED_IN_PAGES.get(endpoint, VIEWERS[endpoint.split(".")[0]])


def signed_in(new_page, viewport, email: str):
    page = new_page(viewport)
    page.goto("/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return page


def problems_of(page, name: str, viewport: dict, shots, axe: bool = True) -> list[str]:
    """What is wrong with the page shown: sideways scroll, and serious/critical axe violations
    unless `axe` is false."""
    found = []
    if viewport is PHONE:
        shots(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        found.append(f"{name}: {width} px wide on a {viewport['width']} px screen")
    for violation in axe_violations(page) if axe else ():
        targets = [node["target"] for node in violation["nodes"]][:3]
        found.append(f"{name}: {violation['impact']} {violation['id']} "
                     f"({violation['help']}) {json.dumps(targets, ensure_ascii=False)}")
    return found


def test_every_page(live_server, new_page, shots):
    scene = build_scene(live_server.app)
    walk = pages(live_server.app, scene)
    problems, seen = [], set()
    for viewport in (PHONE, SMALL_PHONE, DESKTOP):
        browsers = {who: signed_in(new_page, viewport, f"{who}@example.fr")
                    for who in ("admin", "staff", "alice")}
        browsers[None] = new_page(viewport)
        for endpoint, urls in sorted(walk.items()):
            page = browsers[viewer_of(endpoint)]
            if endpoint in KIOSK_SCREENS:  # made just before: an open ballot lapses when idle
                page = kiosk_device(live_server.app, new_page, viewport, scene,
                                    KIOSK_SCREENS[endpoint])
            if endpoint == "staff.job_page":  # a job exists once someone starts one
                page.goto(f"/staff/cycles/{scene.values['cycle_id'][4]}")
                page.get_by_role("button", name="Préparer le rapport PDF").click()
                urls = [page.url.removeprefix(live_server.url)]
            for number, url in enumerate(urls[:ONE_PAGE_EACH.get(viewport["width"])]):
                response = page.goto(url)
                status = response.status if response else 0
                if status >= 500:
                    problems.append(f"{endpoint} {url}: {status}")
                    continue
                if status == 200 and urlsplit(page.url).path == urlsplit(url).path:
                    seen.add(endpoint)  # the page itself, not where a redirect led
                name = f"{endpoint.replace('.', '-')}-{number}-{viewport['width']}"
                problems += problems_of(page, name, viewport, shots, axe=number == 0
                                        or viewport is PHONE)
    assert set(walk) - seen == set(), "pages never shown (the scene lacks what they need)"
    assert not problems, "\n".join(problems)
