"""Why each project won or lost, from a rule's details, as plain JSON-safe data.

The web layer turns these into sentences. Kinds:
* `greedy-selected` / `greedy-skipped` (did not fit: `remaining_before` vs `cost`) /
  `greedy-below-threshold` / `greedy-not-reached`;
* `mes-funded`: `supporters` paid `price` each at most (some paid their whole remaining share);
* `mes-short`: its supporters' remaining shares (`available`) could not cover its `cost`;
* `completion-selected` / `completion-skipped`: the greedy step that spends what MES left;
* `phragmen-funded` (in `round`) / `phragmen-stopped` (its turn came, `money_left` was short:
  the rule ends there) / `phragmen-not-reached`;
* `welfare-funded` / `welfare-left-out`: in or out of the most satisfying set that fits.
Money values are rounded to the cent for display only; decisions were exact.
"""
from __future__ import annotations

from typing import Mapping


def _money(value) -> float:
    return round(float(value), 2)


def _from_greedy(greedy: Mapping, prefix: str) -> dict[str, dict]:
    return {row["project"]: {"kind": f"{prefix}-{row['status']}", "score": _money(row["score"]),
                             "remaining_before": _money(row["remaining_before"])}
            for row in greedy.get("examined", ())}


def _from_mes(mes: Mapping) -> dict[str, dict]:
    explained = {}
    for step in mes.get("rounds", ()):
        payers = step.get("payers", ())
        price = step.get("price", step.get("price_per_point"))
        explained[step["project"]] = {
            "kind": "mes-funded", "supporters": sum(p["voters"] for p in payers),
            "price": _money(price),
            "capped": sum(p["voters"] for p in payers if p["paid"] == p["budget_before"]),
        }
    for row in mes.get("not_selected", ()):
        explained[row["project"]] = {"kind": "mes-short", "supporters": row["supporters"],
                                     "available": _money(row["available"])}
    return explained


def _from_phragmen(phragmen: Mapping, ids) -> dict[str, dict]:
    explained = {pid: {"kind": "phragmen-not-reached"} for pid in ids}
    for number, step in enumerate(phragmen.get("rounds", ()), start=1):
        if "project" in step:
            explained[step["project"]] = {"kind": "phragmen-funded", "round": number}
        else:
            explained[step["stopped_at"]] = {"kind": "phragmen-stopped",
                                             "money_left": _money(step["money_left"])}
    return explained


def explain(details: Mapping, selected=(), ids=()) -> tuple[dict[str, dict], dict]:
    """(per project id: its explanation, rule-wide facts such as the share per voter).

    selected and ids (every project id) serve the rules whose details do not name every
    project (Phragmén, max-welfare)."""
    if "welfare" in details:
        chosen = set(selected)
        return {pid: {"kind": "welfare-funded" if pid in chosen else "welfare-left-out"}
                for pid in ids}, {}
    if "rounds" in details and "voter_budget" not in details:
        return _from_phragmen(details, ids), {}
    if "mes" in details:  # MES completed by greedy
        explained = _from_mes(details["mes"] or {})
        if details.get("greedy"):
            explained.update({pid: row for pid, row in
                              _from_greedy(details["greedy"], "completion").items()
                              if pid not in explained or row["kind"] == "completion-selected"})
        return explained, {"share_per_voter": _money(details["mes"].get("voter_budget", 0))}
    if "rounds" in details and "voter_budget" in details:
        return _from_mes(details), {"share_per_voter": _money(details["voter_budget"])}
    if "examined" in details:
        return _from_greedy(details, "greedy"), {}
    return {}, {}
