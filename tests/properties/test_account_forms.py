"""What a signed-in person sends about themselves: email preferences, the answers on who may
vote before the ballot; and what the admin sends about someone's role."""
from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form, path_id, prefixed

ROUTES = {"/account/notifications", "/cycles/<int:cycle_id>/vote/eligibility",
          "/admin/accounts/<int:user_id>"}


@given(data=st.data())
def test_notifications(scene, session, data):
    sent = data.draw(form(notify_results=anything_or("y", "on", "")))
    check(session, lambda: scene.browsers["alice"].send("/account/notifications", sent))


@given(data=st.data())
def test_eligibility_answers(staff_scene, session, data):
    s = staff_scene
    cycle_id = data.draw(path_id(s.checked.id, s.coded.id, s.s.vote.id, s.s.proposals.id))
    sent = data.draw(form(birth_date=anything_or("1980-03-02", "1975-06-15", "2020-01-01"),
                          sworn_residence=anything_or("y"),
                          identifier=anything_or("LISTE-1", "liste 2", "SUD-9"),
                          code=anything_or(*s.codes, s.codes[0].lower(), "AAAA-BBBB-CCCC")))
    who = data.draw(st.sampled_from(["alice", "late"]))
    check(session, lambda: s.browsers[who].send(f"/cycles/{cycle_id}/vote/eligibility", sent))


@given(data=st.data())
def test_account_role(staff_scene, session, data):
    w = staff_scene.s.w
    user_id = data.draw(path_id(w.users["alice"].id, w.users["northclerk"].id,
                                w.users["admin"].id))
    sent = data.draw(form(
        role=anything_or("citizen", "commune_staff", "staff", "council", "admin"),
        workplace=st.one_of(
            anything_or("", f"epci-{w.epci.id}", f"commune-{w.north.id}",
                        f"commune-{w.elsewhere.id}", "commune-0", "epci-x"),
            prefixed("commune-", w.north.id), prefixed("epci-", w.epci.id))))
    check(session, lambda: staff_scene.browsers["admin"].send(f"/admin/accounts/{user_id}",
                                                              sent))


@given(query=st.dictionaries(
    st.sampled_from(["actor", "cycle", "page", "action", "since", "until"]), TEXT))
def test_audit_log_filters(staff_scene, session, query):
    check(session, lambda: staff_scene.browsers["admin"].get("/admin/audit", query_string=query))
