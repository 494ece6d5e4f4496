"""The catalogue: the admin's import fed any file (real ones cut anywhere, JSON of any shape,
random bytes, odd names), its search and API asked anything, and a proposal started from any
entry id. Never a server error; a refused import writes nothing (conftest.check)."""
import io
import json
from pathlib import Path

from hypothesis import example, given, strategies as st
from sqlalchemy import select

from budget.extensions import db
from budget.models import CatalogueEntry

from tests.properties.conftest import TEXT, anything_or, check, form, path_id

ROUTES = {"/admin/catalogue", "/api/v1/catalogue", "/catalogue",
          "/catalogue/<int:entry_id>"}
ASSEN = (Path(__file__).resolve().parents[1] / "data" / "Netherlands_Assen_2024.pb").read_bytes()
JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(TEXT, inner, max_size=3)),
                    max_leaves=10)
DOCUMENTS = st.one_of(
    st.builds(lambda cut: ASSEN[:cut], st.integers(0, len(ASSEN))),
    st.binary(max_size=500),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"schema_version": anything_or("1.2"), "status": anything_or(
        "published"), "cycle": JSON, "territory": JSON, "envelopes": JSON, "tracking": JSON},
    ).map(lambda value: json.dumps(value).encode()),
)
NAMES = st.one_of(st.sampled_from(["a.pb", "results.json", "", "../../x.pb", "x.PB"]), TEXT)


@given(data=st.data())
def test_import(staff_scene, session, data):
    browser = staff_scene.browsers[data.draw(st.sampled_from(["admin", "admin", "staff"]))]
    sent = data.draw(form())
    if data.draw(st.booleans()):
        sent["file"] = (io.BytesIO(data.draw(DOCUMENTS)), data.draw(NAMES))
    elif data.draw(st.booleans()):
        sent["file"] = data.draw(TEXT)  # a plain field where a file is expected
    check(session, lambda: browser.client.post(
        "/admin/catalogue", data={"csrf_token": browser.token(), **sent},
        content_type="multipart/form-data"))


QUERY = st.fixed_dictionaries({}, optional={
    "q": TEXT, "theme": TEXT, "status": anything_or("selected", "delivered", "in_progress"),
    "cost_min": anything_or("0", "1000", "-5"), "cost_max": anything_or("100000"),
    "band": anything_or("under_2000", "over_50000"), "page": anything_or("2", "0", "-1")})


@given(query=QUERY, where=st.sampled_from(["/catalogue", "/api/v1/catalogue"]))
@example(query={"status": " ", "band": " "}, where="/catalogue")  # blank passed Optional()
def test_search(scene, session, query, where):
    check(session, lambda: scene.browsers[None].get(where, query_string=query))


@given(data=st.data())
def test_entry_and_a_proposal_started_from_it(scene, session, data):
    entry_id = data.draw(path_id(*db.session.scalars(select(CatalogueEntry.id))))
    check(session, lambda: scene.browsers[None].get(f"/catalogue/{entry_id}"))
    cycle_id = scene.proposals.id
    sent = data.draw(form(title=anything_or("Un banc"), description=anything_or("Texte."),
                          estimated_cost=anything_or(500),
                          envelope_id=anything_or(*[e.id for e in scene.proposals.envelopes]),
                          inspired_by=anything_or(entry_id, "x", -1)))
    check(session, lambda: scene.browsers["alice"].client.get(
        f"/cycles/{cycle_id}/proposals/new", query_string={"from_entry": str(entry_id)}))
    check(session, lambda: scene.browsers["alice"].send(f"/cycles/{cycle_id}/proposals/new",
                                                        sent))
