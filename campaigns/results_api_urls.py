from django.urls import path

from campaigns.api import results

urlpatterns = [
    path("campaigns/<int:campaign_id>/participations/", results.CampaignParticipationsApi.as_view(),
         name="api-campaign-participations"),
    path("campaigns/<int:campaign_id>/participations/<int:participation_id>/", results.CampaignStudentApi.as_view(),
         name="api-campaign-participation-detail"),
    path("campaigns/<int:campaign_id>/export/", results.CampaignExportApi.as_view(), name="api-campaign-export"),
    path("campaigns/<int:campaign_id>/activity/", results.CampaignActivityApi.as_view(), name="api-campaign-activity"),
    path("campaigns/<int:campaign_id>/results/", results.CampaignResultsApi.as_view(), name="api-campaign-results"),
    path("campaigns/<int:campaign_id>/analysis/", results.CampaignAnalysisApi.as_view(), name="api-campaign-analysis"),
]
