"""Django admin (Pix staff): read-only views; every change goes through the import service."""

from django.contrib import admin

from students.models import ImportJob, Learner, LearnerAccountEvent, LearnerLinkEvent


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    # No names in the list: personal data of minors stays behind one click, for support only.
    list_display = ["id", "organization", "division", "disabled_at", "user", "updated_at"]
    list_filter = ["disabled_at"]
    search_fields = ["=ine", "=organization__external_id"]
    raw_id_fields = ["organization", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # SIECLE values are only written by the import (their fingerprint stays true)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "mode", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "mode"]
    search_fields = ["=organization__external_id"]
    raw_id_fields = ["organization", "uploaded_by", "source_job"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LearnerAccountEvent)
class LearnerAccountEventAdmin(admin.ModelAdmin):
    """The trail of « Gérer le compte » (who gave which student a username or a one-time password, when)."""

    list_display = ["created_at", "organization", "learner", "action", "by"]
    list_filter = ["action"]
    search_fields = ["=organization__external_id", "=learner__id"]
    raw_id_fields = ["organization", "learner", "user", "by"]
    readonly_fields = [field.name for field in LearnerAccountEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearnerLinkEvent)
class LearnerLinkEventAdmin(admin.ModelAdmin):
    """The trail of links between students and accounts (linking, « Dissocier »)."""

    list_display = ["id", "learner_id", "user_id", "action", "by_id", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["learner", "user", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
