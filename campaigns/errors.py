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
    """A linking refusal of Pix's reconciliation rules (R11, R12, R31, R32, R70, R90, S51, S52, S61, S62); ``login``
    is obfuscated."""

    http_status = 409

    def __init__(self, message: str | None = None, *, login: str = "", **kwargs):
        self.login = login
        super().__init__(message, **kwargs)


class LearnerDetailsRequired(DomainError):
    """A reserved campaign, and no automatic link: the student must say who they are (the linking form)."""

    code = "LEARNER_DETAILS_REQUIRED"
    http_status = 400
    default_message = "Indiquez votre prénom, votre nom et votre date de naissance pour retrouver votre classe."


class ExternalIdRequired(DomainError):
    code = "EXTERNAL_ID_REQUIRED"
    http_status = 400
    default_message = "Remplissez le champ demandé par votre enseignant pour commencer."


class ParticipationNotFound(DomainError):
    code = "PARTICIPATION_NOT_FOUND"
    http_status = 404
    default_message = "Cette participation n'existe pas ou n'est pas la vôtre."


class ParticipationAlreadyShared(DomainError):
    code = "PARTICIPATION_ALREADY_SHARED"
    http_status = 409
    default_message = "Votre profil est déjà envoyé : votre enseignant l'a bien reçu."


class ParticipationNotShareable(DomainError):
    code = "PARTICIPATION_NOT_SHAREABLE"
    http_status = 409
    default_message = "Il n'y a rien à envoyer pour le moment : terminez d'abord votre parcours."


class CodeGuessingLimited(DomainError):
    """Too many wrong campaign codes from one account or one address."""

    code = "TOO_MANY_ATTEMPTS"
    http_status = 429
    default_message = "Trop de codes essayés. Réessayez dans 10 minutes, ou vérifiez le code avec votre enseignant."


# --- Linking refusals (Pix's reconciliation rules): each hint says what the student can do -------------------------

def _student(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


class LearnerLinkedToOtherAccount(LinkConflict):
    """R31 / R32: the learner found is already linked to another account of this school."""

    code = "R31"

    def __init__(self, *, first_name: str, last_name: str, login: str, by_email: bool = True):
        kind = "au compte" if by_email else "à l'identifiant"
        target = f"{kind} {login}" if login else "à un autre compte"
        message = (
            f"L'élève {_student(first_name, last_name)} est déjà associé {target}. "
            "Connectez-vous avec ce compte, ou demandez à un enseignant de dissocier l'élève."
        )
        super().__init__(message, login=login, code="R31" if by_email else "R32")


class IneLinkedToOtherAccount(LinkConflict):
    """R11 / R12: the same student (same INE) already uses another account, in another school."""

    code = "R11"

    def __init__(self, *, login: str, by_email: bool = True):
        kind = "le compte" if by_email else "l'identifiant"
        target = f"{kind} {login}" if login else "un autre compte"
        message = (
            f"Vous avez déjà un compte Pix : {target}, utilisé dans un autre établissement. "
            "Déconnectez-vous, puis connectez-vous avec ce compte pour continuer. "
            "Si vous ne le reconnaissez pas, demandez de l'aide à un enseignant."
        )
        super().__init__(message, login=login, code="R11" if by_email else "R12")


class AccountLinkedToOtherLearner(LinkConflict):
    """R70: this account is already linked to another learner of this school."""

    code = "R70"

    def __init__(self, *, login: str):
        message = (
            f"Votre compte {login} est déjà associé à un autre élève de cet établissement. "
            "Si ce n'est pas vous, déconnectez-vous et utilisez votre propre compte, "
            "ou demandez à un enseignant de dissocier ce compte."
        )
        super().__init__(message, login=login)


class AccountOfSomeoneElse(LinkConflict):
    """R90: every link of this account is to a learner with another INE and another birthdate."""

    code = "R90"
    http_status = 422

    def __init__(self, *, login: str):
        message = (
            f"Le compte {login} semble appartenir à quelqu'un d'autre. "
            "Déconnectez-vous, puis connectez-vous avec votre propre compte ou créez-en un. "
            "En cas de doute, demandez de l'aide à un enseignant."
        )
        super().__init__(message, login=login)


# --- Signing up from a reserved campaign (no account yet): the record found already has one ---------------------------

class LearnerHasAccount(LinkConflict):
    """S51 / S52: the student's record in this school is already linked to an account (e-mail / username)."""

    code = "S51"

    def __init__(self, *, login: str, by_email: bool = True):
        if by_email:
            message = (
                f"Vous avez déjà un compte Pix dans cet établissement : l'adresse e-mail {login}. "
                "Connectez-vous avec ce compte (« J'ai déjà un compte »). Mot de passe oublié ? "
                "Utilisez « Mot de passe oublié ? » sur la page de connexion."
            )
        else:
            message = (
                f"Vous avez déjà un compte Pix dans cet établissement : l'identifiant {login}. "
                "Connectez-vous avec cet identifiant (« J'ai déjà un compte »). Mot de passe oublié ? "
                "Demandez à votre enseignant de le réinitialiser."
            )
        super().__init__(message, login=login, code="S51" if by_email else "S52")


class IneHasAccountElsewhere(LinkConflict):
    """S61 / S62: the same student (same INE) already has an account, used in another school."""

    code = "S61"

    def __init__(self, *, login: str, by_email: bool = True):
        kind = "l'adresse e-mail" if by_email else "l'identifiant"
        message = (
            f"Vous avez déjà un compte Pix, utilisé dans un autre établissement : {kind} {login}. "
            "Connectez-vous avec ce compte (« J'ai déjà un compte ») : il sera associé à cet établissement. "
            "Si vous ne le reconnaissez pas, demandez de l'aide à un enseignant."
        )
        super().__init__(message, login=login, code="S61" if by_email else "S62")


class CampaignNotReserved(DomainError):
    code = "CAMPAIGN_NOT_RESERVED"
    http_status = 400
    default_message = (
        "Cette campagne n'est pas réservée aux élèves d'un établissement : créez votre compte avec votre adresse "
        "e-mail (POST /api/v1/accounts/), puis rejoignez la campagne."
    )


class LoginChoiceRequired(DomainError):
    code = "LOGIN_CHOICE_REQUIRED"
    http_status = 400
    default_message = "Choisissez comment vous vous connecterez : avec votre adresse e-mail, ou avec un identifiant."
