"""Photos of proposals: the author adds up to IMAGES_PER_PROPOSAL while they may edit it.

A photo is judged by its content, never by its name or declared type: Pillow must recognise
it as JPEG, PNG, WebP or GIF. It is then re-encoded as a JPEG of at most MAX_SIDE pixels, which
keeps none of the sent file's metadata (EXIF: GPS position, camera serial, date; comments,
colour profiles) nor anything hidden after the image data, plus a thumbnail. Files are written
under UPLOAD_FOLDER before the row is committed, and removed if the commit fails.
"""
from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from budget.domain.errors import DomainError, NotAllowed
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import Proposal, ProposalImage
from budget.services import policy
from budget.services.policy import Action

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE = 1600
THUMBNAIL_SIDE = 480
MAX_PIXELS = 50_000_000  # refuse "decompression bombs" before decoding them


def image_path(image: ProposalImage, thumbnail: bool = False) -> Path:
    suffix = "-thumb.jpg" if thumbnail else ".jpg"
    return Path(current_app.config["UPLOAD_FOLDER"]) / f"{image.token}{suffix}"


def _check_may_change(user, proposal: Proposal) -> None:
    policy.check(user, Action.EDIT_PROPOSAL, proposal.cycle, proposal)
    if proposal.status != Status.SUBMITTED:
        raise NotAllowed("This proposal has been reviewed and can no longer be edited.")


def _jpeg(picture: Image.Image, side: int) -> bytes:
    copy = picture.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)  # no exif=, no icc_profile=: none kept
    return out.getvalue()


def reencode(data: bytes) -> tuple[bytes, bytes, tuple[int, int]]:
    """(photo JPEG, thumbnail JPEG, photo size) from the bytes sent; raises DomainError
    (field "photo") unless they are a readable image of an accepted format."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise DomainError("This file is not a photo we can read. Send a JPEG, PNG, "
                                  "WebP or GIF image.", field="photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError("This photo has too many pixels. Send a smaller one.",
                                  field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as original:
            picture = ImageOps.exif_transpose(original)  # upright, as the camera meant it
            if picture.mode not in ("RGB", "L"):
                background = Image.new("RGB", picture.size, "white")  # transparency on white
                rgba = picture.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                picture = background
            picture = picture.convert("RGB")
            photo = _jpeg(picture, MAX_SIDE)
            thumbnail = _jpeg(picture, THUMBNAIL_SIDE)
            with Image.open(io.BytesIO(photo)) as written:
                size = written.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise DomainError("This file is not a photo we can read. Send a JPEG, PNG, WebP or "
                          "GIF image.", field="photo") from None
    return photo, thumbnail, size


def add_image(user, proposal: Proposal, data: bytes, alt_text: str) -> ProposalImage:
    """Add a photo to a proposal. Raises NotAllowed, WrongPhase, DomainError (too many photos,
    too large, unreadable, no description)."""
    _check_may_change(user, proposal)
    limit = current_app.config["IMAGES_PER_PROPOSAL"]
    if len(proposal.images) >= limit:
        raise DomainError("A proposal can have at most %(count)d photos.", field="photo",
                          count=limit)
    max_bytes = current_app.config["MAX_IMAGE_BYTES"]
    if len(data) > max_bytes:
        raise DomainError("This photo is too large: at most %(megabytes)d MB.", field="photo",
                          megabytes=max_bytes // (1024 * 1024))
    if not alt_text.strip():
        raise DomainError("Say what the photo shows.", field="alt_text")
    photo, thumbnail, (width, height) = reencode(data)
    image = ProposalImage(proposal_id=proposal.id, token=secrets.token_hex(16),
                          alt_text=alt_text.strip(), width=width, height=height)
    paths = [image_path(image), image_path(image, thumbnail=True)]
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    paths[0].write_bytes(photo)
    paths[1].write_bytes(thumbnail)
    db.session.add(image)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for path in paths:
            path.unlink(missing_ok=True)
        raise
    return image


def remove_image(user, image: ProposalImage) -> None:
    proposal = db.session.get(Proposal, image.proposal_id)
    _check_may_change(user, proposal)
    paths = [image_path(image), image_path(image, thumbnail=True)]
    db.session.delete(image)
    db.session.commit()
    for path in paths:
        path.unlink(missing_ok=True)
