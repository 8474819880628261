"""The skills and playable challenges a test draws from, read once per content release and kept in memory.

A campaign's skills are frozen at its creation and a release changes only when ``content_load`` runs, so the engine's
input for one campaign (or one competence's placement test) is built with two queries and then reused by every
answer of every student, until the next release (one small query per use tells which release is current). The same
two queries bring what correcting an answer needs of each challenge (type, proposals, solution, tolerances, timer,
its skill's tube and level): an answer reads none of the challenge's columns again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import F

from assessments.engine import ChallengeOption, SkillCandidate
from assessments.results import CampaignSkillInfo
from campaigns.models import CampaignSkill
from content.models import Challenge, Competence, Release, Skill

CACHE_SIZE = 512  # skill sets (one per campaign or competence in use) and skill tables
SHOWN_CACHE_SIZE = 4096  # challenges as shown


@dataclass(frozen=True, slots=True)
class ChallengeFacts:
    """What answering one challenge needs, with the names of ``content.models.Challenge`` (``challenge_key`` and the
    timer read it alike), and its skill's tube and level."""

    id: str
    skill_id: int
    tube_id: int
    level: int
    type: str
    proposals: list | str
    solution: object
    t1: bool
    t2: bool
    t3: bool
    format: str
    timer: int | None

    @property
    def pk(self) -> str:
        return self.id

    @classmethod
    def of(cls, challenge: Challenge) -> ChallengeFacts:
        """From a challenge read with its skill."""
        return cls(challenge.pk, challenge.skill_id, challenge.skill.tube_id, challenge.skill.level, challenge.type,
                   challenge.proposals, challenge.solution, challenge.t1, challenge.t2, challenge.t3,
                   challenge.format, challenge.timer)


