"""Campaign management API (mounted under /api/v1/)."""

from django.urls import path

from campaigns.api import manage

urlpatterns = [
    path("organizations/<int:organization_id>/campaigns/", manage.CampaignListCreateApi.as_view(),
         name="api-organization-campaigns"),
    path("campaigns/<int:campaign_id>/", manage.CampaignDetailApi.as_view(), name="api-campaign-detail"),
    path("campaigns/<int:campaign_id>/archive/", manage.CampaignArchiveApi.as_view(), name="api-campaign-archive"),
    path("campaigns/<int:campaign_id>/unarchive/", manage.CampaignUnarchiveApi.as_view(),
         name="api-campaign-unarchive"),
]
