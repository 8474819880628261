"""What the certifiability tests of students/ share: learners whose certifiability was recorded by the service, as
a profile sent or the nightly computation would, and certification dates around today."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from students.factories import LearnerFactory
from students.models import Learner
from students.services.certifiability import learner_certifiability_record

@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Import it in a test module (autouse there): accounts are made by the dozen and never log in by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CODES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1",
         "5.2")


def profile_with(level_one: int, *, pix: dict[str, int] | None = None) -> dict:
    """The first ``level_one`` competences at level 1 (8 pix), the others at 0 pix unless ``pix`` says."""
    pix = pix or {}
    return {code: ({"pix": 8, "level": 1} if index < level_one else {"pix": pix.get(code, 0), "level": 0})
            for index, code in enumerate(CODES)}


def learner_known(organization, family_name: str, first_name: str = "Camille", *, division: str = "2NDE1",
                  level_one: int | None = None, pix: dict[str, int] | None = None,
                  at: datetime.datetime | None = None, source: str = Learner.CertifiabilitySource.COMPUTED,
                  mef_code: str = "", linked: bool = True) -> Learner:
    """A learner with an account; when ``level_one`` is given, the profile recorded for it (5 or more: certifiable)."""
    learner = LearnerFactory(organization=organization, family_name=family_name, first_name=first_name,
                             division=division, mef_code=mef_code, user=UserFactory() if linked else None)
    if level_one is not None:
        learner_certifiability_record(learner_ids=[learner.pk], certifiable=level_one >= 5,
                                      at=at or timezone.now(), source=source,
                                      competences=profile_with(level_one, pix=pix))
        learner.refresh_from_db()
    return learner


def month_day(days_from_today: int) -> tuple[int, int]:
    date = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return date.month, date.day


def lycee_dates(settings, *, collection_in_days: int) -> None:
    """A lycée window opening in 40 days and closing in 120, the last collection ``collection_in_days`` from now."""
    settings.CERTIFICATION_WINDOW_LYCEE = (month_day(40), month_day(120))
    settings.CERTIFICATION_LAST_COLLECTION_LYCEE = month_day(collection_in_days)
