from django.urls import path

from invitations import activation_api, api

urlpatterns = [
    path("organizations/", activation_api.OrganizationCreateApi.as_view(), name="api-organization-create"),
    path("organizations/<int:organization_id>/invitations/", api.InvitationListApi.as_view(),
         name="api-organization-invitations"),
    path("organizations/<int:organization_id>/invitations/<int:invitation_id>/", api.InvitationDetailApi.as_view(),
         name="api-organization-invitation"),
    path("organizations/<int:organization_id>/invitations/<int:invitation_id>/resend/",
         api.InvitationResendApi.as_view(), name="api-organization-invitation-resend"),
    path("invitations/<str:token>/", api.InvitationLookupApi.as_view(), name="api-invitation-lookup"),
    path("invitations/<str:token>/accept/", api.InvitationAcceptApi.as_view(), name="api-invitation-accept"),
]
