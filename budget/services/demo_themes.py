"""The demo cycle's themes, and each demo proposal's, found from the words of its title."""
from __future__ import annotations

from budget.domain.search_text import words
from budget.extensions import db
from budget.models import BudgetCycle, Proposal, Theme

# name, description, icon, words of a title that put a proposal in it (plain: no accents)
DEMO_THEMES = [
    ("Nature et environnement", "Arbres, dunes, eau, compost : le vivant de l'île.", "tree",
     {"arbres", "dunes", "composteurs", "pluie", "jardins"}),
    ("Mobilité", "Se déplacer à vélo, en navette, ensemble.", "bicycle",
     {"velo", "velos", "navette", "covoiturage", "cyclables"}),
    ("Cadre de vie", "Places, rues, plages : des lieux agréables pour tous.", "house",
     {"bancs", "eclairage", "fontaine", "place", "port", "plage"}),
    ("Enfance et jeunesse", "Écoles, jeux et lieux pour les plus jeunes.", "people",
     {"ecole", "jeux"}),
    ("Solidarité", "Accessibilité, aînés, entraide.", "heart",
     {"fauteuil", "aines", "solidaire", "inclusive"}),
    ("Culture", "Lecture, patrimoine, spectacles.", "book", {"livres", "lecture"}),
]
FALLBACK = "Cadre de vie"


def add_themes(cycle: BudgetCycle, proposals: list[Proposal]) -> None:
    """Give `cycle` the demo themes and each of `proposals` those its title calls for (the
    fallback theme when none does); the caller commits."""
    themes = {}
    for name, description, icon, _words in DEMO_THEMES:
        themes[name] = Theme(cycle_id=cycle.id, name=name, description=description, icon=icon)
        db.session.add(themes[name])
    for proposal in proposals:
        title = set(words(proposal.title))
        chosen = [themes[name] for name, _d, _i, keys in DEMO_THEMES if title & keys]
        proposal.themes = chosen or [themes[FALLBACK]]
