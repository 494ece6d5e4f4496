"""Photo uploads (a decode each) and the published exports (a build each, before the cache is
warm) are rate-limited. Like tests/web/test_rate_limits.py, this builds its own app with the
limiter on (in memory)."""
import io

import pytest
from PIL import Image

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.services import tally
from budget.services.policy import SYSTEM_OPERATOR
from tests import factories
from tests.conftest import Browser, rate_limited_app


@pytest.fixture
def limited(tmp_path):
    with rate_limited_app(tmp_path, UPLOAD_FOLDER=str(tmp_path / "up")) as app:
        yield app


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return out.getvalue()


def test_photo_uploads_are_limited_per_account(limited):
    with limited.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.PROPOSALS)
        proposal = factories.project(cycle, w.north, "Jardin", 4_000, w.users["alice"],
                                     Status.SUBMITTED)
        url = f"/proposals/{proposal.id}/photos"
    browser = Browser(limited.test_client())
    browser.login("alice@example.fr")
    statuses = [browser.post(url, {"photo": (io.BytesIO(small_jpeg()), "p.jpg"),
                                   "alt_text": "Le terrain"},
                             content_type="multipart/form-data").status_code
                for _ in range(11)]
    assert 429 not in statuses[:10] and statuses[10] == 429


def test_result_downloads_are_limited_per_address(limited, tmp_path):
    limited.config["EXPORT_CACHE_FOLDER"] = str(tmp_path / "exports")
    with limited.app_context():
        w = factories.world()
        cycle = factories.cycle(w, Phase.COUNTING)
        factories.project(cycle, w.north, "Jardin", 4_000, w.users["bob"])
        run = tally.run_tally(SYSTEM_OPERATOR, cycle)
        tally.publish(SYSTEM_OPERATOR, cycle, run.id)
        db.session.commit()
        url = f"/cycles/{cycle.id}/results.json"
    client = limited.test_client()
    statuses = [client.get(url).status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert other.get(url).status_code == 200
