"""Domain errors of the content app (stable codes, French messages)."""

from pixorga.errors import Conflict, DomainError, Forbidden, NotFound


class StaffOnly(Forbidden):
    code = "STAFF_ONLY"
    default_message = "Seule l'équipe Pix gère les parcours. Contactez-la pour créer ou modifier un parcours."


class TargetProfileNotFound(NotFound):
    code = "TARGET_PROFILE_NOT_FOUND"
    default_message = ("Ce parcours n'existe pas ou n'est pas disponible pour votre organisation. "
                       "Choisissez un parcours de la liste.")


class TargetProfileInvalid(DomainError):
    code = "TARGET_PROFILE_INVALID"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Le parcours n'est pas enregistré : " + " ; ".join(problems) + ".")


class TargetProfileFromBank(Conflict):
    code = "TARGET_PROFILE_FROM_BANK"
    default_message = ("Ce parcours vient de la banque de contenus : modifiez content/bank/target_profiles.yaml, "
                       "puis lancez content_load.")


class TargetProfileInUse(Conflict):
    code = "TARGET_PROFILE_IN_USE"
    default_message = ("Une campagne utilise déjà ce parcours : ses sujets ne peuvent plus changer. "
                       "Créez un nouveau parcours avec les sujets voulus.")


class OrganizationRequired(DomainError):
    code = "ORGANIZATION_REQUIRED"
    default_message = "Indiquez l'organisation (paramètre organization) dont vous voulez voir les parcours."
