"""Writes of the content app: a bank release, and the target profiles that staff manage.

``content_release_apply`` is the only way content reaches the database (``content_load``, ``demo_load`` and the
tests call it); target profiles created by staff go through ``target_profile_create`` / ``target_profile_update``
(the API; the Django admin runs the same checks, ``target_profile_problems``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from content.errors import StaffOnly, TargetProfileFromBank, TargetProfileInUse, TargetProfileInvalid
from content.loader import Bank
from content.models import (
    Area,
    Badge,
    BadgeCriterion,
    Challenge,
    Competence,
    Release,
    Skill,
    Stage,
    TargetProfile,
    TargetProfileTube,
    Tube,
)
from content.rules import LEVEL_MAX, LEVEL_MIN, badges_problems, stages_problems
from organizations.models import Organization

BATCH = 500
NAME_MAX = 200
STAGE_FIELDS = ("threshold", "level", "title", "message", "prescriber_title", "prescriber_description")


# --- A release of the bank --------------------------------------------------------------------------------------

@dataclass
class _Synced:
    objects: dict  # key → instance, for every wanted key
    created: int = 0
    updated: int = 0
    archived: int = 0


def _sync(model: type[Model], *, key: str, wanted: dict, missing: dict | None = None,
          touch: dict | None = None) -> _Synced:
    """Upsert ``wanted`` (key → field values) in bulk; rows that left get ``missing`` (archived, never deleted).

    Only new rows and rows whose values differ are written, in one INSERT … ON CONFLICT DO UPDATE per batch (much
    cheaper than bulk_update's CASE expressions); ``touch`` is set on every row written (the release).
    """
    existing = {getattr(row, key): row for row in model.objects.all()}
    names = {name for values in wanted.values() for name in values} | set(missing or {}) | set(touch or {})
    fields = sorted({model._meta.get_field(name).name for name in names} - {key})
    created, updated, archived = [], [], []

    def changed(row, values) -> bool:
        differs = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                differs = True
        return differs

    result = _Synced(objects={})
    for row_key, values in wanted.items():
        row = existing.get(row_key)
        if row is None:
            row = model(**{key: row_key}, **values)
            created.append(row)
        elif changed(row, values):
            updated.append(row)
        result.objects[row_key] = row
    for row_key, row in existing.items():
        if missing and row_key not in wanted and changed(row, missing):
            archived.append(row)
    written = created + updated + archived
    for row in written:
        changed(row, touch or {})
    if written:
        model.objects.bulk_create(written, batch_size=BATCH, update_conflicts=True, unique_fields=[key],
                                  update_fields=fields)
    if any(row.pk is None for row in created):  # databases that do not return the new ids
        result.objects.update(model.objects.in_bulk([getattr(row, key) for row in created], field_name=key))
    result.created, result.updated, result.archived = len(created), len(updated), len(archived)
    return result


@transaction.atomic
def content_release_apply(*, bank: Bank) -> Release:
    """Write a checked bank as a new release, in one transaction; nothing when its files did not change.

    The release returned says what happened: ``release.was_created`` (False: same digest as the current release,
    nothing written) and ``release.changes`` ({"challenges": {"created": n, "updated": n, "archived": n}, …}).
    """
    current = Release.objects.select_for_update().order_by("-version").first()
    if current is not None and current.digest == bank.digest:
        current.was_created, current.changes = False, {}
        return current
    release = Release.objects.create(
        version=(current.version if current else 0) + 1, digest=bank.digest,
        challenges_count=sum(1 for challenge in bank.challenges if challenge.status == Challenge.Status.VALIDATED),
        skills_count=sum(1 for skill in bank.skills if skill.is_active))
    changes = {}

    areas = _sync(Area, key="code", wanted={area.code: {"name": area.name} for area in bank.areas})
    competences = _sync(Competence, key="code", wanted={
        competence.code: {"area_id": areas.objects[competence.area_code].pk, "name": competence.name,
                          "description": competence.description} for competence in bank.competences})
    active_tubes = {skill.tube for skill in bank.skills if skill.is_active}
    tubes = _sync(Tube, key="name", missing={"is_active": False}, wanted={
        tube.name: {"competence_id": competences.objects[tube.competence_code].pk, "practical_title": tube.title,
                    "practical_description": tube.description, "is_active": tube.name in active_tubes}
        for tube in bank.tubes})
    skills = _sync(Skill, key="name", missing={"status": Skill.Status.ARCHIVED, "pix_value": 0.0}, wanted={
        skill.name: {"tube_id": tubes.objects[skill.tube].pk, "level": skill.level, "status": skill.status,
                     "hint": skill.hint, "tutorials": skill.tutorials, "pix_value": skill.pix_value}
        for skill in bank.skills})
    challenges = _sync(Challenge, key="id", missing={"status": Challenge.Status.ARCHIVED},
                       touch={"release_id": release.pk}, wanted={
        challenge.id: {"skill_id": skills.objects[challenge.skill].pk, "type": challenge.type,
                       "instruction": challenge.instruction, "proposals": challenge.proposals,
                       "solution": challenge.solution, "solution_to_display": challenge.solution_to_display,
                       "t1": challenge.t1, "t2": challenge.t2, "t3": challenge.t3, "format": challenge.format,
                       "timer": challenge.timer, "focused": challenge.focused, "illustration": challenge.illustration,
                       "illustration_alt": challenge.illustration_alt, "status": challenge.status}
        for challenge in bank.challenges})
    for name, synced in (("areas", areas), ("competences", competences), ("tubes", tubes), ("skills", skills),
                         ("challenges", challenges)):
        changes[name] = {"created": synced.created, "updated": synced.updated, "archived": synced.archived}
    changes["target_profiles"] = _bank_target_profiles_apply(bank=bank, tubes=tubes.objects)
    release.was_created, release.changes = True, changes
    return release


def _bank_target_profiles_apply(*, bank: Bank, tubes: dict[str, Tube]) -> dict:
    """The bank's public profiles, by key; their capped tubes, stages and badges as the file says."""
    wanted = {profile.key: {"name": profile.name, "description": profile.description, "category": profile.category,
                            "owner_organization_id": None, "is_public": True, "is_archived": False,
                            "from_bank": True} for profile in bank.target_profiles}
    existing_bank_keys = set(TargetProfile.objects.filter(from_bank=True).values_list("key", flat=True))
    synced = _sync(TargetProfile, key="key", wanted=wanted)
    archived = TargetProfile.objects.filter(from_bank=True, is_archived=False).exclude(key__in=wanted) \
        .update(is_archived=True)
    profiles = {key: synced.objects[key] for key in wanted}
    ids = [profile.pk for profile in profiles.values()]

    # Capped tubes, upserted by (profile, tube)
    current = {(row.target_profile_id, row.tube_id): row
               for row in TargetProfileTube.objects.filter(target_profile_id__in=ids)}
    desired = {(profiles[p.key].pk, tubes[name].pk): level for p in bank.target_profiles for name, level in p.tubes}
    TargetProfileTube.objects.filter(pk__in=[row.pk for k, row in current.items() if k not in desired]).delete()
    updates = []
    for k, level in desired.items():
        if k in current and current[k].level != level:
            current[k].level = level
            updates.append(current[k])
    TargetProfileTube.objects.bulk_update(updates, ["level"], batch_size=BATCH)
    TargetProfileTube.objects.bulk_create(
        [TargetProfileTube(target_profile_id=k[0], tube_id=k[1], level=level) for k, level in desired.items()
         if k not in current], batch_size=BATCH)

    # Stages, upserted by (profile, threshold or level): results may point at them
    current_stages = {(s.target_profile_id, s.threshold, s.level): s for s in Stage.objects.filter(target_profile_id__in=ids)}
    desired_stages = {(profiles[p.key].pk, s.threshold, s.level): s for p in bank.target_profiles for s in p.stages}
    Stage.objects.filter(pk__in=[s.pk for k, s in current_stages.items() if k not in desired_stages]).delete()
    stage_updates, stage_creates = [], []
    for k, stage in desired_stages.items():
        values = {name: getattr(stage, name) for name in STAGE_FIELDS[2:]}
        row = current_stages.get(k)
        if row is None:
            stage_creates.append(Stage(target_profile_id=k[0], threshold=k[1], level=k[2], **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            stage_updates.append(row)
    Stage.objects.bulk_update(stage_updates, list(STAGE_FIELDS[2:]), batch_size=BATCH)
    Stage.objects.bulk_create(stage_creates, batch_size=BATCH)

    # Badges, upserted by (profile, key); their criteria replaced
    current_badges = {(b.target_profile_id, b.key): b for b in Badge.objects.filter(target_profile_id__in=ids)}
    desired_badges = {(profiles[p.key].pk, b.key): b for p in bank.target_profiles for b in p.badges}
    Badge.objects.filter(pk__in=[b.pk for k, b in current_badges.items() if k not in desired_badges]).delete()
    badge_rows = []
    for k, badge in desired_badges.items():
        row = current_badges.get(k) or Badge(target_profile_id=k[0], key=k[1])
        row.title, row.message = badge.title, badge.message
        badge_rows.append(row)
    Badge.objects.bulk_update([row for row in badge_rows if row.pk], ["title", "message"], batch_size=BATCH)
    Badge.objects.bulk_create([row for row in badge_rows if not row.pk], batch_size=BATCH)
    badge_ids = {(b.target_profile_id, b.key): b.pk for b in Badge.objects.filter(target_profile_id__in=ids)}
    BadgeCriterion.objects.filter(badge__target_profile_id__in=ids).delete()
    BadgeCriterion.objects.bulk_create(
        [BadgeCriterion(badge_id=badge_ids[k], scope=criterion.scope, threshold=criterion.threshold,
                        tubes=[{"tube": name, "level": level} for name, level in criterion.tubes])
         for k, badge in desired_badges.items() for criterion in badge.criteria], batch_size=BATCH)
    return {"created": len(set(wanted) - existing_bank_keys), "updated": synced.updated, "archived": archived}


# --- Target profiles managed by staff ---------------------------------------------------------------------------

def _criterion_tubes(tubes) -> list[dict]:
    return [{"tube": t["tube"], "level": t["level"]} if isinstance(t, dict) else {"tube": t[0], "level": t[1]}
            for t in tubes or []]


def target_profile_fields_problems(*, name: str, category: str, owner_organization: Organization | None,
                                   is_public: bool) -> list[str]:
    problems = []
    if not (name or "").strip():
        problems.append("donnez un nom au parcours")
    elif len(name) > NAME_MAX:
        problems.append(f"le nom du parcours tient en {NAME_MAX} caractères")
    if category not in TargetProfile.Category.values:
        problems.append(f"catégorie inconnue « {category} »")
    if not is_public and owner_organization is None:
        problems.append("un parcours est public ou appartient à une organisation : choisissez l'une des deux")
    return problems


def capped_tubes_problems(tubes: Iterable[tuple[Tube, int]], *, tubes_must_be_active: bool = True) -> list[str]:
    problems, seen = [], set()
    tubes = list(tubes)
    if not tubes:
        problems.append("choisissez au moins un sujet")
    for tube, level in tubes:
        if tube.name in seen:
            problems.append(f"le sujet « {tube.name} » est choisi deux fois")
        seen.add(tube.name)
        if tubes_must_be_active and not tube.is_active:
            problems.append(f"le sujet « {tube.name} » n'est plus dans la banque de contenus")
        if level is None or not LEVEL_MIN <= level <= LEVEL_MAX:
            problems.append(f"le niveau maximum du sujet « {tube.name} » va de 1 à 8")
    return problems


def stages_input_problems(stages: list[dict] | None) -> list[str]:
    stage_list = [{name: stage.get(name) for name in STAGE_FIELDS} for stage in stages or []]
    return [f"palier {path[0] + 1} : {message}" if path else message
            for path, message in stages_problems(stage_list)]


def badges_input_problems(badges: list[dict] | None, *, tubes: Iterable[tuple[Tube, int]]) -> list[str]:
    caps = {tube.name: level or 0 for tube, level in tubes}
    badge_list = [{"key": badge.get("key"), "title": badge.get("title"),
                   "criteria": [{"scope": c.get("scope"), "threshold": c.get("threshold"),
                                 "tubes": _criterion_tubes(c.get("tubes"))} for c in badge.get("criteria") or []]}
                  for badge in badges or []]
    return [f"badge {path[0] + 1} : {message}" for path, message in badges_problems(badge_list, profile_tubes=caps)]


def target_profile_problems(*, name: str, category: str, tubes: Iterable[tuple[Tube, int]],
                            owner_organization: Organization | None, is_public: bool,
                            stages: list[dict] | None = None, badges: list[dict] | None = None,
                            tubes_must_be_active: bool = True) -> list[str]:
    """Every reason why these values cannot make a target profile (French, says what to change); [] when fine.

    The Django admin runs the same parts on its form and inlines.
    """
    tubes = list(tubes)
    return [*target_profile_fields_problems(name=name, category=category, owner_organization=owner_organization,
                                            is_public=is_public),
            *capped_tubes_problems(tubes, tubes_must_be_active=tubes_must_be_active),
            *stages_input_problems(stages), *badges_input_problems(badges, tubes=tubes)]


def _used_by_a_campaign(target_profile: TargetProfile) -> bool:
    for relation in TargetProfile._meta.related_objects:
        if relation.related_model._meta.label == "campaigns.Campaign":
            return relation.related_model.objects.filter(**{relation.field.name: target_profile}).exists()
    return False


def target_profile_new_key(*, name: str) -> str:
    """A key for a staff profile: never one of the bank's (those have no random suffix)."""
    return f"{slugify(name)[:60] or 'parcours'}-{secrets.token_hex(4)}"


def _check_staff(by) -> None:
    if not getattr(by, "is_staff", False):
        raise StaffOnly()


def _write_parts(target_profile: TargetProfile, *, tubes=None, stages=None, badges=None) -> None:
    if tubes is not None:
        target_profile.capped_tubes.all().delete()
        TargetProfileTube.objects.bulk_create(
            [TargetProfileTube(target_profile=target_profile, tube=tube, level=level) for tube, level in tubes])
    if stages is not None:
        target_profile.stages.all().delete()
        Stage.objects.bulk_create([
            Stage(target_profile=target_profile, threshold=stage.get("threshold"), level=stage.get("level"),
                  **{name: stage.get(name) or "" for name in STAGE_FIELDS[2:]}) for stage in stages])
    if badges is not None:
        target_profile.badges.all().delete()
        for badge in badges:
            row = Badge.objects.create(target_profile=target_profile, key=badge["key"], title=badge["title"],
                                       message=badge.get("message") or "")
            BadgeCriterion.objects.bulk_create(
                [BadgeCriterion(badge=row, scope=c["scope"], threshold=c["threshold"],
                                tubes=_criterion_tubes(c.get("tubes"))) for c in badge.get("criteria") or []])


@transaction.atomic
def target_profile_create(*, by, name: str, description: str = "", category: str = TargetProfile.Category.OTHER,
                          tubes: list[tuple[Tube, int]], owner_organization: Organization | None = None,
                          is_public: bool = False, stages: list[dict] | None = None,
                          badges: list[dict] | None = None) -> TargetProfile:
    """A profile made by staff. ``stages``: [{threshold | level, title, message, prescriber_title,
    prescriber_description}]; ``badges``: [{key, title, message, criteria: [{scope: CAMPAIGN | TUBES, threshold,
    tubes: [{tube: name, level}]}]}]."""
    _check_staff(by)
    problems = target_profile_problems(name=name, category=category, tubes=tubes,
                                       owner_organization=owner_organization, is_public=is_public,
                                       stages=stages, badges=badges)
    if problems:
        raise TargetProfileInvalid(problems)
    target_profile = TargetProfile.objects.create(
        key=target_profile_new_key(name=name), name=name.strip(),
        description=description or "", category=category, owner_organization=owner_organization,
        is_public=is_public)
    _write_parts(target_profile, tubes=tubes, stages=stages or [], badges=badges or [])
    return target_profile


_UNSET = object()


@transaction.atomic
def target_profile_update(*, by, target_profile: TargetProfile, name: str | None = None,
                          description: str | None = None, category: str | None = None,
                          tubes: list[tuple[Tube, int]] | None = None, owner_organization=_UNSET,
                          is_public: bool | None = None, is_archived: bool | None = None,
                          stages: list[dict] | None = None, badges: list[dict] | None = None) -> TargetProfile:
    """Change what is given (None: unchanged). The bank's profiles change in their file; a profile's tubes are
    frozen once a campaign uses it."""
    _check_staff(by)
    target_profile = TargetProfile.objects.select_for_update().get(pk=target_profile.pk)
    if target_profile.from_bank:
        raise TargetProfileFromBank()
    current_tubes = [(row.tube, row.level) for row in target_profile.capped_tubes.select_related("tube")]
    if tubes is not None and sorted((t.pk, lvl) for t, lvl in tubes) != sorted((t.pk, lvl) for t, lvl in current_tubes) \
            and _used_by_a_campaign(target_profile):
        raise TargetProfileInUse()
    effective_badges = badges
    if badges is None and (tubes is not None):  # the badges must still fit the new tubes
        effective_badges = [{"key": b.key, "title": b.title,
                             "criteria": [{"scope": c.scope, "threshold": c.threshold, "tubes": c.tubes}
                                          for c in b.criteria.all()]}
                            for b in target_profile.badges.prefetch_related("criteria")]
    values = {
        "name": target_profile.name if name is None else name,
        "category": target_profile.category if category is None else category,
        "owner_organization": target_profile.owner_organization if owner_organization is _UNSET
        else owner_organization,
        "is_public": target_profile.is_public if is_public is None else is_public,
    }
    # A profile whose tube left the bank can still be renamed: only new tubes must be in the bank.
    problems = target_profile_problems(**values, tubes=current_tubes if tubes is None else tubes, stages=stages,
                                       badges=effective_badges, tubes_must_be_active=tubes is not None)
    if problems:
        raise TargetProfileInvalid(problems)
    target_profile.name = values["name"].strip()
    target_profile.category = values["category"]
    target_profile.owner_organization = values["owner_organization"]
    target_profile.is_public = values["is_public"]
    if description is not None:
        target_profile.description = description
    if is_archived is not None:
        target_profile.is_archived = is_archived
    target_profile.save()
    _write_parts(target_profile, tubes=tubes, stages=stages, badges=badges)
    return target_profile
