"""Search in proposals' titles and descriptions, in French, on either database.

The one interface: `matches(query)`, a condition on Proposal to put in a `where`, or None
when the query holds no word to look for (then nothing is filtered).

Both databases search the same stored text, `Proposal.search_text` (lower case, no accents:
domain/search_text.py), for every word typed, as the start of a word:
  * PostgreSQL: full-text search with its `french` configuration (French stemming and stop
    words), each word a prefix (`velo:*`), on a GIN index (migration 4b8e1f0c9d21);
  * SQLite: the same words as word prefixes (`LIKE '% velo%'`) on the same stored text.
So "velo" and "vélo" find "Vélos en libre-service" on both. PostgreSQL's stemmer may match a
few more forms of a word ("nationale" and "nationaux" share a stem), never fewer.

Accents are taken off in Python rather than with PostgreSQL's `unaccent` extension: the two
databases then see the very same text, and no extension needs installing on the server.
"""
from __future__ import annotations

from sqlalchemy import and_, func, or_
from sqlalchemy.sql.elements import ColumnElement

from budget.domain.search_text import query_words
from budget.extensions import db
from budget.models import Proposal


def matches(query: str, column=Proposal.search_text) -> ColumnElement[bool] | None:
    """Proposals whose title or description holds every word of `query` (see above); with
    `column`, the rows of another table that stores its text the same way (the catalogue's
    `CatalogueEntry.search_text`, indexed likewise)."""
    words = query_words(query)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        terms = " & ".join(f"{word}:*" for word in words)  # letters and digits only
        return func.to_tsvector("french", column).bool_op("@@")(
            func.to_tsquery("french", terms))
    return and_(*(column.like(f"% {word}%") for word in words))


def any_word(query: str, column) -> ColumnElement[bool] | None:
    """Rows of `column` (stored as above) holding at least one word of `query`: how similar
    projects are found from a proposal's title and description. None when no word is left."""
    words = query_words(query)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        terms = " | ".join(f"{word}:*" for word in words)
        return func.to_tsvector("french", column).bool_op("@@")(
            func.to_tsquery("french", terms))
    return or_(*(column.like(f"% {word}%") for word in words))
