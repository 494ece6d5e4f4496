"""The `evaluation` Blueprint: residents' answers about a delivered project, the reports of
their comments, and the staff's evaluation text and moderation; routes in resident.py and
staff.py."""
from flask import Blueprint

bp = Blueprint("evaluation", __name__)
