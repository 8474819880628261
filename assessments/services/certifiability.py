"""The nightly certifiability computation: for the students whose account was used since the last run, their
profile now (pix and level per competence) is recorded on their learner records with source « computed ».

Runs in bulk: the learners are chosen in one query, then per chunk of accounts one query reads their knowledge
(one row per account and tube) and one UPDATE writes the profiles (``students`` keeps the latest-wins rule).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from assessments.models import Answer, KnowledgeState
from assessments.scoring import ProfileScore, profile_score
from assessments.skillsets import SkillTable, skill_table
from students.models import Learner
from students.services.certifiability import CertifiabilityProfile, learner_certifiabilities_record

logger = logging.getLogger(__name__)

ACCOUNTS_PER_CHUNK = 500


@dataclass(frozen=True, slots=True)
class CertifiabilityRun:
    learners: int  # learners selected
    accounts: int  # distinct accounts scored
    written: int  # learners whose certifiability changed date (older ones kept a newer value)
    seconds: float


def certifiability_learners_used_since(*, since: datetime.datetime) -> list[tuple[int, int]]:
    """(learner id, account id) of the active learners of the organizations that manage students, linked to an
    account that logged in or answered a question since ``since``."""
    answered = Answer.objects.filter(created_at__gte=since).values("user_id")
    return list(
        Learner.objects.filter(organization__is_managing_students=True, organization__archived_at__isnull=True,
                               disabled_at__isnull=True, user__isnull=False)
        .filter(Q(user__last_login__gte=since) | Q(user_id__in=answered))
        .order_by("user_id", "pk").values_list("pk", "user_id")
    )


def _floors_by_tube(table: SkillTable) -> dict[int, list[tuple[int, str, float]]]:
    by_tube: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    for tube_id, level, competence, pix in table.skills:
        by_tube[tube_id].append((level, competence, pix))
    return by_tube


def score_from_floors(floors: dict[int, int], *, table: SkillTable,
                      by_tube: dict[int, list[tuple[int, str, float]]] | None = None) -> ProfileScore:
    """The profile of an account whose highest validated level per tube is ``floors`` (what
    ``assessments.selectors.profile_score_for_user`` computes, from rows already read)."""
    by_tube = by_tube if by_tube is not None else _floors_by_tube(table)
    validated: dict[str, list[float]] = {}
    for tube_id, floor in floors.items():
        for level, competence, pix in by_tube.get(tube_id, ()):
            if level <= floor:
                validated.setdefault(competence, []).append(pix)
    return profile_score(validated, competence_codes=[code for code, *_ in table.competences],
                         max_level=settings.MAX_REACHABLE_LEVEL)


def certifiability_profile(score: ProfileScore) -> CertifiabilityProfile:
    return CertifiabilityProfile(
        certifiable=score.certifiable,
        competences={code: {"pix": item.pix, "level": item.level} for code, item in score.competences.items()},
    )


def certifiability_compute(*, since: datetime.datetime, now: datetime.datetime) -> CertifiabilityRun:
    """Score every account used since ``since`` and record its profile, dated ``now``, on its learners."""
    started = time.perf_counter()
    selected = certifiability_learners_used_since(since=since)
    learners_of: dict[int, list[int]] = defaultdict(list)
    for learner_id, user_id in selected:
        learners_of[user_id].append(learner_id)
    table = skill_table()
    by_tube = _floors_by_tube(table)
    accounts = list(learners_of)
    written = 0
    for start in range(0, len(accounts), ACCOUNTS_PER_CHUNK):
        chunk = accounts[start:start + ACCOUNTS_PER_CHUNK]
        floors: dict[int, dict[int, int]] = {user_id: {} for user_id in chunk}
        for user_id, tube_id, floor in (KnowledgeState.objects.filter(user_id__in=chunk, floor__gt=0)
                                        .values_list("user_id", "tube_id", "floor")):
            floors[user_id][tube_id] = floor
        profiles = {}
        for user_id in chunk:
            profile = certifiability_profile(score_from_floors(floors[user_id], table=table, by_tube=by_tube))
            for learner_id in learners_of[user_id]:
                profiles[learner_id] = profile
        written += learner_certifiabilities_record(profiles=profiles, at=now,
                                                   source=Learner.CertifiabilitySource.COMPUTED)
    run = CertifiabilityRun(learners=len(selected), accounts=len(accounts), written=written,
                            seconds=round(time.perf_counter() - started, 3))
    logger.info("certifiability computed: learners=%s accounts=%s written=%s seconds=%s", run.learners,
                run.accounts, run.written, run.seconds)
    return run
