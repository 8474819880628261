"""Django admin (Pix staff): the problems students report on challenges, to fix the bank. No names: the report
leads to its challenge; the account behind it is only an id, for support."""

from django.contrib import admin

from assessments.models import ChallengeReport


@admin.register(ChallengeReport)
class ChallengeReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "challenge", "category", "short_text"]
    list_filter = ["category", "created_at"]
    search_fields = ["=challenge__id"]
    readonly_fields = ["challenge", "assessment", "user", "category", "text", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(description="message")
    def short_text(self, report: ChallengeReport) -> str:
        return report.text[:120]

    def has_add_permission(self, request):
        return False
