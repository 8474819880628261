"""The Django admin: staff read the content and manage their target profiles; saving runs the services' checks."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from content.factories import (
    BadgeCriterionFactory,
    BadgeFactory,
    ChallengeFactory,
    SkillFactory,
    StageFactory,
    TargetProfileFactory,
    TubeFactory,
)
from content.models import TargetProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def content(db):
    tube = TubeFactory(name="mdp")
    skill = SkillFactory(tube=tube, level=1)
    challenge = ChallengeFactory(skill=skill)
    profile = TargetProfileFactory(tubes=[(tube, 1)])
    StageFactory(target_profile=profile, threshold=0)
    badge = BadgeFactory(target_profile=profile)
    BadgeCriterionFactory(badge=badge)
    return {"tube": tube, "skill": skill, "challenge": challenge, "profile": profile, "badge": badge}


@pytest.mark.parametrize("model", ["release", "area", "competence", "tube", "skill", "challenge", "targetprofile",
                                   "badge"])
def test_every_list_answers_for_staff(admin_client, content, model):
    assert admin_client.get(reverse(f"admin:content_{model}_changelist")).status_code == 200


def test_lists_search_and_filter(admin_client, content):
    url = reverse("admin:content_challenge_changelist")
    assert content["challenge"].id in admin_client.get(url, {"q": content["challenge"].id}).content.decode()
    assert admin_client.get(url, {"type__exact": "QCU", "status__exact": "validé"}).status_code == 200
    assert admin_client.get(reverse("admin:content_skill_changelist"), {"q": "@mdp"}).status_code == 200


def test_the_content_is_read_only(admin_client, content):
    assert admin_client.get(reverse("admin:content_challenge_add")).status_code == 403
    page = admin_client.get(reverse("admin:content_challenge_change", args=[content["challenge"].pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_the_profile_pages_answer(admin_client, content):
    assert admin_client.get(reverse("admin:content_targetprofile_add")).status_code == 200
    assert admin_client.get(reverse("admin:content_targetprofile_change",
                                    args=[content["profile"].pk])).status_code == 200
    assert admin_client.get(reverse("admin:content_badge_change", args=[content["badge"].pk])).status_code == 200


def _management(prefix: str, total: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}


def _profile_post(tube, **stages) -> dict:
    data = {"name": "Mots de passe", "description": "", "category": "SUBJECT", "is_public": "on",
            **_management("capped_tubes", 1), "capped_tubes-0-tube": str(tube.pk), "capped_tubes-0-level": "2",
            **_management("badges")}
    data.update(_management("stages", len(stages)))
    for index, (threshold, title) in enumerate(stages.items()):
        data[f"stages-{index}-threshold"] = threshold.lstrip("t")
        data[f"stages-{index}-title"] = title
    return data


def test_staff_create_a_profile_with_its_tubes_and_stages(admin_client, content):
    response = admin_client.post(reverse("admin:content_targetprofile_add"),
                                 _profile_post(content["tube"], t0="Début", t50="Bien"))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    profile = TargetProfile.objects.get(name="Mots de passe")
    assert list(profile.capped_tubes.values_list("tube__name", "level")) == [("mdp", 2)]
    assert sorted(profile.stages.values_list("threshold", flat=True)) == [0, 50]
    assert profile.key.startswith("mots-de-passe-")


def test_saving_runs_the_services_checks(admin_client, content):
    response = admin_client.post(reverse("admin:content_targetprofile_add"),
                                 _profile_post(content["tube"], t40="Bien"))
    assert response.status_code == 200
    assert "palier zéro" in response.content.decode()
    assert not TargetProfile.objects.filter(name="Mots de passe").exists()


def test_a_bank_profile_is_read_only(admin_client, content):
    profile = TargetProfileFactory(from_bank=True)
    page = admin_client.get(reverse("admin:content_targetprofile_change", args=[profile.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_a_member_of_a_school_cannot_open_the_admin(client, alice_admin):
    client.force_login(alice_admin)
    assert client.get(reverse("admin:content_targetprofile_changelist")).status_code == 302
