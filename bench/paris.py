"""A synthetic Paris-sized intercommunal election for bench/city_scale.py (issue 21), seeded.

250,000 voters in 20 communes of Zipf-like sizes (the largest about 8 times the smallest), 600
projects: 25 per commune and 100 intercommunal. Each voter approves 1 to 10 projects of their
commune and 1 to 5 intercommunal ones, chosen by Zipf-like popularity (weight 1 / rank^1.1),
so that a few projects gather most votes, as in real files. Costs are drawn log-uniformly
between 5,000 and 600,000 EUR (50,000 and 3,000,000 intercommunal); each commune's budget is a
third of its projects' total cost, the intercommunal one a quarter.

Written as 21 approval .pb files (one per commune, one intercommunal, with the same voter ids),
which `flask budget import-pb COMMUNE_FILES --intercommunal INTERCOMMUNAL_FILE` imports as one
cycle of 20 communes, one envelope per commune plus the intercommunal one, and one ballot per
voter holding both choices (250,000 ballots).

    python bench/paris.py FOLDER [--voters 250000] [--seed 21]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

COMMUNES, PER_COMMUNE, INTERCOMMUNAL = 20, 25, 100


def _popularity(count: int, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** 1.1
    rng.shuffle(weights)
    return weights / weights.sum()


def _ballots(voters: int, projects: int, most: int, rng) -> list[np.ndarray]:
    """Each voter's approved project indexes, sorted; at least one, at most `most`."""
    sizes = np.minimum(1 + rng.poisson(2.5, voters), most)
    popularity = _popularity(projects, rng)
    # Gumbel top-k: the k largest of log(weight) + Gumbel noise are a weighted draw
    # without replacement, for every voter at once.
    keys = np.log(popularity) + rng.gumbel(size=(voters, projects))
    order = np.argsort(-keys, axis=1)
    return [np.sort(order[i, :sizes[i]]) for i in range(voters)]


def _write(path: Path, unit: str, first_id: int, costs: np.ndarray, budget: int,
           voter_ids: np.ndarray, ballots: list[np.ndarray]) -> None:
    votes = np.zeros(len(costs), dtype=np.int64)
    for chosen in ballots:
        votes[chosen] += 1
    lines = ["META", "key;value", f"description;Budget participatif synthétique, {unit}",
             "country;France", "unit;Paris (synthetic)", f"instance;{unit}",
             f"num_projects;{len(costs)}", f"num_votes;{len(ballots)}", f"budget;{budget}",
             "vote_type;approval", "rule;greedy", "date_begin;2027", "date_end;2027",
             "PROJECTS", "project_id;cost;votes;name"]
    lines += [f"{first_id + i};{cost};{votes[i]};Projet {first_id + i}"
              for i, cost in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    lines += [f"{voter};{','.join(str(first_id + j) for j in chosen)}"
              for voter, chosen in zip(voter_ids, ballots)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(folder: Path, voters: int = 250_000, seed: int = 21) -> list[Path]:
    """The 21 files in `folder` (made if missing), the same for the same seed; the
    intercommunal one last."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = 1.0 / np.arange(1, COMMUNES + 1) ** 0.7
    counts = np.floor(sizes / sizes.sum() * voters).astype(int)
    counts[0] += voters - counts.sum()
    voter_ids = rng.permutation(voters) + 1_000_000
    paths, start, next_id = [], 0, 1001
    for commune, count in enumerate(counts):
        costs = np.round(np.exp(rng.uniform(np.log(5_000), np.log(600_000), PER_COMMUNE)),
                         -2).astype(int)
        ballots = _ballots(count, PER_COMMUNE, 10, rng)
        path = folder / f"France_Paris_synthetic_{commune + 1:02d}.pb"
        _write(path, f"Arrondissement {commune + 1}", next_id, costs, int(costs.sum() // 3),
               voter_ids[start:start + count], ballots)
        paths.append(path)
        start, next_id = start + count, next_id + PER_COMMUNE
    costs = np.round(np.exp(rng.uniform(np.log(50_000), np.log(3_000_000), INTERCOMMUNAL)),
                     -3).astype(int)
    path = folder / "France_Paris_synthetic_intercommunal.pb"
    _write(path, "Tout Paris", next_id, costs, int(costs.sum() // 4), voter_ids,
           _ballots(voters, INTERCOMMUNAL, 5, rng))
    return [*paths, path]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--voters", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=21)
    arguments = parser.parse_args()
    for written in generate(arguments.folder, arguments.voters, arguments.seed):
        print(written)
