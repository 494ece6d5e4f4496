"""A proposal started from a catalogue entry ("Reprendre ce projet")."""
from __future__ import annotations

from flask import request

from budget.services import catalogue


def prefill(form, entry_id: int | None):
    """The entry a new proposal starts from (the `from_entry` of the address, or the form's
    hidden field once sent), its title and description copied into a form just opened.
    None when there is none (or no such entry)."""
    if request.method == "POST":
        entry_id = form.inspired_by.data
    row = catalogue.entry(entry_id) if entry_id else None
    if row is None:
        return None
    if request.method == "GET":
        form.title.data = row[0].title[:120]
        form.description.data = row[0].description or row[0].title
        form.inspired_by.data = row[0].id
    return row[0]
