"""The Method of Equal Shares, one engine, by role:

* rule.py: `mes`, `mes-cardinality`, `mes-points` (run_rule, equal_shares, the details);
* completion.py: `mes-greedy` and pabutools' `mes-add1`; add1_net.py and comparison.py:
  equalshares.net's Add1 and its comparison with greedy;
* core.py: the normal path, the rounds in C (rounds.c, in the `_mescore` extension);
  explained.py: a run's exact explanation from the core's walk of its winners;
* close_call.py, state.py, walk.py, patterns.py, history.py: the Python state that decides
  what the core leaves as too close to call in floats, and replays a run's winners for the
  exact explanation when the core's walk of them is too close to call;
* points_core.py: `mes-points` in C (points.c: proven float intervals choose each round, an
  exact replay in Python ints explains it); points.py: Additive_Cardinal_Sat in scaled
  integers, which decides the rounds too close to call in floats;
* exact.py: the all-Fraction reference, and the engine of a pure-Python install.
"""
