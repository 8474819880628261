"""Campaign management services: creation (codes, owner, rules), edit, archive and their permissions."""

import random

import pytest
from django.db import IntegrityError

from accounts.factories import UserFactory
from campaigns.codes import campaign_code_generate, campaign_code_is_well_formed
from campaigns.errors import NotCampaignEditor
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign
from content.models import TargetProfile
from campaigns.services import campaigns as services
from campaigns.services.campaigns import (
    CampaignIsArchived,
    CampaignOwnerNotMember,
    InvalidCampaign,
    LandingPageTextTooLong,
    TargetProfileNotAllowed,
    TargetProfileRequired,
    NotOrganizationMember,
    campaign_archive,
    campaign_create,
    campaign_unarchive,
    campaign_update,
)
from organizations.factories import MembershipFactory
from organizations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_target_profile(target_profile):
    """Every test here may create an assessment: the school may use one target profile."""


def _create(organization, by, **overrides):
    values = {"name": "Rentrée 2de", "type": Campaign.Type.ASSESSMENT}
    values.update(overrides)
    if values["type"] == Campaign.Type.ASSESSMENT:
        values.setdefault("target_profile", TargetProfile.objects.first())
    return campaign_create(organization=organization, by=by, **values)


def test_a_member_creates_a_campaign_with_a_well_formed_code_and_owns_it(school, bob_member):
    campaign = _create(school, bob_member, title="Parcours 2de", landing_page_text="Bonjour\nà tous",
                       external_id_label="Numéro d'élève")

    campaign.refresh_from_db()
    assert campaign_code_is_well_formed(campaign.code)
    assert campaign.owner == bob_member and campaign.creator == bob_member
    assert campaign.organization == school
    assert (campaign.name, campaign.title, campaign.landing_page_text, campaign.external_id_label) == (
        "Rentrée 2de", "Parcours 2de", "Bonjour\nà tous", "Numéro d'élève")
    assert campaign.archived_at is None


def test_an_admin_can_create_a_campaign_owned_by_a_member(school, alice_admin, bob_member):
    campaign = _create(school, alice_admin, owner=bob_member)

    assert campaign.owner == bob_member and campaign.creator == alice_admin


def test_the_owner_must_be_an_active_member(school, alice_admin, charlie_outsider):
    with pytest.raises(CampaignOwnerNotMember):
        _create(school, alice_admin, owner=charlie_outsider)

    former = UserFactory()
    membership = MembershipFactory(user=former, organization=school)
    membership.disabled_at = membership.created_at
    membership.save()
    with pytest.raises(CampaignOwnerNotMember):
        _create(school, alice_admin, owner=former)
    assert not Campaign.objects.exists()


def test_an_outsider_cannot_create_a_campaign_in_another_school(school, charlie_outsider):
    with pytest.raises(NotOrganizationMember):
        _create(school, charlie_outsider)
    assert not Campaign.objects.exists()


def test_multiple_sendings_for_an_assessment_and_a_profiles_collection(school, bob_member):
    assert _create(school, bob_member, type=Campaign.Type.ASSESSMENT, multiple_sendings=True).multiple_sendings
    campaign = _create(school, bob_member, type=Campaign.Type.PROFILES_COLLECTION, multiple_sendings=True)
    assert campaign.multiple_sendings is True


def test_an_assessment_freezes_the_active_skills_of_its_target_profile_up_to_each_cap(school, bob_member,
                                                                                   target_profile):
    from content.factories import SkillFactory
    from content.models import Skill, TargetProfileTube

    TargetProfileTube.objects.filter(target_profile=target_profile).update(level=2)
    tube = target_profile.capped_tubes.get().tube
    Skill.objects.filter(tube=tube, level=1).update(status=Skill.Status.ARCHIVED)
    campaign = _create(school, bob_member)
    assert [s.skill.name for s in campaign.campaign_skills.select_related("skill")] == ["@motsCles2"]
    assert campaign.target_profile == target_profile

    SkillFactory(tube=tube, level=4)  # a later release adds a skill: the running campaign does not move
    assert campaign.campaign_skills.count() == 1


