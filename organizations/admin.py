"""Django admin for the Pix team: memberships (read-only), and the organization form and members inline that
``invitations.admin`` uses for the organization page, where a school is activated (``organization_activate``)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from organizations.errors import InvalidOrganization, UaiAlreadyUsed
from organizations.models import Membership, Organization
from organizations.services import UAI_PATTERN, organization_clean


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "type", "external_id", "email", "is_managing_students", "archived_at"]
        help_texts = {
            "external_id": "UAI pour un établissement scolaire (7 chiffres et une lettre, ex. 0751234A).",
            "email": "Adresse de contact (ce.UAI@ac-… pour un établissement) : elle reçoit l'invitation "
                     "du premier administrateur.",
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            data = organization_clean(name=cleaned.get("name"), type=cleaned.get("type"),
                                      uai=cleaned.get("external_id"), email=cleaned.get("email"))
        except InvalidOrganization as error:
            field = {"uai": "external_id"}.get(error.field, error.field) or None
            raise ValidationError({field: error.message} if field else error.message) from None
        if data["type"] == Organization.Type.SCO and UAI_PATTERN.match(data["external_id"]):
            taken = Organization.objects.filter(type=data["type"], external_id=data["external_id"])
            if taken.exclude(pk=self.instance.pk).exists():
                raise ValidationError({"external_id": UaiAlreadyUsed.default_message})
        cleaned.update(data)
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organization"
    extra = 0
    can_delete = False
    fields = ["user", "role", "created_at", "disabled_at", "disabled_by"]
    readonly_fields = ["user", "role", "created_at", "disabled_at", "disabled_by"]
    ordering = ["disabled_at", "user__last_name"]
    verbose_name_plural = "membres (lecture seule : les rôles se gèrent dans Pix Orga, page Équipe)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at", "disabled_at"]
    list_filter = ["role", "disabled_at"]
    search_fields = ["user__email", "user__last_name", "organization__name", "organization__external_id"]
    list_select_related = ["user", "organization"]
    readonly_fields = ["user", "organization", "role", "created_at", "updated_at", "disabled_at", "disabled_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