@dataclass(frozen=True, slots=True)
class ChallengeShown:
    """What a student is shown of a challenge (never its solution), with the names of ``content.models.Challenge``
    (the presenters read it alike)."""

    id: str
    type: str
    instruction: str
    proposals: list | str
    timer: int | None
    focused: bool
    illustration: str
    illustration_alt: str

    @property
    def pk(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class SkillSet:
    skills: tuple[CampaignSkillInfo, ...]  # every skill evaluated (the denominator of mastery and progress)
    candidates: tuple[SkillCandidate, ...]  # the engine's input: skills with their playable challenges
    tube_ids: tuple[int, ...]
    skill_ids: dict[str, int] = field(default_factory=dict)  # skill name → id
    # Every challenge of these skills read (playable or not, e.g. validated beside archived ones), by id.
    challenges: dict[str, ChallengeFacts] = field(default_factory=dict)
    shown: dict[str, ChallengeShown] = field(default_factory=dict)  # the same challenges as shown to students
    release: int = 0  # the content release it was built from

    def tube_key(self, tube_id: int) -> str:
        return str(tube_id)


@dataclass(frozen=True, slots=True)
class SkillTable:
    """Every active skill of the current release, for the profile: pix per competence."""

    skills: tuple[tuple[int, int, str, float], ...]  # (tube id, level, competence code, pix value)
    competences: tuple[tuple[str, str, str, str], ...]  # (code, name, area code, area name), in code order


_cache: OrderedDict[tuple, object] = OrderedDict()
_shown_cache: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def release_version() -> int:
    return Release.objects.order_by("-version").values_list("version", flat=True).first() or 0


def _cached(key: tuple, build, *, store: OrderedDict = _cache, size: int = CACHE_SIZE):
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = build()
    with _lock:
        store[key] = value
        while len(store) > size:
            store.popitem(last=False)
    return value


def cache_clear() -> None:
    with _lock:
        _cache.clear()
        _shown_cache.clear()


def _build(rows: list[dict], *, include_archived_challenges: bool, release: int) -> SkillSet:
    skill_ids = [row["skill_id"] for row in rows]
    skill_rows = {row["skill_id"]: row for row in rows}
    statuses = [Challenge.Status.VALIDATED]
    if include_archived_challenges:
        statuses.append(Challenge.Status.ARCHIVED)
    options: dict[int, dict[str, list[ChallengeOption]]] = {}
    challenges: dict[str, ChallengeFacts] = {}
    shown: dict[str, ChallengeShown] = {}
    for (challenge_id, skill_id, timer, status, kind, proposals, solution, t1, t2, t3, answer_format, instruction,
         focused, illustration, illustration_alt) in (
        Challenge.objects.filter(skill_id__in=skill_ids, status__in=statuses)
        .order_by("skill_id", "id").values_list("id", "skill_id", "timer", "status", "type", "proposals", "solution",
                                                "t1", "t2", "t3", "format", "instruction", "focused",
                                                "illustration", "illustration_alt")
    ):
        shown[challenge_id] = _shown_intern(ChallengeShown(challenge_id, kind, instruction, proposals, timer, focused,
                                                           illustration, illustration_alt), release)
        options.setdefault(skill_id, {}).setdefault(status, []).append(ChallengeOption(challenge_id,
                                                                                       timer is not None))
        skill = skill_rows[skill_id]
        challenges[challenge_id] = ChallengeFacts(challenge_id, skill_id, skill["tube_id"], skill["level"], kind,
                                                  proposals, solution, t1, t2, t3, answer_format, timer)
    skills, candidates, tube_ids, ids = [], [], set(), {}
    for row in sorted(rows, key=lambda r: r["name"]):
        tube_key = str(row["tube_id"])
        skills.append(CampaignSkillInfo(name=row["name"], tube=tube_key, tube_name=row["tube_name"],
                                        level=row["level"], competence=row["competence"]))
        tube_ids.add(row["tube_id"])
        ids[row["name"]] = row["skill_id"]
        by_status = options.get(row["skill_id"], {})
        # A frozen campaign stays playable when its challenges are archived: validated ones first.
        playable = by_status.get(Challenge.Status.VALIDATED) or by_status.get(Challenge.Status.ARCHIVED) or []
        if playable:
            candidates.append(SkillCandidate(row["name"], tube_key, row["level"], tuple(playable)))
    return SkillSet(skills=tuple(skills), candidates=tuple(candidates), tube_ids=tuple(sorted(tube_ids)),
                    skill_ids=ids, challenges=challenges, shown=shown, release=release)


def skill_set_for_campaign(campaign_id: int, *, release: int | None = None) -> SkillSet:
    """``release``: the current release when the caller read it already."""
    version = release_version() if release is None else release

    def build():
        rows = list(
            CampaignSkill.objects.filter(campaign_id=campaign_id).values(
                "skill_id", name=F("skill__name"), level=F("skill__level"),
                tube_id=F("skill__tube_id"), tube_name=F("skill__tube__name"),
                competence=F("skill__tube__competence__code"),
            )
        )
        return _build(rows, include_archived_challenges=True, release=version)

    return _cached(("campaign", campaign_id, version), build)


def skill_set_for_competence(competence_id: int, *, release: int | None = None) -> SkillSet:
    """``release``: the current release when the caller read it already."""
    version = release_version() if release is None else release

    def build():
        rows = list(
            Skill.objects.filter(tube__competence_id=competence_id, status=Skill.Status.ACTIVE).values(
                "name", "level", "tube_id", skill_id=F("id"), tube_name=F("tube__name"),
                competence=F("tube__competence__code"),
            )
        )
        return _build(rows, include_archived_challenges=False, release=version)

    return _cached(("competence", competence_id, version), build)


SHOWN_FIELDS = ("id", "type", "instruction", "proposals", "timer", "focused", "illustration", "illustration_alt")


def _shown_intern(shown: ChallengeShown, release: int) -> ChallengeShown:
    """One object per challenge and release, whichever skill sets hold it (a challenge's text is kept once)."""
    with _lock:
        kept = _shown_cache.get((shown.id, release))
        if kept is not None:
            return kept
        _shown_cache[(shown.id, release)] = shown
        while len(_shown_cache) > SHOWN_CACHE_SIZE:
            _shown_cache.popitem(last=False)
    return shown


def challenge_shown(challenge_id: str, *, skill_set: SkillSet) -> ChallengeShown:
    """The challenge as shown: from the skill set, which read it with the rest; from the database only for a
    challenge that is not in it (a placement test's challenge archived since)."""
    shown = skill_set.shown.get(challenge_id)
    if shown is None:
        def build():
            return ChallengeShown(*Challenge.objects.filter(pk=challenge_id).values_list(*SHOWN_FIELDS).get())

        shown = _cached((challenge_id, skill_set.release), build, store=_shown_cache, size=SHOWN_CACHE_SIZE)
    return shown


def skill_table() -> SkillTable:
    def build():
        skills = tuple(
            Skill.objects.filter(status=Skill.Status.ACTIVE)
            .values_list("tube_id", "level", "tube__competence__code", "pix_value")
        )
        competences = tuple(Competence.objects.order_by("code").values_list("code", "name", "area__code",
                                                                           "area__name"))
        return SkillTable(skills=skills, competences=competences)

    return _cached(("table", release_version()), build)
