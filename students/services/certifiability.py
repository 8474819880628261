"""Recording each learner's certifiability: from a profile sent in a profiles collection, or from the nightly
computation (both written by ``assessments``, which calls these functions). Latest wins: a value is written only
when its date is newer than the one stored, in the UPDATE's own WHERE clause, so two writers racing (a profile sent
while the nightly run writes) keep the newer one whatever their order."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, JSONField, Q, Value, When
from django.db.models.functions import Now

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
    ``CHUNK_SIZE`` learners (CASE on the id), with the same latest-wins rule. Returns the rows written."""
    source = Learner.CertifiabilitySource(source)
    ids = sorted(profiles)
    written = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE]
        status = Case(*(When(pk=pk, then=Value(profiles[pk].status)) for pk in chunk),
                      default=Value(Learner.Certifiability.NOT_CERTIFIABLE))
        counts = Case(*(When(pk=pk, then=Value(profiles[pk].certifiable_competences)) for pk in chunk),
                      default=Value(None), output_field=IntegerField())
        levels = Case(*(When(pk=pk, then=Value(profiles[pk].levels(), output_field=JSONField())) for pk in chunk),
                      default=Value({}, output_field=JSONField()), output_field=JSONField())
        written += Learner.objects.filter(_older_than(at), pk__in=chunk).update(
            certifiability=status, certifiability_at=at, certifiability_source=source,
            certifiable_competences=counts, certifiability_levels=levels, updated_at=Now(),
        )
    return written
