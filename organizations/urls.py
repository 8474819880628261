from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.home, name="home"),
    path("acces-restreint", views.no_access, name="no_access"),
    path("organisations/changer", views.switch, name="switch"),
    path("organisations/<int:organization_id>/equipe", views.team, name="team"),
    path("organisations/<int:organization_id>/equipe/membres/<int:membership_id>/role",
         views.member_role_change, name="member_role_change"),
    path("organisations/<int:organization_id>/equipe/membres/<int:membership_id>/supprimer",
         views.member_remove, name="member_remove"),
    path("organisations/<int:organization_id>/quitter", views.leave, name="leave"),
]
