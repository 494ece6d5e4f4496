"""Photos of a proposal, as its author sends them: real pictures, truncated ones, random bytes,
pictures declaring enormous sizes, misleading names and types."""
import io
import struct
import zlib

from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form, path_id, picture

ROUTES = {"/proposals/<int:proposal_id>/photos", "/proposals/photos/<int:image_id>/delete"}
NAMES = ["photo.jpg", "photo.png", "photo.exe", "photo", "../../etc/passwd", "é.gif", "",
         "x" * 300 + ".jpg", "photo.jpg\x00.php"]
TYPES = ["image/jpeg", "image/png", "application/octet-stream", "text/html", ""]


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels (a decompression bomb's
    trick), its checksum right so that the header is believed."""
    real = picture("PNG")
    header = b"IHDR" + struct.pack(">II", width, height) + real[24:29]
    return real[:12] + header + struct.pack(">I", zlib.crc32(header)) + real[33:]


PICTURES = st.one_of(
    st.sampled_from(["PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"]).map(picture),
    st.builds(lambda kind, cut: picture(kind)[:cut], st.sampled_from(["PNG", "JPEG"]),
              st.integers(0, 400)),
    st.builds(png_declaring, st.sampled_from([1, 10_000, 2**31 - 1, 2**32 - 1]),
              st.sampled_from([1, 10_000, 2**31 - 1])),
    st.binary(max_size=2_000),
    st.sampled_from([b"", b"GIF89a", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"<svg/>"]),
)


@given(data=st.data())
def test_add_photo(staff_scene, session, data):
    s = staff_scene.s
    proposal_id = data.draw(path_id(s.submitted.id, s.park.id))
    sent = data.draw(form(alt_text=anything_or("Le banc vu de la place")))
    if data.draw(st.booleans()):
        content, name = data.draw(PICTURES), data.draw(st.one_of(st.sampled_from(NAMES), TEXT))
        sent["photo"] = (io.BytesIO(content), name, data.draw(st.sampled_from(TYPES)))
    elif data.draw(st.booleans()):
        sent["photo"] = data.draw(TEXT)  # a plain field where a file is expected
    check(session, lambda: s.browsers["alice"].client.post(
        f"/proposals/{proposal_id}/photos", data={"csrf_token": s.browsers["alice"].token(),
                                                  **sent},
        content_type="multipart/form-data"))


@given(data=st.data())
def test_delete_photo(staff_scene, session, data):
    image_id = data.draw(path_id(staff_scene.photo.id))
    who = data.draw(st.sampled_from(["alice", "staff"]))
    sent = data.draw(form())
    check(session, lambda: staff_scene.browsers[who].send(
        f"/proposals/photos/{image_id}/delete", sent))
