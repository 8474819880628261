from django.urls import path

from assessments import api

urlpatterns = [
    path("participations/<int:participation_id>/assessment/", api.ParticipationAssessmentApi.as_view(),
         name="api-participation-assessment"),
    path("participations/<int:participation_id>/share/", api.ParticipationShareApi.as_view(),
         name="api-participation-share"),
    path("participations/<int:participation_id>/results/", api.ParticipationResultsApi.as_view(),
         name="api-participation-results"),
    path("me/competences/<str:code>/assessment/", api.CompetenceAssessmentApi.as_view(),
         name="api-competence-assessment"),
    path("me/profile/", api.MyProfileApi.as_view(), name="api-my-profile"),
    path("assessments/<int:assessment_id>/", api.AssessmentDetailApi.as_view(), name="api-assessment"),
    path("assessments/<int:assessment_id>/challenge/", api.AssessmentChallengeApi.as_view(),
         name="api-assessment-challenge"),
    path("assessments/<int:assessment_id>/answers/", api.AssessmentAnswersApi.as_view(),
         name="api-assessment-answers"),
    path("assessments/<int:assessment_id>/checkpoint/", api.AssessmentCheckpointApi.as_view(),
         name="api-assessment-checkpoint"),
]
