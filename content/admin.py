"""Django admin (Pix staff). The bank's content is read-only here: it changes in its files (content_load).
Staff create and edit their own target profiles; every save runs the services' checks (``target_profile_problems``),
and the bank's profiles are read-only too (they change in target_profiles.yaml).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

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
from content.services import (
    badges_input_problems,
    capped_tubes_problems,
    stages_input_problems,
    target_profile_fields_problems,
    target_profile_new_key,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["version", "loaded_at", "skills_count", "challenges_count", "digest"]


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(Competence)
class CompetenceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area"]


@admin.register(Tube)
class TubeAdmin(ReadOnlyAdmin):
    list_display = ["name", "practical_title", "competence", "is_active"]
    list_filter = ["is_active", "competence"]
    search_fields = ["name", "practical_title"]


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["name", "tube", "level", "status", "pix_value"]
    list_filter = ["status", "level", "tube__competence"]
    search_fields = ["name"]
    list_select_related = ["tube"]


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["id", "skill", "type", "status", "timer", "focused"]
    list_filter = ["type", "status", "skill__tube__competence"]
    # Support is asked about a challenge id (« signaler un problème ») or a skill.
    search_fields = ["id", "skill__name"]
    list_select_related = ["skill"]


# --- Target profiles (staff) ------------------------------------------------------------------------------------
# Django validates the profile's form first, then its inlines: each part runs the services' own check.

class _BankProfileReadOnly:
    """A profile from the bank changes in its file: it and its parts are read-only here."""

    @staticmethod
    def _from_bank(obj) -> bool:
        profile = obj if isinstance(obj, TargetProfile) else getattr(obj, "target_profile", None)
        return bool(profile is not None and profile.from_bank)

    def has_change_permission(self, request, obj=None):
        return not self._from_bank(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._from_bank(obj) and super().has_delete_permission(request, obj)


class _BankProfilePartReadOnly(_BankProfileReadOnly):
    def has_add_permission(self, request, obj=None):
        return not self._from_bank(obj) and super().has_add_permission(request, obj)


def _alive_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")]


class TargetProfileForm(forms.ModelForm):
    class Meta:
        model = TargetProfile
        fields = ["name", "description", "category", "owner_organization", "is_public", "is_archived"]

    def clean(self):
        data = super().clean()
        problems = target_profile_fields_problems(
            name=data.get("name") or "", category=data.get("category") or "",
            owner_organization=data.get("owner_organization"), is_public=bool(data.get("is_public")))
        if problems:
            raise ValidationError(problems)
        return data

    def save(self, commit=True):
        profile = super().save(commit=False)
        if not profile.key:
            profile.key = target_profile_new_key(name=profile.name)
        if commit:
            profile.save()
        return profile


class CappedTubesFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        tubes = [(row["tube"], row["level"]) for row in _alive_rows(self) if row.get("tube")]
        problems = capped_tubes_problems(tubes)
        if problems:
            raise ValidationError(problems)


class StagesFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        problems = stages_input_problems(_alive_rows(self))
        if problems:
            raise ValidationError(problems)


class TargetProfileTubeInline(_BankProfilePartReadOnly, admin.TabularInline):
    model = TargetProfileTube
    formset = CappedTubesFormSet
    extra = 1
    autocomplete_fields = ["tube"]


class StageInline(_BankProfilePartReadOnly, admin.StackedInline):
    model = Stage
    formset = StagesFormSet
    extra = 0
    fields = [("threshold", "level"), "title", "message", "prescriber_title", "prescriber_description"]


class BadgeInline(_BankProfilePartReadOnly, admin.TabularInline):
    model = Badge
    extra = 0
    fields = ["key", "title", "message"]
    show_change_link = True  # its criteria are edited on the badge's page


@admin.register(TargetProfile)
class TargetProfileAdmin(_BankProfileReadOnly, admin.ModelAdmin):
    form = TargetProfileForm
    list_display = ["name", "category", "owner_organization", "is_public", "is_archived", "from_bank", "created_at"]
    list_filter = ["category", "is_public", "is_archived", "from_bank"]
    search_fields = ["name", "key"]
    raw_id_fields = ["owner_organization"]
    inlines = [TargetProfileTubeInline, StageInline, BadgeInline]


class CriteriaFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        badge = self.instance
        tubes = [(row.tube, row.level) for row in badge.target_profile.capped_tubes.select_related("tube")] \
            if badge.target_profile_id else []
        criteria = [{"scope": row.get("scope"), "threshold": row.get("threshold"), "tubes": row.get("tubes") or []}
                    for row in _alive_rows(self)]
        problems = badges_input_problems([{"key": badge.key, "title": badge.title, "criteria": criteria}],
                                         tubes=tubes)
        if problems:
            raise ValidationError(problems)


class CriterionInline(admin.TabularInline):
    model = BadgeCriterion
    formset = CriteriaFormSet
    extra = 1
    fields = ["scope", "threshold", "tubes"]


@admin.register(Badge)
class BadgeAdmin(_BankProfileReadOnly, admin.ModelAdmin):
    list_display = ["title", "key", "target_profile"]
    search_fields = ["title", "key", "target_profile__name"]
    raw_id_fields = ["target_profile"]
    inlines = [CriterionInline]

    def get_inline_instances(self, request, obj=None):
        # The criteria of a bank badge are read-only as the badge is.
        instances = super().get_inline_instances(request, obj)
        if self._from_bank(obj):
            for inline in instances:
                inline.has_add_permission = inline.has_change_permission = inline.has_delete_permission = \
                    lambda *args, **kwargs: False
        return instances
