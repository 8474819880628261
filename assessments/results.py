"""What a student's knowledge means for one campaign: mastery, per competence and per tube, stages, badges.

Pure: plain values in, plain values out (the snapshot taken when results are sent is built from this).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class CampaignSkillInfo:
    name: str
    tube: str  # tube id as a string (stable key in the snapshot)
    tube_name: str
    level: int
    competence: str  # "1.1"


@dataclass(frozen=True, slots=True)
class StageDef:
    title: str
    message: str = ""
    prescriber_title: str = ""
    prescriber_description: str = ""
    threshold: int | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class CriterionDef:
    scope: str  # "CAMPAIGN" | "TUBES"
    threshold: int
    tubes: tuple[tuple[str, int], ...] = ()  # (tube name, cap)


@dataclass(frozen=True, slots=True)
class BadgeDef:
    key: str
    title: str
    message: str
    criteria: tuple[CriterionDef, ...]


def skill_state(floor: int, ceiling: int | None, level: int) -> str:
    if level <= floor:
        return "validated"
    if ceiling is not None and level >= ceiling:
        return "failed"
    return "untested"


def stage_thresholds(stages: Sequence[StageDef], skill_levels: Sequence[int]) -> list[float]:
    """Each stage's threshold in %: level stages become the share of campaign skills at or below that level,
    exact (2 skills of 3 is 66.67 %, not 67: validating exactly those skills reaches the stage)."""
    total = len(skill_levels)
    thresholds = []
    for stage in stages:
        if stage.threshold is not None:
            thresholds.append(float(stage.threshold))
        elif stage.level == 0 or total == 0:
            thresholds.append(0.0)
        else:
            thresholds.append(sum(1 for level in skill_levels if level <= stage.level) * 100 / total)
    return thresholds


def stage_reached(stages: Sequence[StageDef], skill_levels: Sequence[int], mastery_rate: float) -> dict | None:
    """The highest stage whose threshold the mastery reaches (the zero stage always is); None without stages.

    ``reached`` counts stars: the zero stage is 0, the next 1…; ``total`` is the number of stages after the zero one.
    """
    if not stages:
        return None
    ordered = sorted(zip(stage_thresholds(stages, skill_levels), range(len(stages)), stages))
    percent = mastery_rate * 100
    reached_index = 0
    for index, (threshold, _, _) in enumerate(ordered):
        if threshold <= percent + EPSILON:
            reached_index = index
    threshold, _, stage = ordered[reached_index]
    return {"reached": reached_index, "total": len(ordered) - 1, "title": stage.title, "message": stage.message,
            "prescriber_title": stage.prescriber_title, "threshold": round(threshold)}


def _criterion_percent(criterion: CriterionDef, skills: Sequence[CampaignSkillInfo], validated: set[str],
                       mastery_rate: float) -> float:
    if criterion.scope == "CAMPAIGN":
        return mastery_rate * 100
    caps = dict(criterion.tubes)
    scoped = [skill for skill in skills if skill.tube_name in caps and skill.level <= caps[skill.tube_name]]
    if not scoped:
        return 0.0
    return sum(1 for skill in scoped if skill.name in validated) * 100 / len(scoped)


def badge_results(badges: Sequence[BadgeDef], skills: Sequence[CampaignSkillInfo], validated: set[str],
                  mastery_rate: float) -> list[dict]:
    """Per badge: obtained when every criterion reaches its threshold; progress = mean of min(100, % ÷ threshold)."""
    results = []
    for badge in badges:
        acquisitions, met = [], []
        for criterion in badge.criteria:
            percent = _criterion_percent(criterion, skills, validated, mastery_rate)
            # Met on the exact share (69.8 % does not meet 70 %); the progress shown is rounded below 100.
            met.append(percent + EPSILON >= criterion.threshold)
            acquisitions.append(100 if met[-1] else min(99, round(percent * 100 / criterion.threshold)))
        obtained = bool(met) and all(met)
        progress = round(sum(acquisitions) / len(acquisitions)) if acquisitions else 0
        results.append({"key": badge.key, "title": badge.title, "message": badge.message, "obtained": obtained,
                        "progress": 100 if obtained else min(progress, 99)})
    return results


def campaign_results(*, skills: Sequence[CampaignSkillInfo], knowledge: Mapping[str, tuple[int, int | None]],
                     stages: Sequence[StageDef] = (), badges: Sequence[BadgeDef] = (),
                     competence_names: Mapping[str, str] | None = None) -> dict:
    """The snapshot of one student's results on a campaign.

    ``knowledge``: tube id (str) → (floor, ceiling). Returns mastery, per competence {total, validated}, per tube
    {name, competence, max, reached, validated, failed, total, levels}, the stage reached and the badges.
    """
    competence_names = competence_names or {}
    validated: set[str] = set()
    competences: dict[str, dict] = {}
    tubes: dict[str, dict] = {}
    for skill in sorted(skills, key=lambda s: (s.competence, s.tube_name, s.level)):
        floor, ceiling = knowledge.get(skill.tube, (0, None))
        state = skill_state(floor, ceiling, skill.level)
        competence = competences.setdefault(skill.competence, {"name": competence_names.get(skill.competence, ""),
                                                                "total": 0, "validated": 0})
        tube = tubes.setdefault(skill.tube, {"name": skill.tube_name, "competence": skill.competence, "max": 0,
                                             "reached": 0, "validated": 0, "failed": 0, "total": 0, "levels": {}})
        competence["total"] += 1
        tube["total"] += 1
        tube["max"] = max(tube["max"], skill.level)
        tube["levels"][str(skill.level)] = state
        if state == "validated":
            validated.add(skill.name)
            competence["validated"] += 1
            tube["validated"] += 1
            tube["reached"] = max(tube["reached"], skill.level)
        elif state == "failed":
            tube["failed"] += 1
    total = len(skills)
    mastery_rate = len(validated) / total if total else 0.0
    for competence in competences.values():
        competence["mastery_rate"] = competence["validated"] / competence["total"] if competence["total"] else 0.0
    return {
        "skills_count": total,
        "validated_skills_count": len(validated),
        "mastery_rate": mastery_rate,
        "competences": competences,
        "tubes": tubes,
        "stage": stage_reached(stages, [skill.level for skill in skills], mastery_rate),
        "badges": badge_results(badges, skills, validated, mastery_rate),
    }


def progress(*, skills: Iterable[CampaignSkillInfo], knowledge: Mapping[str, tuple[int, int | None]]) -> float:
    """Tested campaign skills ÷ campaign skills (knowledge already filtered by the retry window)."""
    skills = list(skills)
    if not skills:
        return 1.0
    tested = 0
    for skill in skills:
        floor, ceiling = knowledge.get(skill.tube, (0, None))
        if skill_state(floor, ceiling, skill.level) != "untested":
            tested += 1
    return tested / len(skills)
