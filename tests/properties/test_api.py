"""The JSON API, asked anything: JSON answers, never a server error, nothing written."""
from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, check, path_id

ROUTES = {"/api/v1/cycles", "/api/v1/openapi.json", "/api/v1/cycles/<int:cycle_id>",
          "/api/v1/cycles/<int:cycle_id>/proposals", "/api/v1/cycles/<int:cycle_id>/results"}
QUERY = st.dictionaries(TEXT, TEXT, max_size=3)


@given(query=QUERY, name=st.sampled_from(["cycles", "openapi.json"]))
def test_cycle_list_and_description(scene, session, query, name):
    check(session, lambda: scene.browsers[None].get(f"/api/v1/{name}", query_string=query))


@given(data=st.data())
def test_cycle(scene, session, data):
    cycle_id, query = data.draw(path_id(scene.vote.id, scene.results.id)), data.draw(QUERY)
    check(session, lambda: scene.browsers[None].get(f"/api/v1/cycles/{cycle_id}",
                                                    query_string=query))


@given(data=st.data())
def test_proposals(scene, session, data):
    cycle_id, query = data.draw(path_id(scene.proposals.id, scene.vote.id)), data.draw(QUERY)
    check(session, lambda: scene.browsers[None].get(f"/api/v1/cycles/{cycle_id}/proposals",
                                                    query_string=query))


@given(data=st.data())
def test_results(scene, session, data):
    cycle_id, query = data.draw(path_id(scene.results.id, scene.vote.id)), data.draw(QUERY)
    check(session, lambda: scene.browsers[None].get(f"/api/v1/cycles/{cycle_id}/results",
                                                    query_string=query))
