"""Photos of proposals: judged by content, re-encoded without metadata, three at most, only
by the author while the proposal may be edited; refusals in French change nothing."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import ProposalImage
from tests import factories
from tests.factories import project

ORIENTATION, MAKE, GPS = 0x0112, 0x010F, 0x8825


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


@pytest.fixture
def proposal(session, uploads):
    w = factories.world()
    cycle = factories.cycle(w, Phase.PROPOSALS)
    return project(cycle, w.north, "Jardin partagé", 4_000, w.users["alice"], Status.SUBMITTED)


def camera_photo(size=(2000, 1000), orientation=6) -> bytes:
    """A JPEG as a phone writes it: turned by its EXIF orientation, with maker and GPS tags."""
    exif = Image.Exif()
    exif[ORIENTATION], exif[MAKE] = orientation, "PhoneMaker"
    exif.get_ifd(GPS)[2] = (46.0, 12.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def send(browser, proposal, data: bytes, name="photo.jpg", alt="Le terrain vu de la rue"):
    return browser.post(f"/proposals/{proposal.id}/photos", {
        "photo": (io.BytesIO(data), name, "image/jpeg"), "alt_text": alt},
        content_type="multipart/form-data")


def stored() -> list[ProposalImage]:
    return list(db.session.scalars(select(ProposalImage)))


def test_a_photo_is_reencoded_upright_without_metadata_with_a_thumbnail(browser, proposal,
                                                                        uploads):
    browser.login("alice@example.fr")
    assert send(browser, proposal, camera_photo()).status_code == 302
    [image] = stored()
    with Image.open(uploads / f"{image.token}.jpg") as photo:
        assert photo.format == "JPEG"
        assert photo.size == (800, 1600) == (image.width, image.height)  # turned, then bounded
        assert dict(photo.getexif()) == {} and "exif" not in photo.info
    with Image.open(uploads / f"{image.token}-thumb.jpg") as thumbnail:
        assert max(thumbnail.size) == 480
    assert b"PhoneMaker" not in (uploads / f"{image.token}.jpg").read_bytes()
    page = browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'alt="Le terrain vu de la rue"' in page
    served = browser.get(f"/proposals/{proposal.id}/photos/{image.token}/thumbnail")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def test_data_hidden_after_the_image_is_not_kept(browser, proposal, uploads):
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 255, 128)).save(out, "PNG")
    browser.login("alice@example.fr")
    assert send(browser, proposal, out.getvalue() + b"<script>alert(1)</script>",
                name="plan.png").status_code == 302
    [image] = stored()
    assert b"<script>" not in (uploads / f"{image.token}.jpg").read_bytes()


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 not a photo at all", "n’est pas une photo"),
    (b"\xff\xd8\xff\xe0 a truncated JPEG header", "n’est pas une photo"),
    (b"BM" + bytes(60), "n’est pas une photo"),  # a (broken) BMP: not an accepted format
])
def test_what_is_not_a_photo_is_refused_by_content(browser, proposal, uploads, data, message):
    browser.login("alice@example.fr")
    response = send(browser, proposal, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored() == [] and list(uploads.iterdir()) == []


def test_too_large_and_undescribed_photos_are_refused(app, browser, proposal, monkeypatch):
    browser.login("alice@example.fr")
    response = send(browser, proposal, camera_photo(), alt="  ")
    assert response.status_code == 422 and "Dites ce que montre la photo" in \
        response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "MAX_IMAGE_BYTES", 1024)
    response = send(browser, proposal, camera_photo())
    assert response.status_code == 422 and "trop lourde" in response.get_data(as_text=True)
    assert stored() == []


def test_three_photos_at_most(browser, proposal):
    browser.login("alice@example.fr")
    for _ in range(3):
        assert send(browser, proposal, camera_photo((40, 30), 1)).status_code == 302
    response = send(browser, proposal, camera_photo((40, 30), 1))
    assert response.status_code == 422 and "3 photos au plus" in response.get_data(as_text=True)
    assert len(stored()) == 3


def test_only_the_author_and_only_before_review(make_browser, proposal):
    other = make_browser()
    other.login("bob@example.fr")
    assert send(other, proposal, camera_photo()).status_code == 403
    proposal.status, proposal.final_cost = Status.ON_BALLOT, 4_000
    db.session.commit()
    author = make_browser()
    author.login("alice@example.fr")
    assert send(author, proposal, camera_photo()).status_code == 403
    assert stored() == []


def test_the_author_removes_a_photo_and_its_files(browser, proposal, uploads):
    browser.login("alice@example.fr")
    send(browser, proposal, camera_photo())
    [image] = stored()
    response = browser.post(f"/proposals/photos/{image.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProposalImage)) == 0
    assert list(uploads.iterdir()) == []
