"""REST API of the test, for the student app of an ENT (under /api/v1/): start, challenge, answer, checkpoint,
send, results, profile. A student reaches only their own tests and participations (404 otherwise). The solution of
a challenge is never sent before it is answered."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.errors import NotAnAssessmentCampaign
from assessments.models import Answer, Assessment
from assessments.presenters import challenge_fields, illustration_url, results_view
from assessments.selectors import (
    assessment_for_owner,
    assessment_progress,
    checkpoint_answers,
    profile_for_user,
)
from assessments.services import (
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    participation_share,
)
from assessments.services.assessment import challenge_serve
from campaigns.models import Campaign, Participation
from campaigns.services.participations import participation_for_owner
from pixorga.api import error_response_schema
from pixorga.errors import Conflict

ERROR = error_response_schema()
TAGS = ["tests (élèves)"]


class LearnerApiView(APIView):
    """A student's own test, results and profile: nothing of a school's data, so the Pix Orga terms (which a
    school's staff accept before reading its students) do not gate them, and a student's every answer is spared the
    membership query of that gate."""

    allowed_before_pix_orga_terms = True


def _errors(**statuses: str) -> dict:
    return {int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in statuses.items()}


class ResultsNotSent(Conflict):
    code = "RESULTS_NOT_SENT"
    default_message = "Les résultats de ce parcours ne sont pas encore envoyés : terminez-le d'abord."


class AssessmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Assessment.State.choices)
    progress = serializers.FloatField(help_text="Acquis testés ÷ acquis du test (1 quand il est terminé).")
    answers_count = serializers.IntegerField()


def _assessment_output(assessment: Assessment) -> dict:
    return AssessmentOutput({"id": assessment.pk, "state": assessment.state,
                             "progress": assessment_progress(assessment),
                             "answers_count": assessment.answers_count}).data


class ParticipationAssessmentApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="participation_assessment_start", request=None,
                   summary="Commencer ou reprendre le test d'une évaluation",
                   responses={200: AssessmentOutput, **_errors(
                       _401="Non authentifié.", _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                       _404="Participation inconnue ou d'un autre compte.",
                       _409="Collecte de profils (`NOT_AN_ASSESSMENT`), campagne sans parcours, participation "
                            "déjà envoyée ou remplacée.")})
    def post(self, request, participation_id: int):
        assessment = assessment_start_for_participation(participation_id=participation_id, user=request.user)
        return Response(_assessment_output(assessment))


class CompetenceAssessmentApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="competence_assessment_start", request=None,
                   summary="Commencer, reprendre ou retenter le positionnement sur une compétence (`1.1` … `5.2`)",
                   responses={200: AssessmentOutput, **_errors(
                       _401="Non authentifié.", _404="Compétence inconnue (`COMPETENCE_NOT_FOUND`).",
                       _409="Trop tôt pour retenter (`RETRY_NOT_YET`, `detail` dit quand).")})
    def post(self, request, code: str):
        assessment = assessment_start_for_competence(user=request.user, competence_code=code)
        return Response(_assessment_output(assessment))


class AssessmentDetailApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="assessment_retrieve", summary="L'état d'un test",
                   responses={200: AssessmentOutput, **_errors(_401="Non authentifié.",
                                                               _404="Test inconnu ou d'un autre compte.")})
    def get(self, request, assessment_id: int):
        return Response(_assessment_output(assessment_for_owner(user=request.user, assessment_id=assessment_id)))


class ChallengeFieldOutput(serializers.Serializer):
    key = serializers.CharField()
    placeholder = serializers.CharField()


class ChallengeOutput(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField(help_text="QCU, QCM, QROC, QROCM-ind ou QROCM-dep.")
    instruction = serializers.CharField(help_text="Markdown.")
    proposals = serializers.JSONField(help_text="QCU/QCM : la liste des options (numérotées à partir de 1) ; "
                                                "QROC/QROCM : le texte avec ses champs `${clé}`.")
    fields = ChallengeFieldOutput(many=True, help_text="QROC/QROCM : les champs à remplir, dans l'ordre.")
    timer = serializers.IntegerField(allow_null=True, help_text="Secondes ; le temps court depuis ce GET.")
    focused = serializers.BooleanField()
    illustration_url = serializers.CharField(allow_null=True)
    illustration_alt = serializers.CharField()
    index = serializers.IntegerField(help_text="Numéro de la question (1, 2…).")


def _challenge_output(challenge, *, index: int) -> dict:
    """``ChallengeOutput``, built directly: it is sent for every question of every student (a serializer would cost
    more than the rest of the answer)."""
    return {
        "id": str(challenge.pk), "type": str(challenge.type), "instruction": challenge.instruction,
        "proposals": challenge.proposals, "fields": challenge_fields(challenge), "timer": challenge.timer,
        "focused": bool(challenge.focused), "illustration_url": illustration_url(challenge),
        "illustration_alt": challenge.illustration_alt, "index": index,
    }


class AssessmentChallengeApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="assessment_challenge", summary="La question en cours (sans sa solution)",
                   description="Servir une question chronométrée démarre son temps (une seule fois).",
                   responses={200: ChallengeOutput, **_errors(
                       _401="Non authentifié.", _404="Test inconnu ou d'un autre compte.",
                       _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                       _409="Le test est terminé (`ASSESSMENT_ENDED`).")})
    def get(self, request, assessment_id: int):
        assessment, challenge = challenge_serve(assessment_id=assessment_id, user=request.user)
        return Response(_challenge_output(challenge, index=assessment.answers_count + 1))


class AnswerInput(serializers.Serializer):
    challenge = serializers.CharField(max_length=80)
    value = serializers.JSONField(required=False, help_text='QCU "2", QCM "1,3", QROC un texte, QROCM '
                                                            '{"clé": "texte"}.')
    skip = serializers.BooleanField(required=False, default=False, help_text="« Je passe ».")

    def validate(self, attrs):
        if not attrs.get("skip") and "value" not in attrs:
            raise serializers.ValidationError({"value": "Donnez une réponse, ou \"skip\": true pour passer."})
        return attrs


def _answer_input(data) -> dict:
    """``AnswerInput``'s validated data. A well-formed body (the challenge's id, a value or ``"skip": true``) is read
    as it is: every student's every answer comes this way, and building the serializer's fields cost more than the
    rest of the parsing. Anything else goes through the serializer, for its checks and its messages."""
    if isinstance(data, dict) and data.keys() <= {"challenge", "value", "skip"}:
        challenge, skip, value = data.get("challenge"), data.get("skip", False), data.get("value")
        plain_id = (isinstance(challenge, str) and 0 < len(challenge) <= 80 and challenge.isascii()
                    and challenge.isprintable() and challenge.strip() == challenge)
        answered = value is not None if "value" in data else skip is True
        if plain_id and type(skip) is bool and answered:
            return {"challenge": challenge, "skip": skip, **({"value": value} if "value" in data else {})}
    serializer = AnswerInput(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AnswerOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Answer.Status.choices)
    checkpoint = serializers.BooleanField(help_text="Un point d'étape suit (toutes les 5 réponses et à la fin).")
    ended = serializers.BooleanField()
    next_challenge = ChallengeOutput(allow_null=True, help_text=(
        "La question suivante, servie (une question chronométrée démarre son temps) : pas besoin de GET "
        "challenge/ ; null quand le test est terminé."))


class AssessmentAnswersApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="assessment_answer", summary="Répondre à la question en cours",
                   request=AnswerInput,
                   responses={201: AnswerOutput, **_errors(
                       _400="Réponse incomplète ou mal formée (`INVALID_ANSWER`, `VALIDATION_ERROR`).",
                       _401="Non authentifié.", _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                       _404="Test inconnu ou d'un autre compte.",
                       _409="Déjà répondu (`CHALLENGE_ALREADY_ANSWERED` : un double clic enregistre une réponse), "
                            "autre question que celle posée (`CHALLENGE_NOT_SERVED`), test terminé "
                            "(`ASSESSMENT_ENDED`).")})
    def post(self, request, assessment_id: int):
        values = _answer_input(request.data)
        outcome = answer_record(assessment_id=assessment_id, user=request.user, challenge_id=values["challenge"],
                                value=values.get("value"), skip=values["skip"], serve_next=True)
        following = outcome.next_challenge
        return Response({
            "status": str(outcome.status), "checkpoint": outcome.checkpoint, "ended": outcome.ended,
            "next_challenge": None if following is None else _challenge_output(
                following, index=outcome.assessment.answers_count + 1),
        }, status=status.HTTP_201_CREATED)


class CorrectionTutorialOutput(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class CorrectionOutput(serializers.Serializer):
    index = serializers.IntegerField()
    challenge = serializers.CharField()
    instruction = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="La réponse donnée ; null si passée.")
    status = serializers.ChoiceField(choices=Answer.Status.choices)
    fields = serializers.JSONField(allow_null=True, help_text="QROCM : quels champs étaient justes.")
    solution_to_display = serializers.CharField()
    hint = serializers.CharField()
    tutorials = CorrectionTutorialOutput(many=True)


class CheckpointOutput(serializers.Serializer):
    progress = serializers.FloatField()
    ended = serializers.BooleanField()
    answers = CorrectionOutput(many=True)


class AssessmentCheckpointApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="assessment_checkpoint",
                   summary="Les réponses depuis le dernier point d'étape, avec leur correction",
                   responses={200: CheckpointOutput, **_errors(_401="Non authentifié.",
                                                               _404="Test inconnu ou d'un autre compte.")})
    def get(self, request, assessment_id: int):
        assessment = assessment_for_owner(user=request.user, assessment_id=assessment_id)
        answers = [{
            "index": answer.index, "challenge": answer.challenge_id, "instruction": answer.challenge.instruction,
            "value": answer.value, "status": answer.status, "fields": answer.fields,
            "solution_to_display": answer.challenge.solution_to_display, "hint": answer.challenge.skill.hint,
            "tutorials": answer.challenge.skill.tutorials or [],
        } for answer in checkpoint_answers(assessment)]
        return Response(CheckpointOutput({"progress": assessment_progress(assessment),
                                          "ended": assessment.is_completed, "answers": answers}).data)


class SharedParticipationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    campaign_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Participation.Status.choices)
    created_at = serializers.DateTimeField()
    shared_at = serializers.DateTimeField(allow_null=True)


class ParticipationShareApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="participation_share", summary="Envoyer ses résultats ou son profil",
                   description="Évaluation terminée : « Voir mes résultats » envoie les résultats (un instantané "
                               "des acquis). Collecte de profils : « J'envoie mon profil ».", request=None,
                   responses={200: SharedParticipationOutput,
                              **_errors(_401="Non authentifié.",
                                        _403="Campagne archivée (`CAMPAIGN_ARCHIVED`).",
                                        _404="Participation inconnue ou d'un autre compte.",
                                        _409="Déjà envoyée (`PARTICIPATION_ALREADY_SHARED`) ou pas encore "
                                             "(`PARTICIPATION_NOT_SHAREABLE` : test non terminé).")})
    def post(self, request, participation_id: int):
        participation = participation_share(participation_id=participation_id, user=request.user)
        return Response(SharedParticipationOutput(participation).data)


class CompetenceResultOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    mastery_rate = serializers.FloatField()


class ResultsStageOutput(serializers.Serializer):
    reached = serializers.IntegerField(help_text="Étoiles obtenues (le palier zéro n'en donne pas).")
    total = serializers.IntegerField()
    title = serializers.CharField()
    message = serializers.CharField()


class ResultsBadgeOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    message = serializers.CharField()
    obtained = serializers.BooleanField()
    progress = serializers.IntegerField(help_text="%")


class ResultsOutput(serializers.Serializer):
    mastery_rate = serializers.FloatField()
    competences = CompetenceResultOutput(many=True)
    stages = ResultsStageOutput(allow_null=True)
    badges = ResultsBadgeOutput(many=True)
    shared_at = serializers.DateTimeField()


class ParticipationResultsApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="participation_results", summary="Les résultats envoyés d'une évaluation",
                   responses={200: ResultsOutput, **_errors(
                       _401="Non authentifié.", _404="Participation inconnue ou d'un autre compte.",
                       _409="Pas encore envoyés (`RESULTS_NOT_SENT`) ; collecte de profils "
                            "(`NOT_AN_ASSESSMENT`).")})
    def get(self, request, participation_id: int):
        participation = participation_for_owner(user=request.user, participation_id=participation_id)
        if participation.campaign.type != Campaign.Type.ASSESSMENT:
            raise NotAnAssessmentCampaign("Une collecte de profils n'a pas de résultats de parcours : le profil "
                                          "envoyé est dans GET me/profile/.")
        if participation.status != Participation.Status.SHARED or participation.mastery_rate is None:
            raise ResultsNotSent()
        view = results_view(participation)
        return Response(ResultsOutput({
            "mastery_rate": participation.mastery_rate,
            "competences": [{"code": c.code, "name": c.name, "mastery_rate": c.mastery_rate}
                            for c in view.competences],
            "stages": view.stage, "badges": view.badges, "shared_at": participation.shared_at,
        }).data)


class ProfileCompetenceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    pix = serializers.IntegerField()


class ProfileOutput(serializers.Serializer):
    pix_score = serializers.IntegerField()
    certifiable = serializers.BooleanField(help_text="Niveau 1 ou plus dans au moins 5 compétences.")
    certifiable_competences = serializers.IntegerField()
    competences = ProfileCompetenceOutput(many=True)


class MyProfileApi(LearnerApiView):
    @extend_schema(tags=TAGS, operation_id="my_profile", summary="Mon profil : les 16 compétences",
                   responses={200: ProfileOutput, **_errors(_401="Non authentifié.")})
    def get(self, request):
        profile = profile_for_user(user=request.user)
        return Response(ProfileOutput({
            "pix_score": profile.score.pix_score, "certifiable": profile.score.certifiable,
            "certifiable_competences": profile.score.certifiable_competences,
            "competences": [{"code": c.code, "name": c.name, "level": c.level, "pix": c.pix}
                            for c in profile.competences],
        }).data)

