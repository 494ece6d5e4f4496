"""The `discuss` Blueprint; its routes are in the modules that __init__.py lists."""
from flask import Blueprint

bp = Blueprint("discuss", __name__)
