"""Photos of proposals: judged by content, re-encoded without metadata, three at most, only
by the author while the proposal may be edited; refusals in French change nothing."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
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


def palette_png(width: int, height: int) -> bytes:
    """A palette PNG with transparency, all index 0: a few dozen KB on the wire however large
    (written row by row, so the test itself never holds the decoded image)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    packer, row, parts = zlib.compressobj(9), bytes(width + 1), []
    for _ in range(height):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    return b"".join([b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
                     chunk(b"PLTE", bytes([255, 0, 0, 0, 0, 255])),
                     chunk(b"tRNS", b"\x00"),
                     chunk(b"IDAT", b"".join(parts)), chunk(b"IEND", b"")])


def test_a_small_file_of_too_many_pixels_is_refused_by_its_header(browser, proposal):
    bomb = palette_png(7000, 7000)
    assert len(bomb) < 100_000
    browser.login("alice@example.fr")
    response = send(browser, proposal, bomb, name="plan.png")
    assert response.status_code == 422
    assert "7000 × 7000" in response.get_data(as_text=True)
    assert stored() == []


MEASURE = """
import resource, sys
from budget.domain.errors import DomainError
from budget.services.images import reencode
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    reencode(data)
    print("accepted", end=" ")
except DomainError:
    print("refused", end=" ")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_refusing_a_pixel_bomb_takes_little_memory(tmp_path):
    # In a fresh process: its peak resident size is a bound on what reencode() allocated
    # (Pillow's pixel buffers live outside tracemalloc's sight). Today's 860 MB is the attack.
    (tmp_path / "bomb.png").write_bytes(palette_png(7000, 7000))
    verdict, grown_kib = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path / "bomb.png")], capture_output=True,
        text=True, check=True, cwd=Path(__file__).parents[2]).stdout.split()
    assert verdict == "refused" and int(grown_kib) < 20 * 1024


def test_a_phone_photo_read_as_mpo_keeps_its_first_frame(browser, proposal, uploads):
    out = io.BytesIO()
    first, gain_map = Image.new("RGB", (800, 600), "red"), Image.new("RGB", (400, 300), "blue")
    first.save(out, "MPO", save_all=True, append_images=[gain_map])
    with Image.open(io.BytesIO(out.getvalue())) as sent:
        assert sent.format == "MPO"
    browser.login("alice@example.fr")
    assert send(browser, proposal, out.getvalue()).status_code == 302
    [image] = stored()
    with Image.open(uploads / f"{image.token}.jpg") as photo:
        assert photo.format == "JPEG" and photo.size == (800, 600)
        red, green, blue = photo.getpixel((400, 300))
        assert red > 200 and blue < 60


def test_a_jpeg_comment_does_not_survive(browser, proposal, uploads):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "green").save(out, "JPEG", comment=b"owner: Jean Dupont")
    browser.login("alice@example.fr")
    assert send(browser, proposal, out.getvalue()).status_code == 302
    [image] = stored()
    for name in (f"{image.token}.jpg", f"{image.token}-thumb.jpg"):
        assert b"Jean Dupont" not in (uploads / name).read_bytes()
        with Image.open(uploads / name) as written:
            assert "comment" not in written.info


def test_a_large_camera_jpeg_is_decoded_reduced(browser, proposal, uploads):
    browser.login("alice@example.fr")
    assert send(browser, proposal, camera_photo((8000, 6000), 1)).status_code == 302
    [image] = stored()
    assert (image.width, image.height) == (1600, 1200)
