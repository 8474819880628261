"""The student side (learner-facing pages)."""

from django.urls import path

from campaigns.views import join

app_name = "join"

urlpatterns = [
    path("campagnes", join.code, name="code"),
    path("campagnes/previsualiser/<int:campaign_id>", join.preview, name="preview"),
    path("campagnes/<str:code>", join.landing, name="landing"),
    path("campagnes/<str:code>/eleve", join.link, name="link"),
    path("campagnes/<str:code>/confirmation", join.confirm, name="confirm"),
]
