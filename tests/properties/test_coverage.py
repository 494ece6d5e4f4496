"""Every route that takes a form (POST) and every API route has a property test: each test
module declares the rules it sends requests to in ROUTES, and a new route without a property
test fails here, naming it (as tests/web/test_route_policy.py does for the policy table)."""
from tests.properties import (
    test_account_forms, test_adoption_forms, test_api, test_auth_forms,
    test_catalogue_forms, test_desk_provider_forms, test_discussion_forms,
    test_eligibility_forms, test_evaluation_forms, test_follow_forms, test_kiosk_forms,
    test_paper_forms, test_photo_forms, test_provider_forms, test_resident_forms,
    test_second_factor_forms, test_staff_forms, test_staff_setup_forms, test_support_forms,
    test_theme_forms, test_tracking_forms)

MODULES = [
    test_account_forms, test_adoption_forms, test_api, test_auth_forms,
    test_catalogue_forms, test_desk_provider_forms, test_discussion_forms,
    test_eligibility_forms,
    test_evaluation_forms, test_follow_forms, test_kiosk_forms, test_paper_forms,
    test_photo_forms, test_provider_forms, test_resident_forms, test_second_factor_forms,
    test_staff_forms, test_staff_setup_forms, test_support_forms, test_theme_forms,
    test_tracking_forms]
COVERED = {rule: module.__name__ for module in MODULES for rule in module.ROUTES}


def test_every_form_and_api_route_has_a_property_test(app):
    needed = {rule.rule for rule in app.url_map.iter_rules()
              if "POST" in rule.methods or rule.rule.startswith("/api/")}
    assert sorted(needed - set(COVERED)) == [], "routes without a property test"


def test_the_routes_declared_exist(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {rule: module for rule, module in COVERED.items() if rule not in rules} == {}, \
        "ROUTES of property tests name rules the app no longer has"
