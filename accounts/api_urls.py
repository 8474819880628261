from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-auth-token"),
    path("auth/token/current/", api.TokenCurrentView.as_view(), name="api-auth-token-current"),
    path("accounts/", api.SignupView.as_view(), name="api-accounts-create"),
    path("me/api-keys/", api.ApiKeyListView.as_view(), name="api-me-api-keys"),
    path("me/api-keys/<int:token_id>/", api.ApiKeyDetailView.as_view(), name="api-me-api-key"),
    path("me/password/", api.PasswordChooseView.as_view(), name="api-me-password"),
    path("me/pix-orga-terms/accept/", api.PixOrgaTermsAcceptView.as_view(), name="api-me-pix-orga-terms-accept"),
]
