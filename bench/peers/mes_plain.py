"""The floor peer of bench/targets.py: the Method of Equal Shares (utility = cost, no
completion) on an approval Pabulib file, as plainly as equalshares.net describes it: floats,
a loop over voters, the csv module. One file, the standard library only, nothing from budget.

    python bench/peers/mes_plain.py FILE.pb

Prints `selected (N): id id ...` in selection order, as `python -m budget.tally FILE --rule mes`
does. Ties (equal effective vote counts in floats) go to the smaller id as a string, the
default order of pabutools and of our engine.
"""
import csv
import sys


def read(path):
    """(budget, {project: cost}, {project: [voter, ...]}, number of voters)."""
    meta, costs, approvers, voters = {}, {}, {}, 0
    section, header = None, None
    with open(path, newline="", encoding="utf-8-sig") as file:
        for row in csv.reader(file, delimiter=";"):
            if not row:
                continue
            name = row[0].strip().lower()
            if name in ("meta", "projects", "votes"):
                section, header = name, None
            elif header is None:
                header = [cell.strip() for cell in row]
            elif section == "meta":
                meta[row[0].strip()] = row[1].strip()
            elif section == "projects":
                cells = dict(zip(header, row))
                costs[row[0].strip()] = float(cells["cost"].replace(",", "."))
                approvers[row[0].strip()] = []
            else:
                cells = dict(zip(header, row))
                for project in cells["vote"].split(","):
                    if project.strip():
                        approvers[project.strip()].append(voters)
                voters += 1
    return float(meta["budget"].replace(",", ".")), costs, approvers, voters


def equal_shares(budget, costs, approvers, voters):
    """Winners in selection order."""
    share = [budget / voters] * voters
    # the effective vote count of a project in the last round it was looked at (an upper
    # bound of its current one): projects are looked at from the highest down
    remaining = {p: float(len(approvers[p])) for p in sorted(costs)
                 if costs[p] > 0 and approvers[p]}
    winners = []
    while True:
        best, best_count = [], 0.0
        for p in sorted(remaining, key=remaining.get, reverse=True):
            if remaining[p] < best_count:
                break
            cost = costs[p]
            if sum(share[i] for i in approvers[p]) < cost:
                del remaining[p]
                continue
            approvers[p].sort(key=share.__getitem__)
            paid, payers = 0.0, len(approvers[p])
            for i in approvers[p]:
                payment = (cost - paid) / payers
                if payment > share[i]:
                    paid += share[i]
                    payers -= 1
                else:
                    count = cost / payment
                    remaining[p] = count
                    if count > best_count:
                        best, best_count = [p], count
                    elif count == best_count:
                        best.append(p)
                    break
        if not best:
            return winners
        chosen = min(best)
        winners.append(chosen)
        del remaining[chosen]
        payment = costs[chosen] / best_count
        for i in approvers[chosen]:
            share[i] = share[i] - payment if share[i] > payment else 0.0


def main():
    winners = equal_shares(*read(sys.argv[1]))
    print(f"selected ({len(winners)}): {' '.join(winners)}")


if __name__ == "__main__":
    main()
