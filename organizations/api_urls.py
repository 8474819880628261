from django.urls import path

from organizations import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("organizations/<int:organization_id>/", api.OrganizationDetailApi.as_view(), name="api-organization-detail"),
    path("organizations/<int:organization_id>/members/", api.MemberListApi.as_view(), name="api-organization-members"),
    path("organizations/<int:organization_id>/members/<int:membership_id>/", api.MemberDetailApi.as_view(),
         name="api-organization-member"),
    path("organizations/<int:organization_id>/leave/", api.LeaveApi.as_view(), name="api-organization-leave"),
]
