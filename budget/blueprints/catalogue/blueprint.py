"""The `catalogue` Blueprint; its routes are in views.py."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__)
