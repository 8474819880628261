"""Invitation domain errors: stable codes for the API, French messages that say what to do next."""

from pixorga.errors import Conflict, DomainError, Gone, NotFound


class InvitationNotFound(NotFound):
    code = "INVITATION_NOT_FOUND"
    default_message = (
        "Ce lien d'invitation n'est pas valide. Il a peut-être été remplacé par une invitation plus récente : "
        "utilisez le lien du dernier e-mail reçu, ou demandez une nouvelle invitation à un administrateur."
    )


class InvitationAlreadyUsed(Conflict):
    code = "INVITATION_ALREADY_USED"
    default_message = "Cette invitation a déjà été acceptée : un lien d'invitation ne sert qu'une fois."


class InvitationCancelled(Conflict):
    code = "INVITATION_CANCELLED"
    default_message = "Cette invitation a été annulée. Demandez une nouvelle invitation à un administrateur."


class InvitationNotPending(Conflict):
    code = "INVITATION_NOT_PENDING"
    default_message = "Cette invitation n'est plus en attente : elle a déjà été acceptée ou annulée."


class InvitationExpired(Gone):
    code = "INVITATION_EXPIRED"
    default_message = "Cette invitation a expiré. Demandez une nouvelle invitation à un administrateur."


class OrganizationArchived(Gone):
    code = "ORGANIZATION_ARCHIVED"
    default_message = "Cette organisation a été archivée : elle n'accepte plus de nouveaux membres."


class InvalidEmails(DomainError):
    code = "INVALID_EMAILS"
    http_status = 400

    def __init__(self, invalid: list[str]):
        self.invalid = invalid
        if not invalid:
            message = "Saisissez au moins une adresse e-mail."
        elif len(invalid) == 1:
            message = f"Cette adresse n'est pas valide : {invalid[0]}. Corrigez-la ; aucune invitation n'a été envoyée."
        else:
            message = (f"Ces adresses ne sont pas valides : {', '.join(invalid)}. Corrigez-les ; "
                       "aucune invitation n'a été envoyée.")
        super().__init__(message)


class TooManyEmails(DomainError):
    code = "TOO_MANY_EMAILS"
    http_status = 400

    def __init__(self, limit: int):
        super().__init__(f"Vous pouvez inviter au plus {limit} adresses à la fois.")


class OrganizationHasNoEmail(DomainError):
    code = "ORGANIZATION_HAS_NO_EMAIL"
    http_status = 400
    default_message = ("Aucune adresse e-mail n'est enregistrée pour cet établissement : contactez le support Pix "
                       "pour la faire ajouter.")


# The public "activate my school's space" page.
class UnknownUai(NotFound):
    code = "UNKNOWN_UAI"
    default_message = ("Aucun établissement ne correspond à cet UAI. Vérifiez-le (7 chiffres et une lettre, "
                       "par exemple 0751234A).")


class NotASchool(DomainError):
    code = "NOT_A_SCHOOL"
    http_status = 400
    default_message = ("Cette activation est réservée aux établissements scolaires (collèges, lycées). "
                       "Pour une autre organisation, contactez le support Pix.")


class SchoolAlreadyHasAdmin(Conflict):
    code = "SCHOOL_ALREADY_HAS_ADMIN"
    default_message = "Votre établissement a déjà un administrateur : demandez-lui une invitation."


class TooManyActivationRequests(DomainError):
    """« Activer l'espace » asked too often for one school: its mailbox must not be flooded."""

    code = "TOO_MANY_REQUESTS"
    http_status = 429

    def __init__(self, *, delay: str):
        super().__init__(
            "L'invitation de votre établissement a déjà été envoyée plusieurs fois ces dernières heures à son "
            "adresse officielle : chacun des liens reçus fonctionne. Cherchez-les dans cette boîte (et dans les "
            f"courriers indésirables), ou refaites la demande dans {delay}."
        )
