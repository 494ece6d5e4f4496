"""Photos of proposals: the author adds up to IMAGES_PER_PROPOSAL while they may edit it.

A photo is judged by its content, never by its name or declared type: Pillow must recognise
it as JPEG (MPO included), PNG, WebP or GIF, and its header must announce at most
MAX_DECODED_PIXELS (a JPEG counted at the reduced scale its decoder is asked for). It is then
re-encoded as a JPEG of at most MAX_SIDE pixels, which keeps none of the sent file's metadata
(EXIF: GPS position, camera serial, date; comments, colour profiles) nor anything hidden after
the image data, plus a thumbnail. Files are written under UPLOAD_FOLDER before the row is
committed, and removed if the commit fails.
"""
from __future__ import annotations

import io
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from budget.domain.errors import DomainError
from budget.domain.phases import N_
from budget.domain.proposals import check_editable
from budget.extensions import begin_write_transaction, db
from budget.models import Proposal, ProposalImage
from budget.services import policy
from budget.services.policy import Action
from budget.services.transaction import unit_of_work

if TYPE_CHECKING:    # Pillow is imported where a photo is read, not with every process
    from PIL import Image

# MPO is how Pillow reads a phone's JPEG carrying a second image (a gain map, a depth map):
# the first frame is the photo.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
JPEG_FAMILY = {"JPEG", "MPO"}
MAX_SIDE = 1600
THUMBNAIL_SIDE = 480
# Pixels decoded at most, counted from the header before anything is decoded (for a JPEG, after
# the decoder's own 1/2, 1/4 or 1/8 reduction): 12 MP is a phone photo. Converting to RGBA
# costs 4 bytes a pixel, so about 50 MB at worst, where a 7000 x 7000 palette PNG of 47 KB
# cost 860 MB before this bound.
MAX_DECODED_PIXELS = 12_000_000
# Under which every photo is published (the forms tell the author so before they send it).
PHOTO_LICENCE = {"name": "Licence Ouverte 2.0 (Etalab)", "id": "etalab-2.0",
                 "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
NOT_A_PHOTO = N_("This file is not a photo we can read. Send a JPEG, PNG, WebP or GIF "
                 "image.")


def image_path(image, thumbnail: bool = False) -> Path:
    """Where the files of a photo row (ProposalImage, TrackingPhoto: its token) are."""
    suffix = "-thumb.jpg" if thumbnail else ".jpg"
    return Path(current_app.config["UPLOAD_FOLDER"]) / f"{image.token}{suffix}"


def _check_may_change(user, proposal: Proposal) -> None:
    policy.check(user, Action.EDIT_PROPOSAL, proposal.cycle, proposal)
    check_editable(proposal.status)


def _jpeg(picture: Image.Image, side: int) -> bytes:
    copy = picture.copy()
    copy.thumbnail((side, side))
    # Pillow writes im.info["comment"] back as a COM segment: start from empty metadata; no
    # exif=, no icc_profile=: none kept.
    copy.info = {}
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size of a picture of `size` fitted in a square of `side` (as thumbnail() does)."""
    scale = min(1.0, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _opened(data: bytes) -> Image.Image:
    """The sent image opened, checked and set to decode at most MAX_DECODED_PIXELS;
    nothing decoded yet. Raises DomainError."""
    from PIL import Image
    picture = Image.open(io.BytesIO(data))
    if picture.format not in ACCEPTED_FORMATS:
        raise DomainError(NOT_A_PHOTO, field="photo")
    if picture.format in JPEG_FAMILY:
        # The JPEG decoder reduces by 1/2, 1/4 or 1/8 as it decodes: no larger than needed.
        picture.draft("RGB", _fitted(picture.size, MAX_SIDE))
    width, height = picture.size
    if width * height > MAX_DECODED_PIXELS:
        raise DomainError("This image has too many pixels (%(width)d × %(height)d). Send one of "
                          "at most %(megapixels)d megapixels.", field="photo",
                          width=width, height=height,
                          megapixels=MAX_DECODED_PIXELS // 1_000_000)
    return picture


def reencode(data: bytes) -> tuple[bytes, bytes, tuple[int, int]]:
    """(photo JPEG, thumbnail JPEG, photo size) from the bytes sent; raises DomainError
    (field "photo") unless they are a readable image of an accepted format of at most
    MAX_DECODED_PIXELS once decoded."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    try:
        with _opened(data) as probe:
            probe.verify()
        with _opened(data) as original:
            picture = ImageOps.exif_transpose(original)  # upright, as the camera meant it
            if picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGBA")
            # Bounded before the white background and the RGB copy are made: those copies
            # then cost MAX_SIDE² pixels, not the sent size.
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            if picture.mode == "RGBA":
                background = Image.new("RGB", picture.size, "white")  # transparency on white
                background.paste(picture, mask=picture.getchannel("A"))
                picture = background
            picture = picture.convert("RGB")
            photo = _jpeg(picture, MAX_SIDE)
            thumbnail = _jpeg(picture, THUMBNAIL_SIDE)
            with Image.open(io.BytesIO(photo)) as written:
                size = written.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise DomainError(NOT_A_PHOTO, field="photo") from None
    return photo, thumbnail, size


@dataclass(frozen=True)
class PreparedPhoto:
    """A sent photo once checked and re-encoded, not stored yet."""

    photo: bytes
    thumbnail: bytes
    size: tuple[int, int]
    alt_text: str


def prepare(data: bytes, alt_text: str) -> PreparedPhoto:
    """Check and re-encode a sent photo. Raises DomainError (too large, unreadable, no
    description)."""
    max_bytes = current_app.config["MAX_IMAGE_BYTES"]
    if len(data) > max_bytes:
        raise DomainError("This photo is too large: at most %(megabytes)d MB.", field="photo",
                          megabytes=max_bytes // (1024 * 1024))
    if not alt_text.strip():
        raise DomainError("Say what the photo shows.", field="alt_text")
    photo, thumbnail, size = reencode(data)
    return PreparedPhoto(photo, thumbnail, size, alt_text.strip())


def store(proposal: Proposal, prepared: PreparedPhoto) -> list[Path]:
    """Write a prepared photo's files and add its row to the session (inside a unit of work
    and `removed_unless_committed`, which removes the returned paths if it fails)."""
    image = ProposalImage(**new_image_fields(prepared))
    paths = write_files(image, prepared)
    proposal.images.append(image)
    return paths


def new_image_fields(prepared: PreparedPhoto) -> dict:
    """The columns of a new photo row (a proposal's, a tracking milestone's): a fresh token,
    the description, the size."""
    return {"token": secrets.token_hex(16), "alt_text": prepared.alt_text,
            "width": prepared.size[0], "height": prepared.size[1]}


def write_files(image, prepared: PreparedPhoto) -> list[Path]:
    """Write the files of `image` (any row with a `token`: see image_path); returns their
    paths, for removed_unless_committed."""
    paths = [image_path(image), image_path(image, thumbnail=True)]
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    paths[0].write_bytes(prepared.photo)
    paths[1].write_bytes(prepared.thumbnail)
    return paths


@contextmanager
def removed_unless_committed():
    """The photo files written inside the block (their paths added to the list it gives) are
    removed if the block raises, a failed commit included: put it around the unit of work."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def add_image(user, proposal: Proposal, data: bytes, alt_text: str) -> ProposalImage:
    """Add a photo to a proposal. Raises NotAllowed, WrongPhase, DomainError (too many photos,
    too large, unreadable, no description)."""
    _check_may_change(user, proposal)
    limit = current_app.config["IMAGES_PER_PROPOSAL"]
    if len(proposal.images) >= limit:
        raise DomainError("A proposal can have at most %(count)d photos.", field="photo",
                          count=limit)
    prepared = prepare(data, alt_text)
    with removed_unless_committed() as written, unit_of_work():
        begin_write_transaction()
        written += store(proposal, prepared)
    return proposal.images[-1]


def remove_image(user, image: ProposalImage) -> None:
    with unit_of_work():
        begin_write_transaction()
        proposal = db.session.get(Proposal, image.proposal_id)
        _check_may_change(user, proposal)
        paths = [image_path(image), image_path(image, thumbnail=True)]
        db.session.delete(image)
    for path in paths:
        path.unlink(missing_ok=True)
