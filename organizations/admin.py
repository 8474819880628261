"""Django admin for the Pix team: organizations are created here through ``organization_create``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from organizations.errors import InvalidOrganization, UaiAlreadyUsed
from organizations.models import Membership, Organization
from organizations.services import UAI_PATTERN, organization_clean, organization_create
from pixorga.errors import DomainError


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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "type", "external_id", "email", "is_managing_students", "created_at", "archived_at"]
    list_filter = ["type", "is_managing_students", "archived_at"]
    search_fields = ["name", "external_id", "email"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [MembershipInline]
    actions = ["resend_first_admin_invitation"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Creation goes through the one write path, which also invites the first administrator.
        data = form.cleaned_data
        created = organization_create(
            name=data["name"], type=data["type"], uai=data["external_id"], email=data["email"],
            is_managing_students=data["is_managing_students"], by=request.user,
        )
        if data.get("archived_at"):
            created.archived_at = data["archived_at"]
            created.save(update_fields=["archived_at"])
        for field in created._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db
        messages.info(request, f"L'invitation du premier administrateur a été envoyée à {created.email}.")

    @admin.action(description="Renvoyer l'invitation du premier administrateur")
    def resend_first_admin_invitation(self, request, queryset):
        from invitations.services import invitation_send_first_admin

        sent, skipped = 0, []
        for organization in queryset:
            has_admin = organization.memberships.active().filter(role=Membership.Role.ADMIN).exists()
            if has_admin or organization.is_archived or not organization.email:
                skipped.append(organization.name)
                continue
            try:
                invitation_send_first_admin(organization=organization, by=request.user)
            except DomainError:
                skipped.append(organization.name)
                continue
            sent += 1
        if sent:
            self.message_user(request, f"Invitation renvoyée pour {sent} organisation(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                "Pas d'envoi (l'organisation a déjà un administrateur, est archivée ou n'a pas d'adresse) : "
                + ", ".join(skipped),
                messages.WARNING,
            )


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
