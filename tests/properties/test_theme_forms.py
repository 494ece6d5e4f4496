"""What staff send when they name a cycle's themes: names and descriptions of any length and
alphabet, icons that do not exist, themes of another cycle or of none, people who are not the
cycle's staff."""
import pytest
from hypothesis import given, strategies as st

from budget.domain.themes import ICONS
from budget.extensions import db
from budget.services import themes
from budget.services.policy import SYSTEM_OPERATOR
from tests.properties.conftest import anything_or, check, form, path_id

ROUTES = {"/staff/cycles/<int:cycle_id>/themes",
          "/staff/cycles/<int:cycle_id>/themes/<int:theme_id>",
          "/staff/cycles/<int:cycle_id>/themes/<int:theme_id>/delete"}


@pytest.fixture
def theme(staff_scene):
    made = themes.create_theme(SYSTEM_OPERATOR, staff_scene.s.proposals, themes.ThemeDraft(
        name="Mobilités", description="Vélos, bus.", icon=next(iter(ICONS))))
    db.session.commit()
    return made


@given(data=st.data())
def test_themes(staff_scene, theme, session, data):
    s = staff_scene.s
    cycle_id = data.draw(path_id(s.proposals.id, s.vote.id))
    url = data.draw(st.sampled_from([
        f"/staff/cycles/{cycle_id}/themes",
        f"/staff/cycles/{cycle_id}/themes/{data.draw(path_id(theme.id))}",
        f"/staff/cycles/{cycle_id}/themes/{data.draw(path_id(theme.id))}/delete"]))
    sent = data.draw(form(name=anything_or("Nature", "Mobilités", "x" * 200),
                          description=anything_or("", "Des arbres.", "y" * 2_000),
                          icon=anything_or(*ICONS, "unknown")))
    who = data.draw(st.sampled_from(["staff", "northclerk", "alice", None]))
    browser = s.browsers[who] if who in s.browsers else staff_scene.browsers[who]
    check(session, lambda: browser.send(url, sent))
