"""Django admin (Pix staff): read-only, for support; every change goes through the campaign services."""

from django.contrib import admin

from campaigns.models import Campaign, LinkAttempt, Participation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["id", "code", "name", "organization", "type", "created_at", "archived_at"]
    list_filter = ["type", "archived_at"]
    # Support is asked about a code ("my students cannot enter QWERTY234") or a school's UAI.
    search_fields = ["=code", "=organization__external_id"]
    raw_id_fields = ["organization", "owner", "creator", "archived_by"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    # No names: learners are minors; ids lead to them for support only.
    list_display = ["id", "campaign", "status", "is_preview", "is_current", "created_at", "shared_at"]
    list_filter = ["status", "is_preview"]
    search_fields = ["=campaign__code"]
    raw_id_fields = ["campaign", "user", "learner"]


@admin.register(LinkAttempt)
class LinkAttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "user_id", "organization", "campaign", "outcome", "created_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["user", "organization", "campaign"]

