"""Money, numbers, counts and French punctuation as people read them (budget/formatting.py)."""
import re

import pytest
from flask_babel import force_locale

from budget.formatting import euros, euros_cents, number, percent, plural, punctuation

N, NBSP = "\u202f", "\u00a0"
EN = {"Accept-Language": "en"}


@pytest.fixture
def in_request(app):
    with app.test_request_context():
        yield


def test_french_money_and_numbers_use_narrow_no_break_spaces(in_request):
    with force_locale("fr"):
        assert euros(300_652) == f"300{N}652{NBSP}€"
        assert euros(5) == f"5{NBSP}€"
        assert euros_cents(151.37) == f"151,37{NBSP}€"
        assert euros(1_234_567.5) == f"1{N}234{N}568{NBSP}€"
        assert number(7260) == f"7{N}260" and number(12.5) == "12,5"
        assert percent(1, 8) == f"12,5{NBSP}%" and percent(3, 0) == f"0,0{NBSP}%"


def test_english_money_and_numbers(in_request):
    with force_locale("en"):
        assert euros(300_652) == "€300,652"
        assert euros_cents(151.37) == "€151.37"
        assert number(7260) == "7,260"
        assert percent(1, 8) == "12.5%"


def test_counts_take_the_plural_of_each_language(in_request):
    with force_locale("fr"):
        assert plural("%(num)d intercommunality created", "%(num)d intercommunalities created",
                      1) == "1 intercommunalité créée"
        assert plural("%(num)d of %(count)s ballots typed", "%(num)d of %(count)s ballots typed",
                      0, count=number(12)) == "0 bulletin saisi sur 12"
        assert plural("%(num)d ballot.", "%(num)d ballots.", 7260) == f"7{N}260 bulletins."
    with force_locale("en"):
        assert plural("%(num)d intercommunality created", "%(num)d intercommunalities created",
                      0) == "0 intercommunalities created"
        assert plural("%(num)d ballot.", "%(num)d ballots.", 7260) == "7,260 ballots."


def test_french_punctuation_takes_a_narrow_no_break_space_english_does_not(in_request):
    with force_locale("fr"):
        assert punctuation(";") == f"{N};" and punctuation(")") == ")"
    with force_locale("en"):
        assert punctuation(";") == ";"


def test_no_french_message_has_an_ordinary_space_before_high_punctuation():
    from babel.messages.pofile import read_po

    with open("budget/translations/fr/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    wrong = [message.id for message in catalog if message.id for text in (
        message.string if isinstance(message.string, tuple) else (message.string,))
        if re.search(r"[ \u00a0][:;!?»]|«[ \u00a0]", text)]
    assert wrong == []


def test_the_accessibility_statement_puts_its_semicolons_the_french_way(browser):
    page = browser.get("/accessibility").get_data(as_text=True)
    assert f"</a>{N};</li>" in page
    assert "</a>;</li>" in browser.get("/accessibility", headers=EN).get_data(as_text=True)
