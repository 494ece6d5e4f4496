"""The `api` Blueprint; its routes are in the modules that __init__.py lists."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
