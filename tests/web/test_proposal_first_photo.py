"""A proposal can carry its first photo from the submission form; a refused photo keeps what was
typed; a reviewed proposal says why it can no longer be edited, and only a proposal on the
ballot shows a final cost."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Proposal, ProposalImage
from budget.services import images, proposals
from budget.services.proposals import ProposalDraft
from tests import factories
from tests.factories import envelope, project


@pytest.fixture
def w(session):
    return factories.world()


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


def png(size=(120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "PNG")
    return out.getvalue()


def submit(browser, cycle, commune, photo: bytes | None, alt="Le banc vu du port", **changes):
    form = {"title": "Un banc au port", "description": "Pour s'asseoir face à la mer.",
            "estimated_cost": "2500", "envelope_id": envelope(cycle, commune).id,
            "alt_text": alt, **changes}
    if photo is not None:
        form["photo"] = (io.BytesIO(photo), "banc.png", "image/png")
    return browser.post(f"/cycles/{cycle.id}/proposals/new", form,
                        content_type="multipart/form-data")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_proposal_is_submitted_with_its_first_photo(browser, w, uploads):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("alice@example.fr")
    form_page = browser.get(f"/cycles/{cycle.id}/proposals/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form_page and 'name="photo"' in form_page
    assert "Licence Ouverte 2.0" in form_page
    response = submit(browser, cycle, w.north, png())
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    [image] = proposal.images
    assert image.alt_text == "Le banc vu du port" and (image.width, image.height) == (120, 80)
    assert (uploads / f"{image.token}.jpg").is_file()
    page = browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'alt="Le banc vu du port"' in page


def test_a_proposal_without_a_photo_is_submitted_as_before(browser, w, uploads):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("alice@example.fr")
    assert submit(browser, cycle, w.north, None, alt="").status_code == 302
    assert count(Proposal) == 1 and count(ProposalImage) == 0


@pytest.mark.parametrize("photo, alt, message", [
    (b"%PDF-1.7 not a photo", "Un plan", "n’est pas une photo"),
    (png(), "   ", "Dites ce que montre la photo"),
    (None, "Une description seule", "Choisissez la photo"),
])
def test_a_refused_photo_saves_nothing_and_keeps_what_was_typed(browser, w, uploads, photo,
                                                                alt, message):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("alice@example.fr")
    response = submit(browser, cycle, w.north, photo, alt=alt, title="Mon banc à moi")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Mon banc à moi"' in page and "Pour s&#39;asseoir face à la mer." in page
    assert count(Proposal) == 0 and count(ProposalImage) == 0
    assert list(uploads.iterdir()) == []


def test_a_good_photo_with_another_mistake_asks_for_the_photo_again(browser, w, uploads):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    browser.login("alice@example.fr")
    response = submit(browser, cycle, w.north, png(), title="")
    assert response.status_code == 422
    assert "Choisissez à nouveau votre photo" in response.get_data(as_text=True)
    assert count(Proposal) == 0 and list(uploads.iterdir()) == []


@pytest.mark.parametrize("status, words", [
    (Status.IN_REVIEW, "en cours d’étude"),
    (Status.ON_BALLOT, "est soumise au vote"),
    (Status.REJECTED, "n’a pas été retenue"),
])
def test_a_reviewed_proposal_says_why_it_can_no_longer_be_edited(browser, w, status, words):
    cycle = factories.cycle(w, Phase.PROPOSALS)
    mine = project(cycle, w.north, "Banc", 2_000, w.users["alice"], status)
    browser.login("alice@example.fr")
    page = browser.get(f"/proposals/{mine.id}/edit", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert words in text
    if status != Status.IN_REVIEW:
        assert "en cours d’étude" not in text


@pytest.mark.parametrize("status, shown", [
    (Status.ON_BALLOT, True), (Status.REJECTED, False), (Status.MERGED, False)])
def test_only_a_proposal_on_the_ballot_shows_a_final_cost(browser, w, status, shown):
    cycle = factories.cycle(w, Phase.REVIEW)
    target = project(cycle, w.north, "Cible", 3_000, w.users["bob"], Status.SUBMITTED)
    proposal = project(cycle, w.north, "Banc", 2_000, w.users["alice"], Status.ON_BALLOT)
    target_id = target.id
    proposal.final_cost, proposal.status = 2_400, status
    proposal.merged_into_id = target_id if status == Status.MERGED else None
    proposal.rejection_reason = "Trop cher" if status == Status.REJECTED else None
    db.session.commit()
    page = browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert ("Coût définitif" in page) == shown


def test_the_photo_files_are_removed_when_the_proposal_cannot_be_saved(w, uploads, monkeypatch):
    """The files are written before the commit: a commit that fails (a full disk, a lost
    connection) must not leave a photo on disk that no proposal names."""
    cycle = factories.cycle(w, Phase.PROPOSALS)
    draft = ProposalDraft(title="Un banc au port", description="Pour s'asseoir face à la mer.",
                          estimated_cost=2500, envelope_id=envelope(cycle, w.north).id)
    photo = images.prepare(png(), "Le banc vu du port")
    attempts = []

    def refused_commit():
        attempts.append(sorted(path.name for path in uploads.iterdir()))
        raise OperationalError("COMMIT", {}, Exception("disk full"))

    monkeypatch.setattr(db.session(), "commit", refused_commit)
    with pytest.raises(OperationalError):
        proposals.submit(w.users["alice"], cycle, draft, photo)
    assert len(attempts) == 1 and len(attempts[0]) == 2  # the photo and its thumbnail
    assert list(uploads.iterdir()) == []
