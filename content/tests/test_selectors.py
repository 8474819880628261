"""Which profiles an organization may use, their counts in SQL, and the skills a campaign freezes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.errors import TargetProfileNotFound
from content.factories import CompetenceFactory, SkillFactory, TargetProfileFactory, TubeFactory
from content.models import Skill
from content.selectors import (
    competence_active_skills,
    content_current_release,
    target_profile_for_organization,
    target_profile_skills,
    target_profiles_for_organization,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mdp():
    tube = TubeFactory(name="mdp")
    for level in (1, 2, 3, 4):
        SkillFactory(tube=tube, level=level)
    SkillFactory(tube=tube, level=5, status=Skill.Status.ARCHIVED)
    return tube


def test_an_organization_sees_the_public_profiles_and_its_own(school, other_school, mdp):
    public = TargetProfileFactory(name="Public", tubes=[(mdp, 8)])
    own = TargetProfileFactory(name="Le nôtre", is_public=False, owner_organization=school, tubes=[(mdp, 2)])
    TargetProfileFactory(name="Le leur", is_public=False, owner_organization=other_school, tubes=[(mdp, 2)])
    TargetProfileFactory(name="Archivé", is_archived=True, tubes=[(mdp, 2)])

    assert {p.name for p in target_profiles_for_organization(organization=school)} == {"Public", "Le nôtre"}
    assert target_profile_for_organization(organization=school, target_profile_id=own.pk) == own
    assert target_profile_for_organization(organization=other_school, target_profile_id=public.pk) == public
    with pytest.raises(TargetProfileNotFound):
        target_profile_for_organization(organization=other_school, target_profile_id=own.pk)


def test_counts_are_the_active_skills_up_to_each_cap_in_one_query(school, mdp):
    virus = TubeFactory(name="virus", competence=mdp.competence)
    SkillFactory(tube=virus, level=1)
    for index in range(5):
        TargetProfileFactory(name=f"P{index}", tubes=[(mdp, 2 + index), (virus, 1)])

    with CaptureQueriesContext(connection) as queries:
        counts = [(p.name, p.tubes_count, p.skills_count) for p in
                  target_profiles_for_organization(organization=school)]

    assert len(queries) == 1
    assert counts == [("P0", 2, 3), ("P1", 2, 4), ("P2", 2, 5), ("P3", 2, 5), ("P4", 2, 5)]  # @mdp5 is archived


def test_a_profile_without_tubes_counts_zero(school):
    TargetProfileFactory(name="Vide")
    [profile] = target_profiles_for_organization(organization=school)
    assert (profile.tubes_count, profile.skills_count) == (0, 0)


def test_the_skills_of_a_profile_are_the_active_ones_up_to_each_cap(mdp, django_assert_num_queries):
    other = TubeFactory(name="autre", competence=CompetenceFactory(code="2.1"))
    SkillFactory(tube=other, level=1)
    SkillFactory(tube=other, level=2)
    profile = TargetProfileFactory(tubes=[(mdp, 8), (other, 1)])

    with django_assert_num_queries(1):
        skills = target_profile_skills(target_profile=profile)
        names = [skill.name for skill in skills]
        [skill.tube.competence.code for skill in skills]

    assert names == ["@mdp1", "@mdp2", "@mdp3", "@mdp4", "@autre1"]


def test_a_competences_active_skills(mdp):
    assert [s.name for s in competence_active_skills(competence=mdp.competence)] == ["@mdp1", "@mdp2", "@mdp3",
                                                                                     "@mdp4"]


def test_the_current_release_is_the_last_one(tmp_path):
    from content.factories import ReleaseFactory

    assert content_current_release() is None
    ReleaseFactory(version=1)
    second = ReleaseFactory(version=2)
    assert content_current_release() == second
