"""Simulate students taking adaptive tests on the content bank: how long the tests are, how well they place.

    .venv/bin/python bench/simulate_assessment.py [--students 500] [--seed 1] [--noise 0.1]

No server: Django runs on a temporary SQLite database, migrated, with the bank loaded by ``content_load``. Every
active skill with its validated challenges is read from ``content.models``; then each simulated student has a true
level per tube (drawn from 0 to the tube's highest level) and answers right when a skill's level is at most their
true level, except that with probability ``--noise`` they slip or guess (the answer is flipped). Each student takes
« Les 16 compétences » (every active skill) and a placement on one competence (students take turns over the
competences), starting with no knowledge, through ``assessments.engine`` only (``next_challenge`` and
``knowledge_after``, as the services call them).

It prints figures, no assertions: the number of questions (mean, median, p90, max), the share of tubes whose
estimated level (the final floor) equals the true level, and the time per ``next_challenge`` call.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assessments.engine import (  # noqa: E402
    ChallengeOption,
    SkillCandidate,
    TubeKnowledge,
    knowledge_after,
    next_challenge,
)


@dataclass
class Figures:
    """What one kind of test gave over every student."""

    questions: list[int] = field(default_factory=list)
    tubes: int = 0
    tubes_exact: int = 0
    tubes_within_one: int = 0
    tubes_unsettled: int = 0  # tubes with a skill still untested at the end (out of reach: > L + 2)
    call_seconds: list[float] = field(default_factory=list)


def bank_load() -> tuple[list[SkillCandidate], dict[str, str]]:
    """Set Django up on a fresh SQLite file, load the bank, and read the engine's input from ``content.models``.

    Returns every active skill with its validated challenges, and each tube's competence code.
    """
    folder = tempfile.mkdtemp(prefix="pixorga-simulate-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("content_load", verbosity=0, stdout=io.StringIO())  # its summary: the "Bank:" line below

    from content.models import Challenge, Skill

    options: dict[int, list[ChallengeOption]] = defaultdict(list)
    for challenge_id, skill_id, timer in (
        Challenge.objects.filter(status=Challenge.Status.VALIDATED, skill__status=Skill.Status.ACTIVE)
        .order_by("skill_id", "id").values_list("id", "skill_id", "timer")
    ):
        options[skill_id].append(ChallengeOption(challenge_id, timer is not None))
    skills, competence_of_tube = [], {}
    for skill_id, name, tube, level, competence in (
        Skill.objects.filter(status=Skill.Status.ACTIVE)
        .order_by("name").values_list("id", "name", "tube__name", "level", "tube__competence__code")
    ):
        competence_of_tube[tube] = competence
        if options[skill_id]:
            skills.append(SkillCandidate(name, tube, level, tuple(options[skill_id])))
    return skills, competence_of_tube


def student_test_run(skills: list[SkillCandidate], answer: Callable[[SkillCandidate], bool], *, seed: int,
             figures: Figures) -> dict[str, TubeKnowledge]:
    """One student's whole test, as the services run it; returns the final knowledge by tube."""
    by_name = {skill.name: skill for skill in skills}
    timed = {option.id: option.timed for skill in skills for option in skill.challenges}
    knowledge: dict[str, TubeKnowledge] = {}
    direct: list[tuple[int, bool]] = []
    answered: set[str] = set()
    last_timed = False
    while True:
        started = time.perf_counter()
        pick = next_challenge(skills=skills, knowledge=knowledge, direct=direct, last_timed=last_timed, seed=seed,
                              answered=frozenset(answered))
        figures.call_seconds.append(time.perf_counter() - started)
        if pick is None:
            break
        skill = by_name[pick.skill]
        ok = answer(skill)
        knowledge[skill.tube] = knowledge_after(knowledge.get(skill.tube), level=skill.level, ok=ok)
        direct.append((skill.level, ok))
        answered.add(pick.challenge_id)
        last_timed = timed[pick.challenge_id]
    figures.questions.append(len(direct))
    return knowledge


