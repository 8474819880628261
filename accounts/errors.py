"""Accounts domain errors: stable codes for the API, French messages for the pages."""

from pixorga.errors import Conflict, DomainError


class EmailAlreadyUsed(Conflict):
    code = "EMAIL_ALREADY_USED"
    default_message = (
        "Un compte existe déjà avec cette adresse e-mail. "
        "Connectez-vous, ou réinitialisez votre mot de passe si vous l'avez oublié."
    )


class InvalidEmail(DomainError):
    code = "INVALID_EMAIL"
    default_message = "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."


class NameRequired(DomainError):
    code = "NAME_REQUIRED"
    default_message = "Le prénom et le nom sont obligatoires."


class TermsNotAccepted(DomainError):
    code = "TERMS_NOT_ACCEPTED"
    default_message = "Vous devez accepter les conditions d'utilisation de Pix pour créer votre compte."


class InvalidPassword(DomainError):
    """The password breaks one or more rules; ``messages`` lists each of them, in French."""

    code = "INVALID_PASSWORD"
    default_message = "Ce mot de passe n'est pas assez sûr."

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages) or None)


class InvalidCredentials(DomainError):
    code = "INVALID_CREDENTIALS"
    http_status = 401
    default_message = "L'adresse e-mail, l'identifiant ou le mot de passe est incorrect."


class ApiTokenNotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    default_message = "Cette clé d'API n'existe pas."


class PasswordChangeRequired(DomainError):
    code = "PASSWORD_CHANGE_REQUIRED"
    http_status = 403
    default_message = (
        "Vous vous êtes connecté avec un mot de passe provisoire : choisissez d'abord votre propre mot de passe "
        "(POST /api/v1/me/password/)."
    )


class PixOrgaTermsNotAccepted(DomainError):
    code = "PIX_ORGA_TERMS_NOT_ACCEPTED"
    http_status = 403
    default_message = (
        "Acceptez d'abord les conditions d'utilisation de Pix Orga en vigueur (POST /api/v1/me/pix-orga-terms/accept/ "
        "ou la page /cgu), puis recommencez."
    )


class PasswordAlreadyChosen(Conflict):
    code = "PASSWORD_ALREADY_CHOSEN"
    default_message = "Ce compte n'a pas de mot de passe provisoire : pour en changer, réinitialisez votre mot de passe."
