from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("inscription", views.signup, name="signup"),
    path("connexion", views.LoginView.as_view(), name="login"),
    path("deconnexion", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie", views.password_reset, name="password_reset"),
    path("mot-de-passe-oublie/envoye", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/nouveau", views.password_choose, name="password_choose"),
    path("mot-de-passe/modifie", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("cgu", views.terms, name="terms"),
    path("compte/cles-api", views.api_keys, name="api_keys"),
    path("compte/cles-api/<int:token_id>/revoquer", views.api_key_revoke, name="api_key_revoke"),
    path("compte/cles-api/revoquer-tout", views.api_keys_revoke_all, name="api_keys_revoke_all"),
]
