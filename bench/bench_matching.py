"""Time campaigns.matching.learner_match against the learners of one birthdate.

    .venv/bin/python bench/bench_matching.py [--candidates 50] [--seconds 1]

A 100,000-learner organization has ~30 learners sharing a birthdate (about 9 school years of 365 days); 50
candidates is a pessimistic case. Every candidate has three given names and half have a usage name. Four
scenarios: a strict match on the first slot, a typo found by the tolerant pass, a name found nowhere (both passes
over every slot), and twins both close to what was typed (ambiguous). Times are process CPU time (best of several
runs), so that other processes on a busy machine weigh less; compare them only on the same machine.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from campaigns.matching import Candidate, learner_match  # noqa: E402

GIVEN_NAMES = ["Léa", "Hugo", "Chloé", "Lucas", "Manon", "Théo", "Inès", "Nathan", "Camille", "Maël", "Zoé", "Noah",
               "Jade", "Louis", "Anaïs", "Gabriel", "Éloïse", "Raphaël", "Océane", "Mathéo", "Marie-Anne",
               "Jean-Baptiste", "Loïc", "Maëlys", "Clément", "Anne", "Sophie", "Élodie", "Bastien", "Mathilde"]
FAMILY_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                "Le Goff", "D'Almeida", "N'Diaye", "Lefèbvre", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
                "Fontaine", "Rousseau", "Vincent", "Müller", "Nguyen", "Da Silva", "Mercier", "Boyer", "Blanc"]


def make_candidates(count: int, rng: random.Random) -> list[Candidate]:
    return [
        Candidate(id=index, first_name=rng.choice(GIVEN_NAMES), second_first_name=rng.choice(GIVEN_NAMES),
                  third_first_name=rng.choice(GIVEN_NAMES), family_name=rng.choice(FAMILY_NAMES).upper(),
                  usage_name=rng.choice(FAMILY_NAMES) if rng.random() < 0.5 else None)
        for index in range(count)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=50, help="learners sharing the birthdate (default 50)")
    parser.add_argument("--seconds", type=float, default=1.0, help="time spent per scenario, about (default 1)")
    args = parser.parse_args(argv)
    rng = random.Random(2024)
    candidates = make_candidates(args.candidates - 3, rng)
    candidates += [Candidate(id=-1, first_name="Maximilien", family_name="Vasseur-Delacroix"),
                   Candidate(id=-2, first_name="Allan", family_name="Kerouanton"),
                   Candidate(id=-3, first_name="Alian", family_name="Kerouanton")]
    rng.shuffle(candidates)
    scenarios = {
        "strict": ("maximilien", "VASSEUR DELACROIX"),
        "tolerant": ("Maxmilien", "Vaseur-Delacroix"),
        "no_match": ("Bérénice", "Castelnau-Magnoac"),
        "ambiguous": ("Alan", "Kerouanton"),
    }
    results = {}
    for scenario, (first_name, last_name) in scenarios.items():
        def call():
            return learner_match(first_name=first_name, last_name=last_name, candidates=candidates)

        timer = timeit.Timer(call, timer=time.process_time)
        number, elapsed = timer.autorange()
        repeat = max(3, int(args.seconds / max(elapsed, 1e-9)))
        best = min(timer.repeat(repeat=repeat, number=number)) / number
        results[scenario] = {"reason": str(call().reason), "us_per_call": round(best * 1e6, 1)}
    print(json.dumps({"candidates": len(candidates), "python": sys.version.split()[0], "scenarios": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
