from django.urls import path

from invitations import views

app_name = "invitations"

urlpatterns = [
    path("rejoindre", views.join, name="join"),
    path("etablissement/activer", views.sco_request, name="sco_request"),
    path("organisations/<int:organization_id>/equipe/inviter", views.invite, name="invite"),
    path("organisations/<int:organization_id>/equipe/invitations/<int:invitation_id>/renvoyer",
         views.resend, name="resend"),
    path("organisations/<int:organization_id>/equipe/invitations/<int:invitation_id>/annuler",
         views.cancel, name="cancel"),
]
