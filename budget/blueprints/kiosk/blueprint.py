"""The `kiosk` Blueprint: polling stations for staff (staff.py) and the kiosk's own screens
(screen.py); its routes are in the modules that __init__.py lists."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__)
