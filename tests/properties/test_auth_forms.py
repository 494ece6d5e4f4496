"""Sign-in, registration, password and account forms, fed anything."""
from hypothesis import given, strategies as st

from tests.properties.conftest import TEXT, anything_or, check, form

ROUTES = {"/register", "/login", "/password/forgot", "/password/reset/<token>",
          "/account/verify/<token>", "/account/verify", "/logout", "/logout-everywhere",
          "/language/<code>", "/unsubscribe/<token>"}
PASSWORD = "correct horse battery"


@given(data=st.data())
def test_register(scene, session, data):
    fields = form(email=anything_or("new@example.fr", "alice@example.fr", "A@B"),
                  display_name=anything_or("Nouvelle"),
                  home_commune_id=anything_or(scene.w.north.id, scene.w.elsewhere.id, 0),
                  password=anything_or(PASSWORD), confirm=anything_or(PASSWORD))
    sent = data.draw(fields)
    check(session, lambda: scene.browsers[None].send("/register", sent))


@given(data=st.data())
def test_login(scene, session, data):
    sent = data.draw(form(email=anything_or("bob@example.fr", "BOB@example.fr "),
                          password=anything_or(PASSWORD)))
    next_url = data.draw(TEXT)
    browser = scene.browsers[None]
    token = browser.token()
    signed_out = browser.client.get_cookie("session").value
    check(session, lambda: browser.client.post(
        "/login", query_string={"next": next_url}, data={"csrf_token": token, **sent}))
    browser.client.set_cookie("session", signed_out)  # signed in or not, the next one is out


@given(data=st.data())
def test_forgotten_password(scene, session, data):
    sent = data.draw(form(email=anything_or("alice@example.fr", "nobody@example.fr")))
    check(session, lambda: scene.browsers[None].send("/password/forgot", sent))


@given(data=st.data())
def test_password_reset(scene, session, data):
    token = data.draw(st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t))
    sent = data.draw(form(password=anything_or(PASSWORD), confirm=anything_or(PASSWORD)))
    check(session, lambda: scene.browsers[None].send(f"/password/reset/{token}", sent))


@given(data=st.data())
def test_email_confirmation_link(scene, session, data):
    token = data.draw(st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t))
    check(session, lambda: scene.browsers["late"].get(f"/account/verify/{token}"))


@given(data=st.data())
def test_results_unsubscribe_link(scene, session, data):
    token = data.draw(st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t))
    sent = data.draw(form(**{"List-Unsubscribe": anything_or("One-Click")}))
    check(session, lambda: scene.browsers[None].send(f"/unsubscribe/{token}", sent))


@given(data=st.data())
def test_resend_confirmation(scene, session, data):
    sent = data.draw(form())
    check(session, lambda: scene.browsers["late"].send("/account/verify", sent))


@given(data=st.data())
def test_sign_out_and_sign_out_everywhere(scene, session, data):
    url = data.draw(st.sampled_from(["/logout", "/logout-everywhere"]))
    sent = data.draw(form())
    browser = scene.browsers["alice"]
    browser.token()  # first, so that the session kept holds it
    signed_in = browser.client.get_cookie("session").value
    check(session, lambda: browser.send(url, sent))
    # Signed out or not, alice is back: her session cookie is still good, since what signing
    # out everywhere wrote is rolled back (cheaper than signing in again at every example).
    browser.client.set_cookie("session", signed_in)


@given(data=st.data())
def test_language_switch(scene, session, data):
    code = data.draw(anything_or("fr", "en").filter(lambda c: c and "/" not in c))
    sent = data.draw(form(next=anything_or("/", "//evil.example", "https://evil.example/")))
    check(session, lambda: scene.browsers[None].send(f"/language/{code}", sent))