def test_an_assessment_needs_a_target_profile_the_school_may_use(school, other_school, bob_member,
                                                                  target_profile):
    from content.factories import TargetProfileFactory

    with pytest.raises(TargetProfileRequired) as error:
        _create(school, bob_member, target_profile=None)
    assert error.value.field == "target_profile"
    private = TargetProfileFactory(is_public=False, owner_organization=other_school,
                                   tubes=[(target_profile.capped_tubes.get().tube, 3)])
    with pytest.raises(TargetProfileRequired):
        _create(school, bob_member, target_profile=private)
    with pytest.raises(TargetProfileNotAllowed):
        _create(school, bob_member, type=Campaign.Type.PROFILES_COLLECTION, target_profile=target_profile)
    assert not Campaign.objects.exists()


def test_landing_page_text_is_limited_to_5000_characters(school, bob_member):
    campaign = _create(school, bob_member, landing_page_text="é" * 5000)
    assert len(campaign.landing_page_text) == 5000

    with pytest.raises(LandingPageTextTooLong) as error:
        _create(school, bob_member, landing_page_text="é" * 5001)
    assert "5 000 caractères" in error.value.message
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"name": "   "}, "name"),
    ({"name": "x" * 256}, "name"),
    ({"type": "QUIZ"}, "type"),
    ({"title": "t" * 256}, "title"),
    ({"external_id_label": "l" * 256}, "external_id_label"),
])
def test_invalid_input_names_the_field_and_stores_nothing(school, bob_member, overrides, field):
    with pytest.raises(InvalidCampaign) as error:
        _create(school, bob_member, **overrides)
    assert error.value.field == field
    assert not Campaign.objects.exists()


def test_a_code_said_to_exist_is_never_used(school, bob_member, monkeypatch):
    rng = random.Random(2026)
    taken = campaign_code_generate(rng=random.Random(2026))
    asked = []

    def exists(code):
        asked.append(code)
        return code == taken

    monkeypatch.setattr(services, "_code_exists", exists)
    campaign = _create(school, bob_member, rng=rng)

    assert asked[0] == taken
    assert campaign.code != taken and campaign_code_is_well_formed(campaign.code)


def test_a_code_taken_between_the_check_and_the_insert_is_drawn_again(school, other_school, bob_member,
                                                                      monkeypatch):
    # Another creation took the code after our existence check: the unique constraint refuses the insert.
    first = campaign_code_generate(rng=random.Random(7))
    CampaignFactory(organization=other_school, code=first)
    monkeypatch.setattr(services, "_code_exists", lambda code: False)

    campaign = _create(school, bob_member, rng=random.Random(7))

    assert campaign.code != first
    assert Campaign.objects.filter(organization=school).get().code == campaign.code


def test_an_integrity_error_that_is_not_a_code_collision_is_not_hidden(school, bob_member, monkeypatch):
    original_save = Campaign.save

    def failing_save(self, *args, **kwargs):
        raise IntegrityError("another constraint")

    monkeypatch.setattr(Campaign, "save", failing_save)
    with pytest.raises(IntegrityError):
        _create(school, bob_member)
    monkeypatch.setattr(Campaign, "save", original_save)
    assert not Campaign.objects.exists()


# Edit, archive, unarchive: ADMIN or owner only.

@pytest.fixture
def bobs_campaign(school, bob_member):
    return _create(school, bob_member, name="Campagne de Bob")


@pytest.fixture
def dana_member(school):
    user = UserFactory(first_name="Dana", last_name="Roux")
    MembershipFactory(user=user, organization=school, role=Membership.Role.MEMBER)
    return user


def test_the_owner_edits_their_campaign(bobs_campaign, bob_member, dana_member):
    campaign_update(campaign=bobs_campaign, by=bob_member, name="  Nouveau nom ", title="Titre",
                    landing_page_text="Texte", external_id_label="N° élève", owner=dana_member)

    bobs_campaign.refresh_from_db()
    assert (bobs_campaign.name, bobs_campaign.title, bobs_campaign.landing_page_text,
            bobs_campaign.external_id_label, bobs_campaign.owner) == (
        "Nouveau nom", "Titre", "Texte", "N° élève", dana_member)


def test_an_admin_edits_any_campaign(bobs_campaign, alice_admin):
    campaign_update(campaign=bobs_campaign, by=alice_admin, name="Renommée par Alice")
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Renommée par Alice"


