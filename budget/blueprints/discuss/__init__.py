"""Discussing proposals: comments and replies (views.py), reports and the moderators'
decisions (moderation.py), the charter of participation (charter.py)."""
from budget.blueprints.discuss import charter, follows, helpers, moderation, views  # noqa: F401
from budget.blueprints.discuss.blueprint import bp

__all__ = ["bp"]
