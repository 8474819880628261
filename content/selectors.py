"""Reads of the learning content and of target profiles (an organization sees the public ones and its own)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from content.errors import TargetProfileNotFound
from content.models import Badge, Competence, Release, Skill, TargetProfile, TargetProfileTube
from organizations.models import Organization


def _with_counts(queryset: QuerySet[TargetProfile]) -> QuerySet[TargetProfile]:
    """``tubes_count`` and ``skills_count`` (active skills of its tubes up to each cap), in the same query."""
    capped = TargetProfileTube.objects.filter(target_profile=OuterRef("pk")).order_by().values("target_profile")
    tubes = capped.annotate(n=Count("pk")).values("n")
    skills = (capped.filter(tube__skills__status=Skill.Status.ACTIVE, tube__skills__level__lte=F("level"))
              .annotate(n=Count("tube__skills")).values("n"))
    return queryset.annotate(
        tubes_count=Coalesce(Subquery(tubes, output_field=IntegerField()), 0),
        skills_count=Coalesce(Subquery(skills, output_field=IntegerField()), 0),
    )


def target_profiles_for_organization(*, organization: Organization) -> QuerySet[TargetProfile]:
    """The profiles the organization may use for a campaign: public ones and its own, not archived."""
    return _with_counts(TargetProfile.objects.filter(
        Q(is_public=True) | Q(owner_organization=organization), is_archived=False).order_by("category", "name", "pk"))


def target_profile_for_organization(*, organization: Organization, target_profile_id: int) -> TargetProfile:
    """One profile the organization may use, or TargetProfileNotFound (another school's looks like none)."""
    target_profile = target_profiles_for_organization(organization=organization).filter(pk=target_profile_id).first()
    if target_profile is None:
        raise TargetProfileNotFound()
    return target_profile


def target_profiles_for_staff() -> QuerySet[TargetProfile]:
    """Every profile, archived ones too (staff)."""
    return _with_counts(TargetProfile.objects.select_related("owner_organization").order_by("category", "name", "pk"))


def target_profile_with_parts(*, target_profile_id: int, queryset: QuerySet[TargetProfile] | None = None
                              ) -> TargetProfile:
    """A profile with its capped tubes, stages, badges and criteria prefetched (4 more queries, whatever the size)."""
    queryset = target_profiles_for_staff() if queryset is None else queryset
    target_profile = queryset.prefetch_related(
        Prefetch("capped_tubes", queryset=TargetProfileTube.objects.select_related("tube__competence")
                 .order_by("tube__competence__code", "tube__name")),
        "stages",
        Prefetch("badges", queryset=Badge.objects.prefetch_related("criteria").order_by("pk")),
    ).filter(pk=target_profile_id).first()
    if target_profile is None:
        raise TargetProfileNotFound()
    return target_profile


def target_profile_skills(*, target_profile: TargetProfile) -> list[Skill]:
    """The active skills of each capped tube up to its cap (what a campaign freezes), in one query."""
    capped = TargetProfileTube.objects.filter(target_profile=target_profile, tube=OuterRef("tube_id"),
                                              level__gte=OuterRef("level"))
    return list(Skill.objects.filter(Exists(capped), status=Skill.Status.ACTIVE)
                .select_related("tube__competence").order_by("tube__competence__code", "tube__name", "level"))


def competence_active_skills(*, competence: Competence) -> list[Skill]:
    """Every active skill of a competence (a placement test on « Mon profil »), in one query."""
    return list(Skill.objects.filter(tube__competence=competence, status=Skill.Status.ACTIVE)
                .select_related("tube").order_by("tube__name", "level"))


def content_current_release() -> Release | None:
    return Release.objects.order_by("-version").first()
