"""Django admin for the Pix team: the organization page, where a school is activated (created with its
first-administrator invitation, ``organization_activate``) and its first-admin invitation sent again."""

from django.contrib import admin, messages

from invitations.services import invitation_send_first_admin, organization_activate
from organizations.admin import MembershipInline, OrganizationAdminForm
from organizations.models import Membership, Organization
from pixorga.errors import DomainError


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
        # Creation is the activation: the one write path, which also invites the first administrator.
        data = form.cleaned_data
        created = organization_activate(
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
