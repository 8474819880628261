"""Choosing the next challenge: the first question, the estimate, each rule, and whole tests run on random banks."""

import hashlib
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import engine
from assessments.engine import (
    ChallengeOption,
    Pick,
    SkillCandidate,
    TubeKnowledge,
    estimate_level,
    knowledge_after,
    next_challenge,
    seed_index,
    skill_state,
    success_probability,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def skill(tube, level, *timers, name=None):
    """A skill ``@<tube><level>`` with one challenge per timer given (True: timed), one untimed by default."""
    timers = timers or (False,)
    name = name or f"@{tube}{level}"
    return SkillCandidate(name=name, tube=tube, level=level, challenges=tuple(
        ChallengeOption(id=f"{name[1:]}-{index}", timed=timed) for index, timed in enumerate(timers)))


def tube(name, levels, **timers_by_level):
    """Skills of a tube on the given levels; ``timed=[3]`` makes level 3's only challenge timed."""
    timed_levels = set(timers_by_level.get("timed", ()))
    return [skill(name, level, level in timed_levels) for level in levels]


def ask(skills, *, knowledge=None, direct=(), last_timed=False, seed=0, answered=frozenset()):
    return next_challenge(skills=skills, knowledge=knowledge or {}, direct=list(direct), last_timed=last_timed,
                          seed=seed, answered=frozenset(answered))


# --- Knowledge of a tube --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("knowledge, level, state", [
    (None, 1, "untested"),
    (TubeKnowledge(), 1, "untested"),
    (TubeKnowledge(floor=3), 3, "validated"),
    (TubeKnowledge(floor=3), 1, "validated"),
    (TubeKnowledge(floor=3), 4, "untested"),
    (TubeKnowledge(floor=1, ceiling=4), 4, "invalidated"),
    (TubeKnowledge(floor=1, ceiling=4), 8, "invalidated"),
    (TubeKnowledge(floor=1, ceiling=4), 3, "untested"),
    (TubeKnowledge(ceiling=1), 1, "invalidated"),
])
def test_skill_state(knowledge, level, state):
    assert skill_state(knowledge, level) == state


def test_a_success_validates_every_level_up_to_it():
    assert knowledge_after(None, level=3, ok=True) == TubeKnowledge(floor=3, ceiling=None)
    assert knowledge_after(TubeKnowledge(floor=4), level=2, ok=True) == TubeKnowledge(floor=4)
    assert knowledge_after(TubeKnowledge(floor=1, ceiling=5), level=3, ok=True) == TubeKnowledge(floor=3, ceiling=5)


def test_a_success_at_or_above_the_ceiling_lifts_it():
    # The ceiling came from an old failure the student now proves wrong.
    assert knowledge_after(TubeKnowledge(floor=1, ceiling=3), level=3, ok=True) == TubeKnowledge(floor=3)
    assert knowledge_after(TubeKnowledge(floor=1, ceiling=3), level=5, ok=True) == TubeKnowledge(floor=5)


def test_a_failure_invalidates_every_level_from_it():
    assert knowledge_after(None, level=3, ok=False) == TubeKnowledge(floor=0, ceiling=3)
    assert knowledge_after(TubeKnowledge(floor=1, ceiling=5), level=3, ok=False) == TubeKnowledge(floor=1, ceiling=3)
    assert knowledge_after(TubeKnowledge(floor=1, ceiling=3), level=5, ok=False) == TubeKnowledge(floor=1, ceiling=3)


def test_a_failure_on_a_validated_level_changes_nothing():
    assert knowledge_after(TubeKnowledge(floor=4), level=4, ok=False) == TubeKnowledge(floor=4)
    assert knowledge_after(TubeKnowledge(floor=4, ceiling=6), level=2, ok=False) == TubeKnowledge(floor=4, ceiling=6)


# --- The estimated level --------------------------------------------------------------------------------------------

def test_success_probability():
    assert success_probability(2, 2) == 0.5
    assert success_probability(3.5, 2) == pytest.approx(1 / (1 + math.exp(-1.5)))


