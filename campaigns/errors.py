"""Campaign domain errors: stable codes, French messages that say what to do next."""

from pixorga.errors import DomainError
from campaigns.codes import CAMPAIGN_CODE_EXAMPLE


class CampaignNotFound(DomainError):
    code = "CAMPAIGN_NOT_FOUND"
    http_status = 404
    default_message = (
        f"Ce code de campagne n'existe pas. Un code a 9 caractères : 6 lettres puis 3 chiffres, "
        f"par exemple {CAMPAIGN_CODE_EXAMPLE}. Vérifiez-le auprès de votre enseignant."
    )


class CampaignArchived(DomainError):
    code = "CAMPAIGN_ARCHIVED"
    http_status = 403
    default_message = "Cette campagne est terminée : il n'est plus possible d'y participer. Demandez un nouveau code à votre enseignant."


class NotCampaignEditor(DomainError):
    code = "NOT_CAMPAIGN_EDITOR"
    http_status = 403
    default_message = "Seuls les administrateurs et le propriétaire de la campagne peuvent la modifier."


class NoMatchingLearner(DomainError):
    code = "NO_MATCHING_LEARNER"
    http_status = 404
    # Identical whatever failed (name, birthdate, no such student): it must not help guessing.
    default_message = "Vérifiez vos informations (prénom, nom et date de naissance) ou contactez un enseignant."


class TooManyAttempts(DomainError):
    code = "TOO_MANY_ATTEMPTS"
    http_status = 429
    default_message = "Trop de tentatives. Réessayez plus tard."


class LinkConflict(DomainError):
    """A linking refusal of Pix's reconciliation rules (R11, R12, R31, R32, R70, R90); ``login`` is obfuscated."""

    http_status = 409

    def __init__(self, message: str | None = None, *, login: str = "", **kwargs):
        self.login = login
        super().__init__(message, **kwargs)
