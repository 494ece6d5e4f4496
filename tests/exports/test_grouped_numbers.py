"""Pages that show amounts and counts group their digits: '4 000', never a bare '4000'."""
import re

N, NBSP = "\u202f", "\u00a0"
BARE_NUMBER = re.compile(r"(?<![\d\w.,#/:-])\d{4,}(?![\d\w])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_results_page_has_no_bare_four_digit_amount_or_count(browser, published):
    """Every amount, vote count and population on the results page is grouped: '4 000',
    never '4000' (years and fingerprints aside)."""
    text = visible_text(browser.get(f"/cycles/{published.cycle.id}/results")
                        .get_data(as_text=True))
    bare = [n for n in BARE_NUMBER.findall(text) if not re.fullmatch(r"20\d\d", n)]
    assert bare == []
    assert f"10{N}000{NBSP}€" in text


def test_the_cycle_form_writes_populations_grouped(make_browser, w):
    """Sudville has 3000 inhabitants: 'Population : 3 000', not 'Population : 3000'."""
    from budget.domain.phases import Phase
    from tests import factories

    cycle = factories.cycle(w, Phase.UPCOMING)
    staff = make_browser()
    staff.login("staff@example.fr")
    text = visible_text(staff.get(f"/staff/cycles/{cycle.id}/edit").get_data(as_text=True))
    assert f"Population{N}: 3{N}000" in text
