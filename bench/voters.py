"""Voters for load tests over HTTP (bench/vote_load.py, scripts/scale_out_check.py).

Accounts are inserted straight into the database and their signed-in session cookies are
signed with the app's own secret key, so that a run measures casting ballots, not password
hashing (scrypt is slow on purpose, and 1,000 sign-ins would take a minute of CPU).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from budget.extensions import db
from budget.models import BudgetCycle, Role, User
from budget.models.time import utcnow
from budget.services import voting
from budget.services.demo import CYCLE_TITLE, DEMO_HOME_INSEE


# The bare route's table (bench/bare_app.py). bench/vote_load.py creates it before the servers
# start: their workers would race to create it.
bench_rows = sa.Table("bench_rows", sa.MetaData(),
                      sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("project", sa.String(20)))


@dataclass(frozen=True)
class Voter:
    user_id: int
    cookie: str  # "session=..." for the Cookie header
    csrf_token: str


@dataclass(frozen=True)
class Ballot:
    cycle_id: int
    commune_id: int
    project_id: int  # one valid choice on that commune's ballot

    def form(self, voter: Voter) -> dict[str, str]:
        return {"csrf_token": voter.csrf_token, "project": str(self.project_id)}

    @property
    def confirm_path(self) -> str:
        return f"/cycles/{self.cycle_id}/vote/confirm"

    @property
    def bare_path(self) -> str:
        return f"/cycles/{self.cycle_id}/vote/bare"


def demo_ballot(app: Flask) -> Ballot:
    """The demo's open cycle (`flask budget demo`) and one project of La Flotte's ballot."""
    with app.app_context():
        cycle = db.session.scalar(select(BudgetCycle).where(BudgetCycle.title == CYCLE_TITLE))
        commune = next(c for c in cycle.intercommunality.communes
                       if c.insee_code == DEMO_HOME_INSEE)
        sections = voting.ballot_sections(cycle, commune.id)
        return Ballot(cycle.id, commune.id, sections[0].projects[0].id)


def signed_in(app: Flask, user: User) -> Voter:
    # A fresh app context each time: Flask-WTF caches the CSRF token in `g`.
    with app.app_context(), app.test_request_context():
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return Voter(user.id, f"{app.config['SESSION_COOKIE_NAME']}={value}", token)


def make_voters(app: Flask, ballot: Ballot, count: int, tag: str) -> list[Voter]:
    """`count` new residents of the ballot's commune (emails `<tag>-<n>@load.test`)."""
    with app.app_context():
        # Confirmed addresses: an unconfirmed account may not vote.
        users = [User(email=f"{tag}-{n}@load.test", password_hash="!", display_name=f"V{n}",
                      role=Role.CITIZEN, home_commune_id=ballot.commune_id,
                      email_verified_at=utcnow())
                 for n in range(count)]
        db.session.add_all(users)
        db.session.commit()
        return [signed_in(app, user) for user in users]


def staff_member(app: Flask, email: str = "agent@demo.budget.fr") -> Voter:
    with app.app_context():
        return signed_in(app, db.session.scalar(select(User).where(User.email == email)))
