"""Campaign management: create, edit, archive and unarchive (the one write path for views, API and commands)."""

from __future__ import annotations

import logging
import random

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from campaigns.codes import CampaignCodeGenerationFailed, campaign_code_generate_unique
from campaigns.errors import NotCampaignEditor
from campaigns.models import LANDING_PAGE_TEXT_MAX, Campaign, CampaignSkill
from campaigns.selectors.campaigns import campaign_can_edit
from content.models import TargetProfile
from content.selectors import target_profile_for_organization, target_profile_skills
from organizations.models import Membership, Organization
from pixorga.errors import DomainError

logger = logging.getLogger(__name__)

NAME_MAX = 255
TITLE_MAX = 255
EXTERNAL_ID_LABEL_MAX = 255
# Collisions among ~7.6e10 codes are rare; a few tries absorb a race between two creations on the same code.
CODE_INSERT_ATTEMPTS = 5
EDITABLE_FIELDS = frozenset({"name", "title", "landing_page_text", "external_id_label", "owner"})


class InvalidCampaign(DomainError):
    """Bad input for a campaign; ``field`` names the faulty input (the form shows the message beside it)."""

    code = "INVALID_CAMPAIGN"
    default_message = "Les informations de la campagne sont invalides."

    def __init__(self, message: str | None = None, *, field: str = "", **kwargs):
        self.field = field
        super().__init__(message, **kwargs)


class CampaignOwnerNotMember(InvalidCampaign):
    code = "CAMPAIGN_OWNER_NOT_MEMBER"
    default_message = "Le propriétaire de la campagne doit être un membre de l'organisation."

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="owner", **kwargs)


class TargetProfileRequired(InvalidCampaign):
    code = "TARGET_PROFILE_REQUIRED"
    default_message = "Choisissez le parcours que les élèves passeront."

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="target_profile", **kwargs)


class TargetProfileNotAllowed(InvalidCampaign):
    code = "TARGET_PROFILE_NOT_ALLOWED"
    default_message = ("Une collecte de profils n'a pas de parcours : les élèves envoient leur profil "
                       "tel qu'il est. Retirez le parcours ou choisissez « Évaluation ».")

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="target_profile", **kwargs)


class TargetProfileEmpty(InvalidCampaign):
    code = "TARGET_PROFILE_EMPTY"
    default_message = "Ce parcours ne contient encore aucune question : choisissez-en un autre."

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="target_profile", **kwargs)


class LandingPageTextTooLong(InvalidCampaign):
    code = "LANDING_PAGE_TEXT_TOO_LONG"
    default_message = (
        "Le texte de la page d'accueil ne peut pas dépasser 5 000 caractères : raccourcissez-le."
    )

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="landing_page_text", **kwargs)


class NotOrganizationMember(DomainError):
    # Outsiders learn nothing: the same answer as for an organization that does not exist.
    code = "NOT_FOUND"
    http_status = 404
    default_message = "Cette page n'existe pas ou vous n'y avez pas accès."


class CampaignIsArchived(DomainError):
    code = "CAMPAIGN_IS_ARCHIVED"
    http_status = 409
    default_message = "Cette campagne est archivée : désarchivez-la avant de la modifier."