@pytest.mark.parametrize("direct, level", [
    ([], 3.5),  # only the virtual answers (0 passed, 7 failed): halfway
    ([(2, True)], 4.5),  # Σ at 4.5 = +0.011, at 5 = −0.065
    ([(2, False)], 1.0),  # Σ at 0.5 = +0.194, at 1 = −0.0025
    ([(2, True), (4, True)], 5.5),  # +0.033 at 5.5, −0.129 at 6
    ([(2, True), (4, False)], 3.0),  # +0.029 at 3, −0.195 at 3.5
    ([(2, True), (3, True), (5, True), (6, True)], 7.0),  # +0.224 at 6.5, −0.086 at 7
    ([(1, False), (1, False)], 0.5),  # negative everywhere: the lowest level
    ([(5, True)] * 6, 7.5),  # positive everywhere: the highest level
])
def test_estimated_level_by_hand(direct, level):
    assert estimate_level(direct) == level


def test_estimated_level_worked_out():
    # [(2, False)] at L = 1: 1 − P(1, 0) − P(1, 7) − P(1, 2) = 1 − 0.7311 − 0.0025 − 0.2689 = −0.0025.
    total = 1 - success_probability(1, 0) - success_probability(1, 7) - success_probability(1, 2)
    assert total == pytest.approx(-0.0025, abs=5e-5)


def test_estimated_level_ties_go_to_the_lowest(monkeypatch):
    # A flat model makes every level equally good (the table of P and the cache of estimates set aside).
    monkeypatch.setattr("assessments.engine.success_probability", lambda estimated_level, level: 0.5)
    monkeypatch.setattr("assessments.engine._PROBABILITIES", {})
    monkeypatch.setattr("assessments.engine._DIFFERENCES", {level: {} for level in engine.ESTIMATE_LEVELS})
    engine._estimate_from_counts.cache_clear()
    try:
        assert estimate_level([(3, True)]) == 0.5
    finally:
        engine._estimate_from_counts.cache_clear()


def test_the_table_of_probabilities_holds_the_formulas_values():
    for (estimated_level, level), probability in engine._PROBABILITIES.items():
        assert probability == success_probability(estimated_level, level)
    assert len(engine._PROBABILITIES) == 15 * 9
    for estimated_level, differences in engine._DIFFERENCES.items():
        for (level, ok), difference in differences.items():
            assert difference == int(ok) - success_probability(estimated_level, level)
    assert sum(len(differences) for differences in engine._DIFFERENCES.values()) == 15 * 9 * 2


def test_estimated_level_only_reads_this_tests_answers_in_any_order():
    answers = [(2, True), (3, True), (4, False), (1, True)]
    assert estimate_level(answers) == estimate_level(answers[::-1])


# --- The first question ---------------------------------------------------------------------------------------------

def test_first_question_from_an_easy_tube_at_level_2():
    skills = tube("mdp", range(1, 7)) + tube("cookies", range(1, 4)) + tube("wifi", range(1, 6))
    for seed in range(20):
        pick = ask(skills, seed=seed)
        assert pick.skill == "@cookies2"
        assert pick.estimated_level == 2


def test_first_question_at_the_lowest_level_when_level_2_is_not_available():
    skills = tube("cookies", [1, 3]) + tube("mdp", range(1, 7))
    assert ask(skills).skill == "@cookies1"
    # Levels 1 and 2 validated before (another campaign): level 3 is the lowest left.
    assert ask(tube("cookies", [1, 2, 3]), knowledge={"cookies": TubeKnowledge(floor=2)}).skill == "@cookies3"


def test_first_question_from_any_tube_when_no_easy_tube_is_left():
    skills = tube("cookies", range(1, 4)) + tube("mdp", range(1, 7))
    pick = ask(skills, knowledge={"cookies": TubeKnowledge(floor=3)})
    assert pick.skill == "@mdp2"


def test_first_question_not_timed_if_possible():
    skills = tube("cookies", range(1, 4), timed=[2]) + tube("pub", range(1, 4))
    assert {ask(skills, seed=seed).skill for seed in range(20)} == {"@pub2"}
    # A skill with a timed and an untimed challenge: the untimed one.
    mixed = [skill("cookies", 1), skill("cookies", 2, True, False, True), skill("cookies", 3)]
    assert {ask(mixed, seed=seed).challenge_id for seed in range(20)} == {"cookies2-1"}
    # Only timed skills at hand: a timed one all the same.
    assert ask(tube("cookies", range(1, 4), timed=[1, 2, 3])).skill == "@cookies2"