def placement_score(figures: Figures, knowledge: dict[str, TubeKnowledge], true_levels: dict[str, int],
                    max_levels: dict[str, int]) -> None:
    for tube, true_level in true_levels.items():
        final = knowledge.get(tube, TubeKnowledge())
        expected = min(true_level, max_levels[tube])
        figures.tubes += 1
        figures.tubes_exact += final.floor == expected
        figures.tubes_within_one += abs(final.floor - expected) <= 1
        figures.tubes_unsettled += final.floor + 1 < min(final.ceiling or max_levels[tube] + 1, max_levels[tube] + 1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(title: str, figures: Figures) -> None:
    questions = figures.questions
    calls = figures.call_seconds
    print(f"\n{title}")
    print(f"  questions per test: mean {statistics.mean(questions):.1f}, median {statistics.median(questions):g}, "
          f"p90 {percentile(questions, 0.9):g}, min {min(questions)}, max {max(questions)}")
    print(f"  tubes placed at their true level: {figures.tubes_exact / figures.tubes:.1%} "
          f"(within one level: {figures.tubes_within_one / figures.tubes:.1%}; {figures.tubes} tubes)")
    print(f"  tubes left with an untested level (out of reach at the end): "
          f"{figures.tubes_unsettled / figures.tubes:.1%}")
    print(f"  next_challenge: mean {statistics.mean(calls) * 1e6:.0f} µs, p95 {percentile(calls, 0.95) * 1e6:.0f} µs, "
          f"max {max(calls) * 1e3:.2f} ms per call ({len(calls)} calls)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=500, help="simulated students (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the students (default 1)")
    parser.add_argument("--noise", type=float, default=0.1,
                        help="probability that an answer is flipped: a slip or a lucky guess (default 0.1)")
    args = parser.parse_args(argv)

    loading = time.perf_counter()
    skills, competence_of_tube = bank_load()
    loading = time.perf_counter() - loading
    max_levels: dict[str, int] = defaultdict(int)
    for skill in skills:
        max_levels[skill.tube] = max(max_levels[skill.tube], skill.level)
    skills_by_competence: dict[str, list[SkillCandidate]] = defaultdict(list)
    for skill in skills:
        skills_by_competence[competence_of_tube[skill.tube]].append(skill)
    competences = sorted(skills_by_competence)
    challenges = sum(len(skill.challenges) for skill in skills)
    timed = sum(option.timed for skill in skills for option in skill.challenges)
    print(f"Bank: {len(competences)} competences, {len(max_levels)} tubes, {len(skills)} active skills, "
          f"{challenges} validated challenges ({timed} timed); loaded in {loading:.1f} s")
    print(f"{args.students} students, noise {args.noise:g}, seed {args.seed}")
    if not skills:
        print("No active skill with a validated challenge: nothing to simulate.")
        return 0

    rng = random.Random(args.seed)
    whole, placement = Figures(), Figures()
    for student in range(args.students):
        true_levels = {tube: rng.randint(0, top) for tube, top in sorted(max_levels.items())}

        def answer(skill: SkillCandidate) -> bool:
            right = skill.level <= true_levels[skill.tube]
            return right != (rng.random() < args.noise)

        knowledge = student_test_run(skills, answer, seed=args.seed * 1_000_003 + student, figures=whole)
        placement_score(whole, knowledge, true_levels, max_levels)

        competence = competences[student % len(competences)]
        own = skills_by_competence[competence]
        knowledge = student_test_run(own, answer, seed=args.seed * 1_000_003 + args.students + student,
                                     figures=placement)
        placement_score(placement, knowledge, {skill.tube: true_levels[skill.tube] for skill in own}, max_levels)

    report(f"« Les 16 compétences » ({len(skills)} skills, {len(max_levels)} tubes)", whole)
    sizes = [len(skills_by_competence[code]) for code in competences]
    report(f"Single-competence placement ({min(sizes)}–{max(sizes)} skills per competence, "
           f"each student one competence in turn)", placement)
    return 0


if __name__ == "__main__":
    sys.exit(main())
