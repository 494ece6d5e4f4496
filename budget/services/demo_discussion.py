"""The demo's discussion: a few comments and replies under the proposals being collected,
and one comment hidden by the moderators, with the report that led to it."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from budget.extensions import db
from budget.models import CharterAcceptance, Comment, Proposal, Report, Role, User
from budget.models.time import utcnow
from budget.services.accounts import hash_password

# Residents who only comment: no password is published (nobody signs in as them).
COMMENTERS = [("louis@demo.budget.fr", "Louis Bernard"), ("ines@demo.budget.fr", "Inès Petit")]


def _commenter(email: str, name: str, home) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash=hash_password(secrets.token_urlsafe(24)),
                    display_name=name, role=Role.CITIZEN, home_commune_id=home.id,
                    email_verified_at=utcnow())
        db.session.add(user)
        db.session.flush()
    return user


def add_discussion(cycle, home, accounts: dict) -> None:
    """Comments on the first two proposals of `cycle` (a cycle collecting proposals)."""
    proposals = list(db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id)
                                        .order_by(Proposal.id).limit(2)))
    if len(proposals) < 2:
        return
    louis, ines = (_commenter(email, name, home) for email, name in COMMENTERS)
    author, staff = accounts[Role.CITIZEN], accounts[Role.STAFF]
    start = utcnow() - timedelta(days=3)
    first, second = proposals

    def say(proposal, who, body, hours, parent=None) -> Comment:
        comment = Comment(proposal=proposal, author=who, body=body, parent=parent,
                          created_at=start + timedelta(hours=hours))
        db.session.add(comment)
        return comment

    question = say(first, louis, "Bonne idée ! Avez-vous pensé à l'entretien ? Un exemple "
                                 "ailleurs : https://www.collectivites-locales.gouv.fr", 1)
    say(first, author, "Oui : la commune s'en chargerait avec le matériel existant.", 5,
        question)
    say(first, ines, "Je soutiens, surtout si c'est accessible aux poussettes.", 20)
    hidden = say(second, louis, "Venez plutôt acheter chez mon cousin, prix imbattables !", 30)
    hidden.hidden_at = start + timedelta(hours=34)
    hidden.hidden_by_id = staff.id
    hidden.hidden_reason = "Publicité pour un commerce, contraire à la charte."
    db.session.flush()
    db.session.add(Report(reporter=ines, proposal=second, comment=hidden,
                          reason="C'est de la publicité.", created_at=hidden.hidden_at,
                          resolved_at=hidden.hidden_at, resolved_by_id=staff.id,
                          outcome="hidden"))
    for who in (louis, ines, author):
        db.session.add(CharterAcceptance(user_id=who.id, cycle_id=cycle.id))
