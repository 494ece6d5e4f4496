"""Sign in with FranceConnect (its profile, against oidc-provider-mock on a local port): the
button, the provider's page, back to the platform to create the account, signed in; then the
sign-out, which ends the provider's session too and comes back to the platform. Each page of
the platform on the way is checked with axe."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.oidc_provider import running_provider

CLAIMS = {"email": "lea.martin@example.fr", "given_name": "Léa", "family_name": "Martin",
          "birthdate": "1990-05-17", "birthplace": "75056", "birthcountry": "99100",
          "gender": "female", "preferred_username": "Martin"}


def test_sign_in_with_franceconnect_then_sign_out_of_both(live_server, new_page, check_page,
                                                          monkeypatch):
    with running_provider() as provider:
        for key, value in {"OIDC_ISSUER": provider.url, "OIDC_CLIENT_ID": "budget-browser",
                           "OIDC_CLIENT_SECRET": "secret", "OIDC_PROFILE": "franceconnect",
                           # The mock knows the standard scopes only; FranceConnect's claims
                           # come from the user set below.
                           "OIDC_SCOPES": "openid email profile"}.items():
            monkeypatch.setitem(live_server.app.config, key, value)
        provider.set_user("fc-lea", CLAIMS)
        page = new_page(PHONE)
        # The provider is the one other origin this browser may reach.
        page.context.route(re.compile("^" + re.escape(provider.url) + "/"),
                           lambda route: route.continue_())
        page.goto("/login")
        check_page(page, "franceconnect-login")
        expect(page.get_by_role("link", name="Qu’est-ce que FranceConnect ?")).to_be_visible()
        page.get_by_role("link", name="S’identifier avec FranceConnect").click()
        # The provider's page: pick the identity, authorize.
        page.wait_for_url(provider.url + "/oauth2/authorize?**")
        page.locator("input[name=sub]").fill("fc-lea")
        page.get_by_role("button", name="Authorize").click()
        # Back on the platform: one more step creates the account.
        page.wait_for_url("**/login/provider/new")
        check_page(page, "franceconnect-new-account")
        expect(page.get_by_label("Nom affiché sur vos propositions")).to_have_value("Léa")
        page.get_by_label("Votre commune").select_option(index=1)
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        page.goto("/account")
        expect(page.get_by_text("17 mai 1990")).to_be_visible()  # certified
        check_page(page, "franceconnect-account")
        # Signing out here sends the browser to the provider's end of session, with the hint.
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(provider.url + "/oauth2/end_session?**")
        assert "id_token_hint=" in page.url
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(live_server.url + "/**")
        expect(page.get_by_role("status").first).to_contain_text("Vous êtes déconnecté")
        expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
