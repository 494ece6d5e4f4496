"""The demo's places and photos (budget/data/demo, see LICENCE.md there): a location on the
Île de Ré for every demo proposal, and a few illustrative photos, so that a fresh demo shows
its maps and photos like a real cycle."""
from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources
from pathlib import Path

from budget.models import Proposal
from budget.services import images

INTERCOMMUNAL = "intercommunal"
# title -> (file in data/demo/photos, text alternative)
PHOTOS = {
    "Bancs et ombrières sur la place du marché": (
        "bancs-ombrieres.jpg", "Dessin : deux bancs en bois sous une voile d'ombrage, devant "
                               "des maisons blanches aux volets verts et bleus."),
    "Aire de jeux inclusive près de l'école": (
        "aire-de-jeux.jpg", "Dessin : une balançoire à nacelle, un toboggan et une rampe "
                            "d'accès sur un sol souple, dans l'herbe."),
    "Abri vélos sécurisé devant la mairie": (
        "abri-velos.jpg", "Dessin : trois vélos rangés sous un abri couvert, à côté d'un "
                          "bâtiment blanc au toit de tuiles."),
    "Navette électrique estivale entre les villages": (
        "navette.jpg", "Dessin : une navette électrique verte sur une route de campagne."),
    "Restauration des dunes de la côte sauvage": (
        "dunes.jpg", "Dessin : une dune plantée d'oyats, tenue par des ganivelles, face à "
                     "la mer."),
}


def _demo_file(name: str):
    return resources.files("budget.data").joinpath("demo", name)


def places() -> dict[str, list[tuple[float, float]]]:
    """The places of data/demo/places.csv, by envelope (a commune's INSEE code, or
    INTERCOMMUNAL), in the file's order."""
    found = defaultdict(list)
    rows = csv.DictReader(_demo_file("places.csv").read_text("utf-8").splitlines(),
                          delimiter=";")
    for row in rows:
        found[row["envelope"]].append((float(row["latitude"]), float(row["longitude"])))
    return found


def place(proposals: list[Proposal]) -> None:
    """Give each proposal the next place of its envelope (its commune's, or an intercommunal
    one), in the order given; proposals beyond an envelope's places stay unplaced."""
    available = places()
    taken: dict[str, int] = defaultdict(int)
    for proposal in proposals:
        commune = proposal.envelope.commune
        key = commune.insee_code if commune else INTERCOMMUNAL
        if taken[key] < len(available[key]):
            proposal.latitude, proposal.longitude = available[key][taken[key]]
            taken[key] += 1


def add_photos(proposals: list[Proposal]) -> list[Path]:
    """Store the photo of each proposal whose title has one (PHOTOS); return the files written
    (the caller commits, and removes them if that fails: images.removed_unless_committed)."""
    prepared = {}
    written: list[Path] = []
    for proposal in proposals:
        if proposal.title not in PHOTOS or proposal.images:
            continue
        if proposal.title not in prepared:
            name, alt_text = PHOTOS[proposal.title]
            data = _demo_file(f"photos/{name}").read_bytes()
            prepared[proposal.title] = images.prepare(data, alt_text)
        written += images.store(proposal, prepared[proposal.title])
    return written
