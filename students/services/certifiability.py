"""Recording each learner's certifiability: from a profile sent in a profiles collection, or from the nightly
computation (both written by ``assessments``, which calls these functions). Latest wins: a value is written only
when its date is newer than the one stored, in the UPDATE's own WHERE clause, so two writers racing (a profile sent
while the nightly run writes) keep the newer one whatever their order."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from students.certification import LEVEL_FOR_CERTIFIABILITY
from students.models import Learner

CHUNK_SIZE = 500


@dataclass(frozen=True, slots=True)
class CertifiabilityProfile:
    """What is recorded for one learner: certifiable or not, and the profile it was read from."""

    certifiable: bool
    competences: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # {"1.1": {"pix": 12, "level": 1}}

    @property
    def status(self) -> str:
        return Learner.Certifiability.CERTIFIABLE if self.certifiable else Learner.Certifiability.NOT_CERTIFIABLE

    @property
    def certifiable_competences(self) -> int | None:
        if not self.competences:
            return None
        return sum(1 for item in self.competences.values() if item.get("level", 0) >= LEVEL_FOR_CERTIFIABILITY)

    def levels(self) -> dict[str, dict[str, int]]:
        return {code: {"pix": int(item.get("pix", 0)), "level": int(item.get("level", 0))}
                for code, item in sorted(self.competences.items())}


def _older_than(at: datetime.datetime) -> Q:
    return Q(certifiability_at__isnull=True) | Q(certifiability_at__lt=at)


def learner_certifiability_record(
    *,
    certifiable: bool,
    at: datetime.datetime,
    source: str,
    learner_ids: Iterable[int] | None = None,
    user_id: int | None = None,
    competences: Mapping[str, Mapping[str, int]] | None = None,
) -> int:
    """Record one profile for the given learners (or every learner of the account ``user_id``): one UPDATE.

    Learners whose stored certifiability is as recent as ``at`` or more recent keep it. Returns the rows written.
    """
    if learner_ids is None and user_id is None:
        raise ValueError("learner_ids or user_id is required")
    source = Learner.CertifiabilitySource(source)
    profile = CertifiabilityProfile(certifiable=certifiable, competences=competences or {})
    learners = Learner.objects.filter(_older_than(at))
    if learner_ids is not None:
        learners = learners.filter(pk__in=list(learner_ids))
    if user_id is not None:
        learners = learners.filter(user_id=user_id)
    return learners.update(
        certifiability=profile.status, certifiability_at=at, certifiability_source=source,
        certifiable_competences=profile.certifiable_competences, certifiability_levels=profile.levels(),
        updated_at=Now(),
    )


def learner_certifiabilities_record(*, profiles: Mapping[int, CertifiabilityProfile], at: datetime.datetime,
                                    source: str) -> int:
    """Record a different profile for each learner ({learner id: profile}), all dated ``at``: one UPDATE per
    ``CHUNK_SIZE`` learners, with the same latest-wins rule. Returns the rows written."""
    source = Learner.CertifiabilitySource(source)
    ids = sorted(profiles)
    written = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        written += _update_chunk([(pk, profiles[pk]) for pk in ids[start:start + CHUNK_SIZE]], at=at, source=source)
    return written


def _update_chunk(chunk: list[tuple[int, CertifiabilityProfile]], *, at: datetime.datetime, source: str) -> int:
    """UPDATE … FROM (VALUES …): the rows' values travel as parameters. (The ORM's CASE WHEN per row costs seconds
    of Python to build for a few thousand learners; this statement costs milliseconds.)"""
    table = connection.ops.quote_name(Learner._meta.db_table)
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    values = ", ".join(f"(CAST(%s AS integer), %s, CAST(%s AS integer), {json_value})" for _ in chunk)
    stamp = connection.ops.adapt_datetimefield_value(at)
    params: list = [stamp, source, connection.ops.adapt_datetimefield_value(timezone.now())]
    for pk, profile in chunk:
        params += [pk, profile.status, profile.certifiable_competences, json.dumps(profile.levels())]
    params.append(stamp)
    sql = (
        f"UPDATE {table} SET certifiability = v.status, certifiability_at = %s, certifiability_source = %s, "
        f"certifiable_competences = v.competences, certifiability_levels = v.levels, updated_at = %s "
        # VALUES names its columns column1, column2… on both PostgreSQL and SQLite.
        f"FROM (SELECT column1 AS id, column2 AS status, column3 AS competences, column4 AS levels "
        f"FROM (VALUES {values}) AS given) AS v "
        f"WHERE {table}.id = v.id "
        f"AND ({table}.certifiability_at IS NULL OR {table}.certifiability_at < %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
