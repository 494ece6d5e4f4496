"""Eligibility rules and census files, without an app."""
from __future__ import annotations

import re
from datetime import date, datetime

from budget.domain.census_file import MAX_BYTES, read_census
from budget.domain.eligibility import (Declaration, EligibilityRules, Proof, age_on,
                                       appeal_deadline, new_access_code, normalize_code,
                                       normalize_identifier, refusals)

TODAY = date(2027, 1, 10)
AGE_16 = EligibilityRules(minimum_age=16, reference_date=date(2027, 3, 1))


def fields(problems) -> list[str]:
    return [problem.field for problem in problems]


def test_age_counts_full_years_on_the_reference_date():
    assert age_on(date(2011, 3, 1), date(2027, 3, 1)) == 16
    assert age_on(date(2011, 3, 2), date(2027, 3, 1)) == 15
    # Born on 29 February: a year older on 1 March in common years.
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_a_voter_old_enough_on_the_reference_date_is_eligible_even_if_younger_today():
    assert refusals(AGE_16, Declaration(date(2011, 2, 20), False), TODAY) == []


def test_too_young_is_refused_with_the_age_and_the_date():
    [problem] = refusals(AGE_16, Declaration(date(2011, 3, 2), False), TODAY)
    assert problem.field == "birth_date"
    assert problem.params == {"age": 16, "date": date(2027, 3, 1)}


def test_a_missing_or_future_birth_date_is_refused():
    assert fields(refusals(AGE_16, Declaration(None, False), TODAY)) == ["birth_date"]
    [future] = refusals(AGE_16, Declaration(date(2028, 1, 1), False), TODAY)
    assert "future" in future.message


def test_the_sworn_statement_is_required_when_the_rule_asks_for_it():
    rules = EligibilityRules(sworn_residence=True)
    assert fields(refusals(rules, Declaration(None, False), TODAY)) == ["sworn_residence"]
    assert refusals(rules, Declaration(None, True), TODAY) == []


def test_every_broken_rule_is_reported_at_once():
    rules = EligibilityRules(minimum_age=16, reference_date=date(2027, 3, 1),
                             sworn_residence=True)
    assert fields(refusals(rules, Declaration(date(2020, 1, 1), False), TODAY)) == [
        "birth_date", "sworn_residence"]


def test_a_census_cycle_needs_the_birth_date_even_without_an_age_rule():
    rules = EligibilityRules(proof=Proof.CENSUS)
    assert rules.needs_birth_date and rules.asks_anything
    assert fields(refusals(rules, Declaration(None, False), TODAY)) == ["birth_date"]


def test_no_rule_asks_nothing():
    assert not EligibilityRules().asks_anything
    assert refusals(EligibilityRules(), Declaration(None, False), TODAY) == []


def test_rules_problems_name_their_fields():
    assert fields(EligibilityRules(minimum_age=0).problems()) == ["minimum_age"]
    assert fields(EligibilityRules(minimum_age=200, reference_date=TODAY).problems()) == [
        "minimum_age"]
    assert fields(EligibilityRules(minimum_age=16).problems()) == ["reference_date"]
    assert AGE_16.problems() == []


def test_rules_round_trip_through_stored_params():
    rules = EligibilityRules(minimum_age=16, reference_date=date(2027, 3, 1),
                             sworn_residence=True, proof=Proof.ACCESS_CODE)
    assert EligibilityRules.from_params(rules.as_params()) == rules
    assert EligibilityRules.from_params(None) == EligibilityRules()


def test_the_appeal_period_is_two_calendar_months():
    assert appeal_deadline(datetime(2027, 3, 15, 18)) == datetime(2027, 5, 15, 18)
    assert appeal_deadline(datetime(2026, 12, 31)) == datetime(2027, 2, 28)
    assert appeal_deadline(datetime(2027, 11, 30)) == datetime(2028, 1, 30)


def test_access_codes_are_random_and_use_an_unambiguous_alphabet():
    codes = {new_access_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)
    assert normalize_code(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"


def test_identifiers_are_compared_without_spaces_dots_dashes_or_case():
    assert normalize_identifier(" 12 345.678-a ") == normalize_identifier("12345678A")


def test_a_census_file_reads_french_dates_iso_dates_and_both_separators():
    parsed = read_census("identifiant;date_de_naissance\nA1;02/03/1980\n\nb-2;1990-12-31\n"
                         .encode(), TODAY)
    assert parsed.problems == []
    assert parsed.people == {"A1": date(1980, 3, 2), "B2": date(1990, 12, 31)}
    assert parsed.line_of == {"A1": 2, "B2": 4}
    comma = read_census(b"\xef\xbb\xbfidentifier,birth_date\nX9,01/01/1970\n", TODAY)
    assert comma.people == {"X9": date(1970, 1, 1)}


def test_a_census_file_reports_every_bad_line_with_its_number():
    data = ("identifiant;date_de_naissance\nA1;02/03/1980\n;01/01/1990\nB2;31/02/1990\n"
            "C3\nA1;03/03/1980\nD4;01/01/2030\n").encode()
    parsed = read_census(data, TODAY)
    assert [p.params["line"] for p in parsed.problems] == [3, 4, 5, 6, 7]


def test_a_person_listed_twice_is_kept_once():
    parsed = read_census(b"identifiant;date_de_naissance\nA1;02/03/1980\na 1;1980-03-02\n",
                         TODAY)
    assert (parsed.problems, parsed.people, parsed.repeats) == ([], {"A1": date(1980, 3, 2)}, 1)


def test_a_census_file_needs_its_header_some_people_and_a_sane_size():
    assert read_census(b"A1;02/03/1980\n", TODAY).problems[0].message.startswith("Line 1")
    assert read_census(b"identifiant;date_de_naissance\n", TODAY).problems
    assert "5 MB" in read_census(b"x" * (MAX_BYTES + 1), TODAY).problems[0].message


def test_a_windows_1252_census_file_is_read():
    data = "Identifiant;Date de naissance\nÉ1;02/03/1980\n".encode("cp1252")
    assert read_census(data, TODAY).people == {"É1": date(1980, 3, 2)}
