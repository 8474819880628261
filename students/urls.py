from django.urls import path

from students import account_views, views

app_name = "students"

urlpatterns = [
    path("organisations/<int:organization_id>/eleves", views.learners, name="list"),
    path("organisations/<int:organization_id>/eleves/import", views.import_upload, name="import"),
    path("organisations/<int:organization_id>/eleves/export.csv", views.learners_export, name="export"),
    path("organisations/<int:organization_id>/eleves/certification", views.certification, name="certification"),
    path("organisations/<int:organization_id>/eleves/<int:learner_id>/dissocier", views.learner_unlink_view,
         name="unlink"),
    path("organisations/<int:organization_id>/eleves/<int:learner_id>/compte", account_views.learner_account,
         name="account"),
    path("organisations/<int:organization_id>/eleves/mots-de-passe", account_views.passwords_reset,
         name="passwords_reset"),
    path("organisations/<int:organization_id>/eleves/imports/<uuid:job_id>", views.import_status,
         name="import_status"),
    path("organisations/<int:organization_id>/eleves/imports/<uuid:job_id>/avancement", views.import_progress,
         name="import_progress"),
    path("organisations/<int:organization_id>/eleves/imports/<uuid:job_id>/importer", views.import_apply,
         name="import_apply"),
    path("organisations/<int:organization_id>/eleves/imports/<uuid:job_id>/relancer", views.import_requeue,
         name="import_requeue"),
]