def test_first_question_among_untested_skills_only():
    skills = tube("cookies", range(1, 4)) + tube("pub", range(1, 4))
    knowledge = {"cookies": TubeKnowledge(ceiling=2), "pub": TubeKnowledge(floor=2)}
    assert ask(skills, knowledge=knowledge).skill == "@cookies1"


# --- The rules of the next questions --------------------------------------------------------------------------------

def test_easy_tubes_are_asked_first():
    skills = tube("cookies", range(1, 4)) + tube("mdp", range(1, 7))
    knowledge = {"cookies": TubeKnowledge(floor=2)}  # the first answer: @cookies2 right
    assert ask(skills, knowledge=knowledge, direct=[(2, True)]).skill == "@cookies3"
    knowledge = {"cookies": TubeKnowledge(floor=3)}
    assert ask(skills, knowledge=knowledge, direct=[(2, True), (3, True)]).skill.startswith("@mdp")


def test_an_easy_tube_out_of_reach_does_not_hide_the_others():
    # Levels 1–2 of "cookies" validated long ago, then everything failed: L = 0.5, so level 3 is out of reach,
    # yet the test goes on with the other tube's first level.
    skills = tube("cookies", range(1, 4)) + tube("mdp", range(1, 7))
    knowledge = {"cookies": TubeKnowledge(floor=2), "mdp": TubeKnowledge(ceiling=2)}
    direct = [(2, False), (2, False)]
    assert estimate_level(direct) == 0.5
    assert ask(skills, knowledge=knowledge, direct=direct).skill == "@mdp1"


def test_no_skill_more_than_two_levels_above_the_estimate():
    skills = tube("mdp", range(1, 9))
    knowledge = {"mdp": TubeKnowledge(floor=2)}
    direct = [(1, False), (1, False)]  # L = 0.5: level 3 is 2.5 above
    assert ask(skills, knowledge=knowledge, direct=direct) is None
    direct = [(2, True)]  # L = 4.5: up to level 6
    picks = {ask(skills, knowledge=knowledge, direct=direct, seed=seed).skill for seed in range(30)}
    assert picks and all(int(name[-1]) <= 6 for name in picks)


def test_no_two_timed_questions_in_a_row():
    skills = tube("mdp", range(1, 8), timed=[4]) + [skill("pub", 4)]
    knowledge = {}
    direct = [(3, True), (4, False)]  # L = 3.5
    # Without a timed question before, @mdp4 is the best reward (it settles the most levels).
    assert ask(skills, knowledge=knowledge, direct=direct).skill == "@mdp4"
    # Right after a timed one, it waits: the next best untimed skill.
    after_timed = ask(skills, knowledge=knowledge, direct=direct, last_timed=True)
    assert after_timed.skill in {"@mdp3", "@mdp5"}


def test_after_a_timed_question_an_untimed_challenge_of_a_mixed_skill():
    skills = [skill("mdp", 1), skill("mdp", 2, True, False, True)]
    direct = [(1, True)]
    knowledge = {"mdp": TubeKnowledge(floor=1)}
    after_timed = {ask(skills, knowledge=knowledge, direct=direct, last_timed=True, seed=seed).challenge_id
                   for seed in range(30)}
    assert after_timed == {"mdp2-1"}
    otherwise = {ask(skills, knowledge=knowledge, direct=direct, seed=seed).challenge_id for seed in range(30)}
    assert otherwise == {"mdp2-0", "mdp2-1", "mdp2-2"}


def test_no_two_timed_in_a_row_weighs_more_than_easy_tubes_first():
    # The easy tube's last skill is timed: right after a timed question, a harder tube's untimed skill comes first;
    # the easy tube's skill comes next.
    skills = tube("cookies", range(1, 4), timed=[3]) + tube("mdp", range(1, 6))
    knowledge = {"cookies": TubeKnowledge(floor=2)}
    direct = [(2, True)]
    assert ask(skills, knowledge=knowledge, direct=direct).skill == "@cookies3"
    assert ask(skills, knowledge=knowledge, direct=direct, last_timed=True).skill.startswith("@mdp")


def test_two_timed_in_a_row_when_nothing_else_is_left():
    skills = [skill("mdp", 4, True)]
    assert ask(skills, direct=[(3, True)], last_timed=True).skill == "@mdp4"


