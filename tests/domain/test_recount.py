from budget.domain import recount

FACTS = {"engine_rule": "mes-add1", "fingerprint": "a" * 64, "run_fingerprint": "b" * 64,
         "engine_version": "1", "tie_order": "3,1,2"}


def test_facts_round_trip_through_the_comment():
    comment = recount.encode(FACTS)
    assert comment.startswith("#1: ") and ";" not in comment and "\n" not in comment
    assert recount.decode({"comment": comment}) == FACTS


def test_plain_meta_keys_are_read_too_and_other_comments_ignored():
    assert recount.decode({"fingerprint": "c" * 64}) == {"fingerprint": "c" * 64}
    assert recount.decode({"comment": "#1: a note from the city"}) == {}
    assert recount.decode({"comment": "free text=1"}) == {}
