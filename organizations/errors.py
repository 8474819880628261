"""Domain errors of organizations and memberships (stable codes, French messages that say what to do)."""

from pixorga.errors import Conflict, DomainError, Forbidden


class LastAdminError(Conflict):
    code = "LAST_ADMIN"
    default_message = (
        "L'organisation doit garder au moins un administrateur. Nommez d'abord un autre administrateur."
    )


class InvalidOrganization(DomainError):
    """Bad input when creating an organization; ``field`` names the faulty input."""

    code = "INVALID_ORGANIZATION"
    default_message = "Les informations de l'organisation sont invalides."

    def __init__(self, message: str | None = None, *, field: str = "", **kwargs):
        self.field = field
        super().__init__(message, **kwargs)


class InvalidUai(InvalidOrganization):
    code = "INVALID_UAI"
    default_message = (
        "L'UAI d'un établissement scolaire comporte 7 chiffres suivis d'une lettre (par exemple 0751234A)."
    )

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message, field="uai", **kwargs)


class UaiAlreadyUsed(Conflict):
    code = "UAI_ALREADY_USED"
    default_message = "Un établissement avec cet UAI existe déjà sur Pix Orga."
    field = "uai"


class InvalidRole(DomainError):
    code = "INVALID_ROLE"
    default_message = "Ce rôle n'existe pas : choisissez « Administrateur » ou « Membre »."


class NotAnAdmin(Forbidden):
    code = "NOT_AN_ADMIN"