def _clean_text(value, *, field: str, label: str, max_length: int | None, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidCampaign(f"{label} doit être un texte.", field=field)
    # Browsers send a textarea's line breaks as CRLF but count them as one character (maxlength, the counter).
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise InvalidCampaign(f"Indiquez {label.lower()}.", field=field)
    if max_length is not None and len(value) > max_length:
        if field == "landing_page_text":
            raise LandingPageTextTooLong()
        raise InvalidCampaign(f"{label} ne peut pas dépasser {max_length} caractères.", field=field)
    return value


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    if "name" in fields:
        cleaned["name"] = _clean_text(fields["name"], field="name", label="Le nom de la campagne",
                                      max_length=NAME_MAX, required=True)
    if "title" in fields:
        cleaned["title"] = _clean_text(fields["title"], field="title", label="Le titre du parcours",
                                       max_length=TITLE_MAX)
    if "landing_page_text" in fields:
        # Kept as typed apart from surrounding blanks: line breaks are part of the text.
        cleaned["landing_page_text"] = _clean_text(fields["landing_page_text"], field="landing_page_text",
                                                   label="Le texte de la page d'accueil",
                                                   max_length=LANDING_PAGE_TEXT_MAX)
    if "external_id_label" in fields:
        cleaned["external_id_label"] = _clean_text(fields["external_id_label"], field="external_id_label",
                                                   label="Le libellé de l'identifiant externe",
                                                   max_length=EXTERNAL_ID_LABEL_MAX)
    return cleaned


def _require_member(*, organization: Organization, user: User | None, owner: bool = False) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not Membership.objects.active().filter(
        organization=organization, user=user
    ).exists():
        if owner:
            raise CampaignOwnerNotMember()
        raise NotOrganizationMember()


def _code_exists(code: str) -> bool:
    return Campaign.objects.filter(code=code).exists()


@transaction.atomic
def campaign_create(
    *,
    organization: Organization,
    by: User,
    name: str,
    type: str,
    title: str = "",
    landing_page_text: str = "",
    external_id_label: str = "",
    multiple_sendings: bool = False,
    target_profile: TargetProfile | int | None = None,
    owner: User | None = None,
    rng: random.Random | None = None,
) -> Campaign:
    """A new campaign with a fresh platform-unique code; any active member may create one.

    An assessment needs a target profile the organization may use; its active skills (each tube up to its cap)
    are frozen in ``CampaignSkill``. ``owner`` defaults to ``by`` and must be an active member. ``rng`` is for
    tests (codes default to the CSPRNG).
    """
    _require_member(organization=organization, user=by)
    if organization.is_archived:
        raise NotOrganizationMember()
    owner = owner or by
    if owner.pk != by.pk:
        _require_member(organization=organization, user=owner, owner=True)
    if type not in Campaign.Type.values:
        raise InvalidCampaign("Choisissez le type de campagne : « Évaluation » ou « Collecte de profils ».",
                              field="type")
    multiple_sendings = bool(multiple_sendings)
    skills = []
    if type == Campaign.Type.ASSESSMENT:
        if target_profile is None or target_profile == "":
            raise TargetProfileRequired()
        target_profile_id = target_profile.pk if isinstance(target_profile, TargetProfile) else target_profile
        try:
            target_profile = target_profile_for_organization(organization=organization,
                                                             target_profile_id=int(target_profile_id))
        except (DomainError, TypeError, ValueError):
            raise TargetProfileRequired("Ce parcours n'existe pas ou n'est pas proposé à votre organisation : "
                                        "choisissez-en un dans la liste.") from None
        skills = target_profile_skills(target_profile=target_profile)
        if not skills:
            raise TargetProfileEmpty()
    elif target_profile is not None and target_profile != "":
        raise TargetProfileNotAllowed()
    else:
        target_profile = None
    cleaned = _clean_fields({"name": name, "title": title, "landing_page_text": landing_page_text,
                             "external_id_label": external_id_label})
    campaign = Campaign(organization=organization, type=type, multiple_sendings=multiple_sendings,
                        target_profile=target_profile, owner=owner, creator=by, **cleaned)
    for _ in range(CODE_INSERT_ATTEMPTS):
        campaign.code = campaign_code_generate_unique(exists=_code_exists, rng=rng)
        try:
            # A savepoint: a concurrent creation that took the same code between the check and the insert
            # rolls back only this insert, and another code is drawn.
            with transaction.atomic():
                campaign.save(force_insert=True)
        except IntegrityError:
            campaign.pk = None
            if not Campaign.objects.filter(code=campaign.code).exists():
                raise  # another constraint: not a collision, do not hide it
            logger.info("campaign code collision on insert, drawing another (organization=%s)", organization.pk)
            continue
        CampaignSkill.objects.bulk_create([CampaignSkill(campaign=campaign, skill=skill) for skill in skills])
        logger.info("campaign created id=%s code=%s organization=%s skills=%s", campaign.pk, campaign.code,
                    organization.pk, len(skills))
        return campaign
    raise CampaignCodeGenerationFailed(CODE_INSERT_ATTEMPTS)


def _locked_for_edit(*, campaign: Campaign, by: User) -> Campaign:
    locked = Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    if not campaign_can_edit(user=by, campaign=locked):
        raise NotCampaignEditor()
    return locked


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: User, **fields) -> Campaign:
    """Change the name, title, landing-page text, external-id label or owner (ADMIN or the owner only)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"campaign_update() cannot change: {', '.join(sorted(unknown))}")
    locked = _locked_for_edit(campaign=campaign, by=by)
    if locked.is_archived:
        raise CampaignIsArchived()
    changes = _clean_fields(fields)
    if "owner" in fields:
        owner = fields["owner"]
        if owner is None:
            raise CampaignOwnerNotMember()
        if owner.pk != locked.owner_id:
            _require_member(organization=locked.organization, user=owner, owner=True)
        changes["owner"] = owner
    for field, value in changes.items():
        setattr(locked, field, value)
    if changes:
        locked.save(update_fields=list(changes))
        logger.info("campaign updated id=%s fields=%s", locked.pk, ",".join(sorted(changes)))
    _copy_state(locked, campaign)
    return campaign


@transaction.atomic
def campaign_archive(*, campaign: Campaign, by: User) -> Campaign:
    """Archive: students can no longer join; results stay. Archiving an archived campaign changes nothing."""
    locked = _locked_for_edit(campaign=campaign, by=by)
    if not locked.is_archived:
        locked.archived_at = timezone.now()
        locked.archived_by = by
        locked.save(update_fields=["archived_at", "archived_by"])
        logger.info("campaign archived id=%s", locked.pk)
    _copy_state(locked, campaign)
    return campaign


@transaction.atomic
def campaign_unarchive(*, campaign: Campaign, by: User) -> Campaign:
    locked = _locked_for_edit(campaign=campaign, by=by)
    if locked.is_archived:
        locked.archived_at = None
        locked.archived_by = None
        locked.save(update_fields=["archived_at", "archived_by"])
        logger.info("campaign unarchived id=%s", locked.pk)
    _copy_state(locked, campaign)
    return campaign


def _copy_state(source: Campaign, target: Campaign) -> None:
    """The caller's instance reflects what was saved (views re-render it)."""
    if source is target:
        return
    for field in ("name", "title", "landing_page_text", "external_id_label", "owner_id", "archived_at",
                  "archived_by_id"):
        setattr(target, field, getattr(source, field))  # setting an *_id drops a stale cached relation


def campaign_duplicate(*, campaign: Campaign, by: User, rng: random.Random | None = None) -> Campaign:
    """« Dupliquer »: a new campaign with the same settings and target profile, a new code, owned by ``by`` (any
    active member, as for a creation). Its skills are frozen from the target profile as it is now: content that
    changed since the original was created is the new campaign's."""
    try:
        return campaign_create(
            organization=campaign.organization, by=by, name=f"Copie de {campaign.name}"[:NAME_MAX],
            type=campaign.type, title=campaign.title, landing_page_text=campaign.landing_page_text,
            external_id_label=campaign.external_id_label, multiple_sendings=campaign.multiple_sendings,
            target_profile=campaign.target_profile_id, rng=rng,
        )
    except (TargetProfileRequired, TargetProfileEmpty):
        raise TargetProfileRequired("Le parcours de cette campagne n'est plus proposé à votre organisation : "
                                    "créez une nouvelle campagne avec un autre parcours.") from None
