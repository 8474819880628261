"""Target profiles API (mounted under /api/v1/)."""

from django.urls import path

from content import api

urlpatterns = [
    path("target-profiles/", api.TargetProfileListApi.as_view(), name="api-target-profiles"),
    path("target-profiles/<int:target_profile_id>/", api.TargetProfileDetailApi.as_view(),
         name="api-target-profile-detail"),
]