def test_the_skill_settling_the_most_levels_is_chosen():
    # L = 3.5. In a tube of 7 untested levels, level 4: P = 0.38, settles 4 if right, 4 if wrong → 4.0;
    # level 3: 0.62 × 3 + 0.38 × 5 = 3.76; level 5: 0.18 × 5 + 0.82 × 3 = 3.36; a lone level 4 elsewhere: 1.
    skills = tube("mdp", range(1, 8)) + [skill("pub", 4)]
    direct = [(3, True), (4, False)]
    assert {ask(skills, direct=direct, seed=seed).skill for seed in range(30)} == {"@mdp4"}


def test_the_reward_counts_only_the_untested_skills_still_playable():
    # mdp: levels 1–3 validated, 4–8 untested, L = 3.5 (levels 4 and 5 can be asked). Level 4: P = 0.38, settles
    # 1 if right, 5 if wrong → 3.49; level 5: P = 0.18, settles 2 or 4 → 3.64.
    skills = tube("mdp", range(1, 9))
    direct = [(3, True), (4, False)]
    knowledge = {"mdp": TubeKnowledge(floor=3)}
    assert estimate_level(direct) == 3.5
    assert {ask(skills, knowledge=knowledge, direct=direct, seed=seed).skill for seed in range(30)} == {"@mdp5"}
    # Level 8 without a challenge to ask does not count: level 4 → 1 or 4 = 2.87; level 5 → 2 or 3 = 2.82.
    unplayable = skills[:-1] + [SkillCandidate("@mdp8", "mdp", 8, ())]
    assert {ask(unplayable, knowledge=knowledge, direct=direct, seed=seed).skill for seed in range(30)} == {"@mdp4"}
    # Nor does a level already settled (level 8 invalidated before).
    knowledge = {"mdp": TubeKnowledge(floor=3, ceiling=8)}
    assert {ask(skills, knowledge=knowledge, direct=direct, seed=seed).skill for seed in range(30)} == {"@mdp4"}


def test_ties_are_broken_by_the_seed_the_same_way_every_time():
    skills = tube("mdp", range(1, 8)) + tube("wifi", range(1, 8))
    direct = [(3, True), (4, False)]
    picks = {seed: ask(skills, direct=direct, seed=seed) for seed in range(40)}
    assert {pick.skill for pick in picks.values()} == {"@mdp4", "@wifi4"}
    shuffled = skills[:]
    random.Random(3).shuffle(shuffled)
    for seed, pick in picks.items():
        assert ask(shuffled, direct=direct, seed=seed) == pick  # the order of the skills given does not matter
        assert ask(skills, direct=direct, seed=seed) == pick


def test_the_seed_also_picks_the_challenge():
    skills = [skill("mdp", 2, False, False, False)]
    picks = {ask(skills, seed=seed).challenge_id for seed in range(40)}
    assert picks == {"mdp2-0", "mdp2-1", "mdp2-2"}


def test_seed_index_is_stable():
    # SHA-256 of the seed's digits, not Python's hash() (randomised per process).
    assert seed_index(12345, 1000) == int.from_bytes(hashlib.sha256(b"12345").digest()[:8], "big") % 1000


def test_challenges_asked_in_this_test_are_not_asked_again():
    skills = [skill("mdp", 2, False, False)]
    assert ask(skills, answered={"mdp2-0"}).challenge_id == "mdp2-1"
    assert ask(skills, answered={"mdp2-0", "mdp2-1"}) is None


def test_the_pick_reports_the_estimated_level():
    skills = tube("mdp", range(1, 8))
    pick = ask(skills, direct=[(2, True)], knowledge={"mdp": TubeKnowledge(floor=2)})
    assert pick == Pick(skill=pick.skill, challenge_id=pick.challenge_id, estimated_level=4.5)


def test_the_test_ends_when_every_skill_is_settled():
    skills = tube("mdp", range(1, 4))
    assert ask(skills, knowledge={"mdp": TubeKnowledge(floor=1, ceiling=2)}, direct=[(1, True), (2, False)]) is None
    assert ask([], direct=[(1, True)]) is None
    assert ask([SkillCandidate("@mdp1", "mdp", 1, ())]) is None  # no challenge to ask


# --- Whole tests on random banks (hypothesis) -----------------------------------------------------------------------

