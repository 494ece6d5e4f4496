"""The discussion's rules alone: safe links from plain text, the edit window, replies one
level deep, the phases comments may be opened in."""
from datetime import datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from budget.domain.discussion import (EDIT_WINDOW, check_body, check_comment_phases,
                                      check_reply_target, linked_html, may_edit)
from budget.domain.errors import DomainError


def test_a_script_is_escaped_and_never_run():
    assert linked_html("<script>alert(1)</script>") == \
        "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_javascript_link_stays_plain_text():
    html = linked_html('javascript:alert(1) <a href="javascript:alert(2)">x</a>')
    assert "<a " not in html and "&lt;a href=&quot;javascript:alert(2)&quot;&gt;" in html


def test_web_addresses_become_links_the_site_does_not_vouch_for():
    html = linked_html("Voir https://exemple.fr/plan?a=1&b=2, puis http://a.fr.")
    assert html == ('Voir <a href="https://exemple.fr/plan?a=1&amp;b=2" '
                    'rel="nofollow ugc noopener">https://exemple.fr/plan?a=1&amp;b=2</a>, '
                    'puis <a href="http://a.fr" rel="nofollow ugc noopener">http://a.fr</a>.')


def test_a_quote_cannot_leave_the_link_attribute():
    html = linked_html('https://a.fr/"onmouseover="alert(1)')
    assert 'href="https://a.fr/"' in html and '"onmouseover' not in html


@given(st.text(max_size=200))
def test_no_tag_but_links_ever_comes_out(text):
    html = linked_html(text)
    without_links = html.replace('rel="nofollow ugc noopener">', "").replace("</a>", "")
    assert "<" not in without_links.replace("<a href=", "")


def test_the_edit_window_is_15_minutes():
    posted = datetime(2026, 12, 7, 12, 0)
    assert may_edit(posted, posted + EDIT_WINDOW)
    assert not may_edit(posted, posted + EDIT_WINDOW + timedelta(seconds=1))


def test_replies_go_one_level_deep():
    check_reply_target(None)
    with pytest.raises(DomainError):
        check_reply_target(7)


def test_an_empty_or_too_long_comment_is_refused():
    assert check_body("  Bonjour  ") == "Bonjour"
    for body in ("", "   ", "x" * 2001):
        with pytest.raises(DomainError):
            check_body(body)


def test_comment_phases_are_phases_of_the_cycle_in_order():
    assert check_comment_phases(["review", "proposals"]) == ("proposals", "review")
    assert check_comment_phases([]) == ()
    with pytest.raises(DomainError):
        check_comment_phases(["upcoming"])
