from django.urls import path

from campaigns.api import join

urlpatterns = [
    path("campaigns/code/<str:code>/", join.CampaignByCodeApi.as_view(), name="api-campaign-by-code"),
    path("campaigns/code/<str:code>/join/", join.CampaignJoinApi.as_view(), name="api-campaign-join"),
    path("campaigns/code/<str:code>/signup/", join.CampaignSignupApi.as_view(), name="api-campaign-signup"),
]
