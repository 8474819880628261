"""Domain errors of the test: a stable code for the API and the logs, a French sentence for the pages."""

from pixorga.errors import Conflict, DomainError, NotFound


class AssessmentNotFound(NotFound):
    code = "ASSESSMENT_NOT_FOUND"
    default_message = "Ce test n'existe pas ou n'est pas le vôtre."


class AssessmentEnded(Conflict):
    code = "ASSESSMENT_ENDED"
    default_message = "Ce test est terminé : il n'y a plus de question."


class ChallengeNotServed(Conflict):
    code = "CHALLENGE_NOT_SERVED"
    default_message = "Cette question n'est pas celle qui vous est posée : rechargez la page pour voir la question en cours."


class ChallengeAlreadyAnswered(Conflict):
    code = "CHALLENGE_ALREADY_ANSWERED"
    default_message = "Vous avez déjà répondu à cette question : votre réponse est enregistrée."


class InvalidAnswerValue(DomainError):
    code = "INVALID_ANSWER"
    http_status = 400
    default_message = "Votre réponse est incomplète : complétez-la ou cliquez sur « Je passe »."


class NotAnAssessmentCampaign(Conflict):
    code = "NOT_AN_ASSESSMENT"
    default_message = "Cette campagne est une collecte de profils : il n'y a pas de test à passer, envoyez votre profil."


class CampaignWithoutTargetProfile(Conflict):
    code = "CAMPAIGN_WITHOUT_TARGET_PROFILE"
    default_message = ("Cette campagne n'a pas encore de parcours : prévenez votre enseignant, "
                       "il doit créer une nouvelle campagne avec un parcours.")


class ParticipationNotCurrent(Conflict):
    code = "PARTICIPATION_NOT_CURRENT"
    default_message = "Cette participation a été remplacée par une plus récente : ouvrez « Mes parcours »."


class CompetenceNotFound(NotFound):
    code = "COMPETENCE_NOT_FOUND"
    default_message = "Cette compétence n'existe pas : choisissez-en une sur « Mon profil »."


class RetryNotYet(Conflict):
    code = "RETRY_NOT_YET"
    default_message = "Vous pourrez retenter cette compétence dans quelques jours."


class AssessmentNotCompleted(Conflict):
    code = "PARTICIPATION_NOT_SHAREABLE"
    default_message = "Terminez d'abord votre parcours : vos résultats seront envoyés à la fin."
