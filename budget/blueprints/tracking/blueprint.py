"""The `tracking` Blueprint: the public "Suivi des projets" pages and the staff's updates of a
winner's delivery; its routes are in the modules that __init__.py lists."""
from flask import Blueprint

bp = Blueprint("tracking", __name__)
