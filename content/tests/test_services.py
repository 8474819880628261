"""Applying a bank as a release (bulk, idempotent, archiving what left), and the staff's target profile services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from content.errors import StaffOnly, TargetProfileFromBank, TargetProfileInUse, TargetProfileInvalid
from content.factories import SkillFactory, TargetProfileFactory, TubeFactory
from content.loader import bank_read
from content.models import Badge, Challenge, Release, Skill, Stage, TargetProfile, Tube
from content.services import content_release_apply, target_profile_create, target_profile_update
from content.tests.banks import PROFILES, VALID_41, VALID_42, write_bank

pytestmark = pytest.mark.django_db


def _bank(tmp_path, name="bank", *, c41=VALID_41, c42=VALID_42, profiles=PROFILES):
    return bank_read(write_bank(tmp_path / name, files={"4.1.yaml": c41, "4.2.yaml": c42}, profiles=profiles))


def _without_virus(text: str) -> str:
    return text[:text.index("  - name: virus")]


def test_a_first_load_writes_everything_as_version_1(tmp_path):
    release = content_release_apply(bank=_bank(tmp_path))

    assert (release.version, release.was_created) == (1, True)
    assert (release.skills_count, release.challenges_count) == (5, 8)
    assert release.changes["challenges"] == {"created": 8, "updated": 0, "archived": 0}
    challenge = Challenge.objects.get(id="mdp2-b")
    assert challenge.skill.name == "@mdp2"
    assert challenge.solution == {"nombre": ["12", "douze"], "sorte": ["symboles", "caractères spéciaux"]}
    assert challenge.release == release
    assert Challenge.objects.get(id="mdp1-b").solution == "1,3"
    assert Skill.objects.get(name="@mdp1").pix_value == 4
    assert Tube.objects.get(name="mdp").competence.code == "4.1"


def test_loading_the_same_bank_again_writes_nothing(tmp_path):
    bank = _bank(tmp_path)
    first = content_release_apply(bank=bank)

    with CaptureQueriesContext(connection) as queries:
        again = content_release_apply(bank=_bank(tmp_path, "copy"))

    assert (again.pk, again.was_created, again.changes) == (first.pk, False, {})
    assert Release.objects.count() == 1
    assert all(query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")) for query in queries)


def test_a_challenge_and_a_skill_that_leave_the_bank_are_archived_and_kept(tmp_path):
    content_release_apply(bank=_bank(tmp_path))
    fewer = _without_virus(VALID_41).replace(
        "      - id: mdp1-b\n", "      - id: mdp1-c\n")  # mdp1-b renamed: the old one leaves

    release = content_release_apply(bank=_bank(tmp_path, "next", c41=fewer))

    assert release.version == 2
    assert Challenge.objects.get(id="virus1-a").status == Challenge.Status.ARCHIVED
    assert Challenge.objects.get(id="mdp1-b").status == Challenge.Status.ARCHIVED
    assert Challenge.objects.get(id="mdp1-c").status == Challenge.Status.VALIDATED
    virus = Skill.objects.get(name="@virus1")
    assert (virus.status, virus.pix_value) == (Skill.Status.ARCHIVED, 0)
    assert Tube.objects.get(name="virus").is_active is False
    assert release.changes["challenges"] == {"created": 1, "updated": 0, "archived": 2}
    assert release.changes["skills"]["archived"] == 1
    # @mdp1 is now alone at level 1 of 4.1: its pix value is recomputed
    assert Skill.objects.get(name="@mdp1").pix_value == 4
    # the bank's « tout » profile no longer has the tube that left
    assert not TargetProfile.objects.get(key="tout").capped_tubes.filter(tube__name="virus").exists()


def test_a_challenge_back_in_the_bank_is_validated_again(tmp_path):
    content_release_apply(bank=_bank(tmp_path))
    content_release_apply(bank=_bank(tmp_path, "without", c41=_without_virus(VALID_41)))
    content_release_apply(bank=_bank(tmp_path, "back"))

    assert Challenge.objects.get(id="virus1-a").status == Challenge.Status.VALIDATED
    assert Skill.objects.get(name="@virus1").status == Skill.Status.ACTIVE
    assert Tube.objects.get(name="virus").is_active is True


def test_only_changed_challenges_are_written_and_point_at_the_new_release(tmp_path):
    first = content_release_apply(bank=_bank(tmp_path))
    edited = VALID_41.replace("Quel mot de passe est le plus solide ?", "Quel mot de passe est le plus sûr ?")

    second = content_release_apply(bank=_bank(tmp_path, "edited", c41=edited))

    assert second.changes["challenges"] == {"created": 0, "updated": 1, "archived": 0}
    assert Challenge.objects.get(id="mdp1-a").release == second
    assert Challenge.objects.get(id="mdp1-b").release == first


def test_the_banks_target_profiles_are_public_with_their_tubes_stages_and_badges(tmp_path):
    content_release_apply(bank=_bank(tmp_path))

    securite = TargetProfile.objects.get(key="securite")
    assert (securite.is_public, securite.owner_organization, securite.from_bank) == (True, None, True)
    assert sorted(securite.capped_tubes.values_list("tube__name", "level")) == [
        ("mdp", 2), ("traces", 1), ("virus", 1)]
    assert list(securite.stages.values_list("threshold", "title")) == [(0, "Premiers pas"), (50, "À mi-chemin")]
    badge = securite.badges.get()
    assert list(badge.criteria.values_list("scope", "threshold", "tubes")) == [
        ("CAMPAIGN", 60, []), ("TUBES", 70, [{"tube": "mdp", "level": 1}, {"tube": "virus", "level": 1}])]


def test_reloading_keeps_the_stages_and_badges_that_did_not_change(tmp_path):
    content_release_apply(bank=_bank(tmp_path))
    stage_ids = set(Stage.objects.values_list("pk", flat=True))
    badge_ids = set(Badge.objects.values_list("pk", flat=True))

    content_release_apply(bank=_bank(tmp_path, "edited", profiles=PROFILES.replace("À mi-chemin", "À moitié")))

    assert set(Stage.objects.values_list("pk", flat=True)) == stage_ids
    assert Stage.objects.get(threshold=50).title == "À moitié"
    assert set(Badge.objects.values_list("pk", flat=True)) == badge_ids


def test_a_profile_that_leaves_the_file_is_archived(tmp_path):
    content_release_apply(bank=_bank(tmp_path))
    only_tout = PROFILES[:PROFILES.index("- key: securite")]

    release = content_release_apply(bank=_bank(tmp_path, "fewer", profiles=only_tout))

    assert TargetProfile.objects.get(key="securite").is_archived is True
    assert release.changes["target_profiles"]["archived"] == 1


def test_the_load_costs_a_bounded_number_of_queries(tmp_path):
    with CaptureQueriesContext(connection) as queries:
        content_release_apply(bank=_bank(tmp_path))
    assert len(queries) < 40


# --- Staff profiles ---------------------------------------------------------------------------------------------

@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def tubes(db):
    first = TubeFactory(name="mdp")
    second = TubeFactory(name="virus", competence=first.competence)
    for tube in (first, second):
        for level in (1, 2, 3):
            SkillFactory(tube=tube, level=level)
    return first, second


def test_staff_create_a_profile_with_stages_and_a_badge(staff, tubes, school):
    mdp, virus = tubes
    profile = target_profile_create(
        by=staff, name="Mots de passe", description="Pour les 4e.", category=TargetProfile.Category.SUBJECT,
        tubes=[(mdp, 3), (virus, 2)], owner_organization=school,
        stages=[{"threshold": 0, "title": "Début"}, {"threshold": 50, "title": "Bien"}],
        badges=[{"key": "pro", "title": "Pro", "criteria": [
            {"scope": "CAMPAIGN", "threshold": 80}, {"scope": "TUBES", "threshold": 90,
                                                    "tubes": [{"tube": "mdp", "level": 2}]}]}])

    assert (profile.owner_organization, profile.is_public, profile.from_bank) == (school, False, False)
    assert sorted(profile.capped_tubes.values_list("tube__name", "level")) == [("mdp", 3), ("virus", 2)]
    assert profile.stages.count() == 2
    assert profile.badges.get().criteria.count() == 2
    assert profile.key.startswith("mots-de-passe-")


def test_only_staff_create_profiles(tubes, alice_admin, school):
    with pytest.raises(StaffOnly):
        target_profile_create(by=alice_admin, name="X", tubes=[(tubes[0], 2)], owner_organization=school)


@pytest.mark.parametrize("changes, fragment", [
    ({"name": " "}, "donnez un nom"),
    ({"tubes": []}, "au moins un sujet"),
    ({"owner_organization": None}, "public ou appartient à une organisation"),
    ({"stages": [{"threshold": 40, "title": "Bien"}]}, "palier zéro"),
    ({"stages": [{"threshold": 0, "title": "A"}, {"level": 2, "title": "B"}]}, "ne mélangez pas"),
    ({"badges": [{"key": "b", "title": "B", "criteria": [
        {"scope": "TUBES", "threshold": 50, "tubes": [{"tube": "ailleurs", "level": 1}]}]}]},
     "n'est pas dans le parcours"),
    ({"badges": [{"key": "b", "title": "B", "criteria": []}]}, "au moins un critère"),
])
def test_an_invalid_profile_is_refused_with_what_to_change(staff, tubes, school, changes, fragment):
    values = {"name": "Parcours", "tubes": [(tubes[0], 2)], "owner_organization": school, **changes}
    with pytest.raises(TargetProfileInvalid) as raised:
        target_profile_create(by=staff, **values)
    assert fragment in raised.value.message
    assert raised.value.code == "TARGET_PROFILE_INVALID"


def test_an_archived_tube_cannot_be_chosen(staff, tubes, school):
    archived = TubeFactory(is_active=False)
    with pytest.raises(TargetProfileInvalid, match="n'est plus dans la banque"):
        target_profile_create(by=staff, name="P", tubes=[(archived, 2)], owner_organization=school)


def test_staff_update_a_profile(staff, tubes, school):
    profile = target_profile_create(by=staff, name="P", tubes=[(tubes[0], 2)], owner_organization=school)

    target_profile_update(by=staff, target_profile=profile, name="Nouveau nom", tubes=[(tubes[1], 3)],
                          is_public=True, owner_organization=None)

    profile.refresh_from_db()
    assert (profile.name, profile.is_public, profile.owner_organization) == ("Nouveau nom", True, None)
    assert list(profile.capped_tubes.values_list("tube__name", "level")) == [("virus", 3)]


def test_the_banks_profiles_change_in_their_file(staff, tubes):
    profile = TargetProfileFactory(from_bank=True, tubes=[(tubes[0], 2)])
    with pytest.raises(TargetProfileFromBank):
        target_profile_update(by=staff, target_profile=profile, name="Autre")


def test_the_tubes_of_a_profile_used_by_a_campaign_are_frozen(staff, tubes, school):
    from campaigns.factories import CampaignFactory

    profile = target_profile_create(by=staff, name="P", tubes=[(tubes[0], 2)], owner_organization=school)
    CampaignFactory(organization=school, target_profile=profile)

    with pytest.raises(TargetProfileInUse):
        target_profile_update(by=staff, target_profile=profile, tubes=[(tubes[0], 3)])
    target_profile_update(by=staff, target_profile=profile, name="Renommé")  # its name may change
