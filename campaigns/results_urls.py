from django.urls import path

from campaigns.views import results

app_name = "campaign_results"

CAMPAIGN = "organisations/<int:organization_id>/campagnes/<int:campaign_id>"

urlpatterns = [
    path(CAMPAIGN, results.campaign_detail, name="detail"),  # « Activité »
    path(f"{CAMPAIGN}/resultats", results.campaign_results, name="results"),
    path(f"{CAMPAIGN}/analyse", results.campaign_analysis, name="analysis"),
    path(f"{CAMPAIGN}/parametres", results.campaign_settings, name="settings"),
    path(f"{CAMPAIGN}/participants/<int:participation_id>", results.campaign_participant, name="participant"),
    path(f"{CAMPAIGN}/dupliquer", results.campaign_duplicate_view, name="duplicate"),
    path(f"{CAMPAIGN}/export.csv", results.campaign_export, name="export"),
]
