"""The student area: « Mes parcours », participations, the test, « Mon profil »."""

from django.urls import path

from assessments import views

app_name = "learner"

urlpatterns = [
    path("mes-parcours", views.home, name="home"),
    path("campagnes/participations/<int:participation_id>", views.participation, name="participation"),
    path("campagnes/participations/<int:participation_id>/commencer", views.start, name="start"),
    path("campagnes/participations/<int:participation_id>/envoyer", views.share, name="share"),
    path("campagnes/participations/<int:participation_id>/resultats", views.results, name="results"),
    path("evaluations/<int:assessment_id>", views.assessment, name="assessment"),
    path("evaluations/<int:assessment_id>/question", views.challenge, name="challenge"),
    path("evaluations/<int:assessment_id>/question/commencer", views.timer_start, name="timer_start"),
    path("evaluations/<int:assessment_id>/point-etape", views.checkpoint, name="checkpoint"),
    path("evaluations/<int:assessment_id>/signaler", views.report, name="report"),
    path("mon-profil", views.profile, name="profile"),
    path("mon-profil/competences/<str:code>", views.placement_start, name="placement_start"),
]