def test_a_member_who_is_not_the_owner_cannot_edit_archive_or_unarchive(bobs_campaign, dana_member, alice_admin):
    with pytest.raises(NotCampaignEditor):
        campaign_update(campaign=bobs_campaign, by=dana_member, name="Piratée")
    with pytest.raises(NotCampaignEditor):
        campaign_archive(campaign=bobs_campaign, by=dana_member)
    campaign_archive(campaign=bobs_campaign, by=alice_admin)
    with pytest.raises(NotCampaignEditor):
        campaign_unarchive(campaign=bobs_campaign, by=dana_member)

    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Campagne de Bob" and bobs_campaign.archived_at is not None


def test_an_outsider_cannot_edit(bobs_campaign, charlie_outsider):
    with pytest.raises(NotCampaignEditor):
        campaign_update(campaign=bobs_campaign, by=charlie_outsider, name="Piratée")


def test_an_owner_who_left_the_school_can_no_longer_edit(school, bobs_campaign, bob_member):
    Membership.objects.filter(user=bob_member, organization=school).update(disabled_at=bobs_campaign.created_at)
    with pytest.raises(NotCampaignEditor):
        campaign_archive(campaign=bobs_campaign, by=bob_member)


def test_the_new_owner_must_be_a_member(bobs_campaign, bob_member, charlie_outsider):
    with pytest.raises(CampaignOwnerNotMember):
        campaign_update(campaign=bobs_campaign, by=bob_member, owner=charlie_outsider)
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.owner == bob_member


def test_edit_rules_are_those_of_creation(bobs_campaign, bob_member):
    with pytest.raises(LandingPageTextTooLong):
        campaign_update(campaign=bobs_campaign, by=bob_member, landing_page_text="a" * 5001)
    with pytest.raises(InvalidCampaign):
        campaign_update(campaign=bobs_campaign, by=bob_member, name="")
    with pytest.raises(TypeError):
        campaign_update(campaign=bobs_campaign, by=bob_member, code="ABCDEF234")


def test_the_owner_archives_and_unarchives(bobs_campaign, bob_member):
    campaign_archive(campaign=bobs_campaign, by=bob_member)
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is not None and bobs_campaign.archived_by == bob_member

    campaign_unarchive(campaign=bobs_campaign, by=bob_member)
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is None and bobs_campaign.archived_by is None


def test_archiving_twice_keeps_the_first_date(bobs_campaign, bob_member, alice_admin):
    campaign_archive(campaign=bobs_campaign, by=bob_member)
    first = Campaign.objects.get(pk=bobs_campaign.pk).archived_at
    campaign_archive(campaign=bobs_campaign, by=alice_admin)
    again = Campaign.objects.get(pk=bobs_campaign.pk)
    assert again.archived_at == first and again.archived_by == bob_member


def test_an_archived_campaign_is_unarchived_before_being_edited(bobs_campaign, bob_member):
    campaign_archive(campaign=bobs_campaign, by=bob_member)
    with pytest.raises(CampaignIsArchived):
        campaign_update(campaign=bobs_campaign, by=bob_member, name="Autre")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_creations_racing_for_one_code_both_succeed_with_different_codes(school, bob_member, alice_admin,
                                                                             monkeypatch):
    from pixorga.testing import run_together

    # Both draw the same first code and neither sees the other's row before inserting: the constraint decides.
    monkeypatch.setattr(services, "_code_exists", lambda code: False)
    creators = ((bob_member, "A"), (alice_admin, "B"))

    results = run_together(
        lambda i: _create(school, creators[i][0], name=creators[i][1], rng=random.Random(7)), len(creators))
    failures = [value for kind, value in results if kind == "error"]

    assert failures == []
    codes = set(Campaign.objects.values_list("code", flat=True))
    assert len(codes) == 2 and campaign_code_generate(rng=random.Random(7)) in codes


def test_line_breaks_sent_by_a_browser_count_as_one_character(school, bob_member):
    text = "ligne\n" * 833 + "ab"  # 5,000 characters as the page's counter and maxlength count them
    sent = text.replace("\n", "\r\n")  # what the browser submits
    assert len(text) == 5000 and len(sent) > 5000

    campaign = _create(school, bob_member, landing_page_text=sent)

    campaign.refresh_from_db()
    assert campaign.landing_page_text == text
