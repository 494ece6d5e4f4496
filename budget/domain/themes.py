"""The icons a theme may wear: a small set of SVG pictures shipped in static/themes/.

An icon illustrates a theme's name, it never replaces it: pages show both, the picture being
decorative (empty alt text)."""
from __future__ import annotations

from budget.domain.phases import N_

# id -> what the picture shows (for the staff form); each has static/themes/<id>.svg.
ICONS: dict[str, str] = {
    "tree": N_("Tree (nature, environment)"),
    "bicycle": N_("Bicycle (getting around)"),
    "ball": N_("Ball (sport, leisure)"),
    "book": N_("Book (culture, education)"),
    "heart": N_("Heart (solidarity, health)"),
    "house": N_("House (living environment)"),
    "drop": N_("Drop (water, cleanliness)"),
    "people": N_("People (life together, youth)"),
}
DEFAULT_ICON = "tree"
MAX_THEME_NAME = 60
MAX_THEME_DESCRIPTION = 200