@st.composite
def banks(draw):
    """1–6 tubes of 1–8 consecutive levels; each skill with 0–3 challenges, some of them timed."""
    skills = []
    for tube_index in range(draw(st.integers(1, 6))):
        name = "t" + "abcdef"[tube_index]
        for level in range(1, draw(st.integers(1, 8)) + 1):
            timers = draw(st.lists(st.booleans() if draw(st.booleans()) else st.just(False), min_size=0, max_size=3))
            skills.append(SkillCandidate(name=f"@{name}{level}", tube=name, level=level, challenges=tuple(
                ChallengeOption(id=f"{name}{level}-{index}", timed=timed) for index, timed in enumerate(timers))))
    return skills


@st.composite
def histories(draw, skills):
    """What the student already showed elsewhere: a floor and a ceiling (or none) per tube."""
    knowledge = {}
    for name in sorted({skill.tube for skill in skills}):
        top = max(skill.level for skill in skills if skill.tube == name)
        if draw(st.booleans()):
            floor = draw(st.integers(0, top))
            ceiling = draw(st.none() | st.integers(floor + 1, 9))
            knowledge[name] = TubeKnowledge(floor=floor, ceiling=ceiling)
    return knowledge


def run_test(skills, knowledge, answer, seed):
    """Run a whole test, checking every pick; returns the picks."""
    by_name = {skill.name: skill for skill in skills}
    timed = {option.id: option.timed for skill in skills for option in skill.challenges}
    knowledge = dict(knowledge)
    direct, answered, picks = [], set(), []
    for _ in range(len(skills) + 1):
        pick = next_challenge(skills=skills, knowledge=knowledge, direct=direct, seed=seed,
                              last_timed=bool(picks) and timed[picks[-1].challenge_id], answered=frozenset(answered))
        if pick is None:
            # It ends only when every skill left to ask is out of reach (more than 2 levels above the estimate).
            estimated_level = estimate_level(direct) if direct else None
            for skill in skills:
                if (skill_state(knowledge.get(skill.tube), skill.level) == "untested"
                        and any(option.id not in answered for option in skill.challenges)):
                    assert estimated_level is not None and skill.level - estimated_level > 2
            return picks
        chosen = by_name[pick.skill]
        assert pick.skill not in {previous.skill for previous in picks}, "a skill asked twice"
        assert skill_state(knowledge.get(chosen.tube), chosen.level) == "untested", "a settled skill asked"
        assert pick.challenge_id in {option.id for option in chosen.challenges} - answered
        if picks and timed[picks[-1].challenge_id] and timed[pick.challenge_id]:
            estimated_level = estimate_level(direct)
            untimed_left = [
                skill for skill in skills
                if skill_state(knowledge.get(skill.tube), skill.level) == "untested"
                and skill.level - estimated_level <= 2
                and any(not option.timed and option.id not in answered for option in skill.challenges)
            ]
            assert not untimed_left, "two timed in a row while an untimed question was there"
        ok = answer(chosen)
        knowledge[chosen.tube] = knowledge_after(knowledge.get(chosen.tube), level=chosen.level, ok=ok)
        direct.append((chosen.level, ok))
        answered.add(pick.challenge_id)
        picks.append(pick)
    raise AssertionError("the test did not end")


@SETTINGS
@given(data=st.data(), noise=st.sampled_from([0, 0.1, 0.5]), seed=st.integers(0, 10**9))
def test_a_whole_test_on_a_random_bank(data, noise, seed):
    skills = data.draw(banks())
    knowledge = data.draw(histories(skills))
    true_levels = {skill.tube: data.draw(st.integers(0, 8)) for skill in skills}
    rng = data.draw(st.randoms(use_true_random=False))

    def answer(skill):
        right = skill.level <= true_levels[skill.tube]
        return right != (rng.random() < noise)

    picks = run_test(skills, knowledge, answer, seed)
    assert len(picks) <= len(skills)


@SETTINGS
@given(skills=banks(), seed=st.integers(0, 10**9), pattern=st.lists(st.booleans(), min_size=1))
def test_the_same_answers_give_the_same_test(skills, seed, pattern):
    def answer(skill, count=iter(range(10**6))):
        return pattern[next(count) % len(pattern)]

    def again(skill, count=iter(range(10**6))):
        return pattern[next(count) % len(pattern)]

    assert run_test(skills, {}, answer, seed) == run_test(list(reversed(skills)), {}, again, seed)


