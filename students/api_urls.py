from django.urls import path

from students import account_api, api

urlpatterns = [
    path("organizations/<int:organization_id>/imports/", api.ImportCreateApi.as_view(), name="api-students-imports"),
    path("organizations/<int:organization_id>/imports/<uuid:job_id>/", api.ImportDetailApi.as_view(),
         name="api-students-import"),
    path("organizations/<int:organization_id>/imports/<uuid:job_id>/apply/", api.ImportApplyApi.as_view(),
         name="api-students-import-apply"),
    path("organizations/<int:organization_id>/imports/<uuid:job_id>/requeue/", api.ImportRequeueApi.as_view(),
         name="api-students-import-requeue"),
    path("organizations/<int:organization_id>/students/", api.LearnerListApi.as_view(), name="api-students-list"),
    path("organizations/<int:organization_id>/students/<int:learner_id>/unlink/", api.LearnerUnlinkApi.as_view(),
         name="api-students-unlink"),
    path("organizations/<int:organization_id>/students/<int:learner_id>/account/",
         account_api.LearnerAccountApi.as_view(), name="api-students-account"),
    path("organizations/<int:organization_id>/students/<int:learner_id>/account/username/",
         account_api.LearnerUsernameAddApi.as_view(), name="api-students-account-username"),
    path("organizations/<int:organization_id>/students/<int:learner_id>/account/password-reset/",
         account_api.LearnerPasswordResetApi.as_view(), name="api-students-account-password-reset"),
    path("organizations/<int:organization_id>/students/password-reset/", account_api.PasswordsResetApi.as_view(),
         name="api-students-passwords-reset"),
]
