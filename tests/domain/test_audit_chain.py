from budget.domain.audit_chain import GENESIS, Break, canonical, entry_hash, first_break


def chain(count: int) -> list[tuple[dict, str, str]]:
    entries, previous = [], GENESIS
    for seq in range(1, count + 1):
        fields = {"seq": seq, "action": "cycle.update", "after": {"title": f"v{seq}"}}
        digest = entry_hash(fields, previous)
        entries.append((fields, previous, digest))
        previous = digest
    return entries


def test_canonical_json_ignores_key_order_and_spacing():
    assert canonical({"b": 1, "a": [1, "é"]}) == canonical({"a": [1, "é"], "b": 1})
    assert canonical({"a": 1}) == b'{"a":1}'


def test_an_intact_chain():
    entries = chain(4)
    assert first_break(entries) == (None, 4, entries[-1][2])
    assert first_break([]) == (None, 0, GENESIS)


def test_each_kind_of_tampering_is_found_where_it_happened():
    entries = chain(4)
    edited = list(entries)
    edited[1] = (dict(entries[1][0], after={"title": "forged"}), *entries[1][1:])
    assert first_break(edited)[0] == Break(2, "edited")
    assert first_break(entries[:1] + entries[2:])[0] == Break(3, "gap")
    assert first_break([entries[1], entries[0]] + entries[2:])[0] == Break(2, "gap")
    relinked = list(entries)
    fields = dict(entries[2][0], after={"title": "forged"})
    relinked[2] = (fields, entries[2][1], entry_hash(fields, entries[2][1]))
    assert first_break(relinked)[0] == Break(4, "unlinked")