@SETTINGS
@given(skills=banks(), seed=st.integers(0, 10**9))
def test_the_first_question_follows_its_rules(skills, seed):
    pick = next_challenge(skills=skills, knowledge={}, direct=[], last_timed=False, seed=seed)
    playable = [skill for skill in skills if skill.challenges]
    if not playable:
        assert pick is None
        return
    hardest = {}
    for skill in skills:
        hardest[skill.tube] = max(hardest.get(skill.tube, 0), skill.level)
    chosen = next(skill for skill in skills if skill.name == pick.skill)
    if any(hardest[skill.tube] <= 3 for skill in playable):
        assert hardest[chosen.tube] <= 3
    pool = [skill for skill in playable if hardest[skill.tube] <= 3] or playable
    untimed = [skill for skill in pool if any(not option.timed for option in skill.challenges)]
    if untimed:
        assert not next(option for option in chosen.challenges if option.id == pick.challenge_id).timed
        pool = untimed
    assert chosen.level == (2 if any(skill.level == 2 for skill in pool) else min(skill.level for skill in pool))


# --- The rules written out plainly, against the engine ---------------------------------------------------------------

def reference_next_challenge(*, skills, knowledge, direct, last_timed, seed, answered):
    """The selection rules transcribed one by one, with no care for speed: the engine must pick as they do."""
    hardest = {}
    for each in skills:
        hardest[each.tube] = max(hardest.get(each.tube, 0), each.level)

    def left(each):
        return [option for option in each.challenges if option.id not in answered]

    askable = [each for each in skills
               if skill_state(knowledge.get(each.tube), each.level) == "untested" and left(each)]
    if not askable:
        return None

    def easy_first(pool):
        return [each for each in pool if hardest[each.tube] <= 3] or pool

    def untimed_first(pool):
        return [each for each in pool if any(not option.timed for option in left(each))] or pool

    def pick(pool, prefer_untimed, estimated):
        chosen = sorted(pool, key=lambda each: each.name)[seed_index(seed, len(pool))]
        options = left(chosen)
        if prefer_untimed:
            options = [option for option in options if not option.timed] or options
        return Pick(chosen.name, options[seed_index(seed + 1, len(options))].id, estimated)

    if not direct:
        pool = untimed_first(easy_first(askable))
        pool = ([each for each in pool if each.level == 2]
                or [each for each in pool if each.level == min(other.level for other in pool)])
        return pick(pool, True, 2.0)
    estimated = estimate_level(direct)
    pool = [each for each in askable if each.level - estimated <= 2]
    if last_timed:
        pool = untimed_first(pool)
    pool = easy_first(pool)
    rewards = {}
    for each in pool:
        same_tube = [other.level for other in askable if other.tube == each.tube]
        p = success_probability(estimated, each.level)
        rewards[each.name] = round(p * sum(level <= each.level for level in same_tube)
                                   + (1 - p) * sum(level >= each.level for level in same_tube), 9)
    best = max(rewards.values(), default=0)
    pool = [each for each in pool if rewards[each.name] == best] if best > 0 else []
    if not pool:
        return None
    return pick(pool, last_timed, estimated)


@SETTINGS
@given(data=st.data(), seed=st.integers(0, 10**9), as_tuple=st.booleans())
def test_the_engine_picks_as_the_rules_say(data, seed, as_tuple):
    skills = data.draw(banks())
    knowledge = data.draw(histories(skills))
    challenges = [option.id for each in skills for option in each.challenges]
    answered = frozenset(data.draw(st.lists(st.sampled_from(challenges), max_size=6)) if challenges else [])
    direct = data.draw(st.lists(st.tuples(st.integers(1, 8), st.booleans()), max_size=12))
    last_timed = data.draw(st.booleans())
    given_skills = tuple(skills) if as_tuple else skills
    for _ in range(2):  # the second time, a tuple's grouping by tube is the one remembered
        assert next_challenge(skills=given_skills, knowledge=knowledge, direct=direct, last_timed=last_timed,
                              seed=seed, answered=answered) == reference_next_challenge(
            skills=skills, knowledge=knowledge, direct=direct, last_timed=last_timed, seed=seed, answered=answered)
