from django.urls import path

from campaigns.api import results

urlpatterns = [
    path("campaigns/<int:campaign_id>/participations/", results.CampaignParticipationsApi.as_view(),
         name="api-campaign-participations"),
    path("campaigns/<int:campaign_id>/export/", results.CampaignExportApi.as_view(), name="api-campaign-export"),
]
