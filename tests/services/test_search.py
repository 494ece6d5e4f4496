"""Search in French, the same on SQLite and PostgreSQL (services/search.py): accents and case do
not matter, a word typed matches the start of a word ("velo" finds "Vélos"), a typed plural
finds the singular, every word must be found, small words are ignored, and nothing typed can
break the query. Run on both databases (BUDGET_TEST_DATABASE_URL for PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from budget.domain.phases import Phase
from budget.domain.search_text import query_words, searchable
from budget.extensions import db
from budget.models import Proposal
from budget.services import search
from tests import factories


@pytest.fixture
def titles(session):
    """Proposals of one cycle, each with a title and a description."""
    w = factories.world()
    cycle = factories.cycle(w, Phase.VOTE)
    made = {}
    for title, description in [
        ("Vélos en libre-service", "Des stations de vélos près des gares."),
        ("Un vélo-cargo pour la crèche", "Pour promener les enfants."),
        ("Jardin partagé", "Des bacs à légumes et un composteur, rue de l'Église."),
        ("Éclairage du stade", "Des projecteurs économes pour les matchs du soir."),
        ("Fête des écoles", "Une scène et des gradins démontables."),
        ("Cœur de village piéton", "Moins de voitures place de la mairie."),
    ]:
        proposal = factories.project(cycle, w.north, title, 1_000, w.users["alice"])
        proposal.description = description
        made[title] = proposal
    db.session.commit()
    return made


def found(query: str) -> set[str]:
    condition = search.matches(query)
    statement = select(Proposal.title)
    if condition is not None:
        statement = statement.where(condition)
    return set(db.session.scalars(statement))


@pytest.mark.parametrize("query", ["velo", "vélo", "VELO", "Vélos", "velos", " vélo "])
def test_velo_finds_the_bicycles_whatever_the_accents_case_and_plural(titles, query):
    assert found(query) == {"Vélos en libre-service", "Un vélo-cargo pour la crèche"}


def test_a_word_of_the_description_finds_its_proposal(titles):
    assert found("composteur") == {"Jardin partagé"}
    assert found("eglise") == {"Jardin partagé"}  # "l'Église": the apostrophe splits words


def test_every_word_typed_must_be_found(titles):
    assert found("velo libre") == {"Vélos en libre-service"}
    assert found("velo stade") == set()


def test_a_word_matches_the_start_of_words_only(titles):
    assert found("clairage") == set()  # inside "éclairage", not its start
    assert found("eclair") == {"Éclairage du stade"}


def test_ligatures_and_accents_are_searched_as_plain_letters(titles):
    assert found("coeur") == {"Cœur de village piéton"}
    assert found("pieton") == {"Cœur de village piéton"}
    assert found("écoles") == {"Fête des écoles"}


def test_small_words_alone_search_nothing_and_filter_nothing(titles):
    assert search.matches("les des de la") is None
    assert search.matches("") is None and search.matches("  !? ") is None
    assert found("les velos") == found("velos")


@pytest.mark.parametrize("query", ["velo:* | !stade", "velo'); DROP TABLE proposals; --",
                                   "%", "_", "\\", "velo & (", "<script>", "é" * 300])
def test_what_is_typed_never_breaks_the_query(titles, query):
    found(query)  # no database error: only letters and digits reach the query
    assert all(word.isalnum() and word.isascii() for word in query_words(query))


def test_the_searchable_text_follows_the_title_and_description(titles):
    proposal = titles["Jardin partagé"]
    proposal.title = "Verger partagé"
    db.session.commit()
    assert found("verger") == {"Verger partagé"}
    assert found("jardin") == set()
    assert proposal.search_text == searchable("Verger partagé", proposal.description)


def test_a_query_keeps_at_most_eight_words():
    assert len(query_words(" ".join(f"mot{n}" for n in range(20)))) == 8
