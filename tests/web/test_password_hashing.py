"""Passwords are hashed with Argon2id; a hash made before (werkzeug's scrypt) or with a lower
cost is replaced by a new Argon2id hash when its owner next signs in."""
from __future__ import annotations

from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from budget.extensions import db
from budget.models import User
from tests import factories

PASSWORD = "correct horse battery"


def test_new_passwords_are_hashed_with_argon2id(app, session):
    with app.test_request_context():
        from budget.services.accounts import hash_password

        assert hash_password(PASSWORD).startswith("$argon2id$")


def test_an_old_scrypt_hash_still_signs_in_and_is_replaced_by_argon2id(browser, session):
    w = factories.world()
    staff = w.users["staff"]
    staff.password_hash = generate_password_hash(PASSWORD, method="scrypt")  # werkzeug's default
    db.session.commit()
    refused = browser.post("/login", {"email": "staff@example.fr", "password": "wrong guess!"})
    assert refused.status_code == 422
    assert db.session.get(User, staff.id).password_hash.startswith("scrypt:")  # not on a miss
    browser.login("staff@example.fr", PASSWORD)
    db.session.expire_all()
    migrated = db.session.get(User, staff.id).password_hash
    assert migrated.startswith("$argon2id$") and PasswordHasher().verify(migrated, PASSWORD)
    browser.logout()
    browser.login("staff@example.fr", PASSWORD)  # the new hash signs in
    db.session.expire_all()
    assert db.session.get(User, staff.id).password_hash == migrated  # and is kept as it is


def test_an_argon2id_hash_of_a_lower_cost_is_redone_at_sign_in(app, browser, session,
                                                                monkeypatch):
    w = factories.world()
    staff = w.users["staff"]
    staff.password_hash = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash(
        PASSWORD)
    db.session.commit()
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)
    browser.login("staff@example.fr", PASSWORD)
    db.session.expire_all()
    assert db.session.get(User, staff.id).password_hash.startswith("$argon2id$v=19$m=64,t=2,")
