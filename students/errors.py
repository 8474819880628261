"""Domain errors of the students app (stable codes, French messages)."""

from pixorga.errors import Conflict, DomainError, Forbidden, Gone

# Shown when the task could not be queued: the file and the job are kept, « Relancer » queues it again.
QUEUE_UNAVAILABLE_MESSAGE = (
    "Le traitement des imports est momentanément indisponible. Votre fichier est enregistré ; "
    "réessayez dans quelques minutes avec « Relancer »."
)


class NotManagingStudents(Forbidden):
    code = "NOT_MANAGING_STUDENTS"
    default_message = (
        "Cette organisation ne gère pas d'élèves : l'import SIECLE n'est pas disponible. "
        "Contactez l'équipe Pix si votre établissement doit importer ses élèves."
    )


class FileTooLarge(DomainError):
    code = "FILE_TOO_LARGE"
    http_status = 413

    def __init__(self, limit_bytes: int):
        super().__init__(
            f"Le fichier dépasse la taille maximale autorisée ({limit_bytes // (1024 * 1024)} Mo). "
            "Importez l'export ElevesSansAdresses de SIECLE au format .zip, tel que SIECLE le fournit."
        )


class EmptyFile(DomainError):
    code = "FILE_EMPTY"
    default_message = "Le fichier est vide. Exportez à nouveau le fichier depuis SIECLE, puis importez-le."


class ImportAlreadyRunning(Conflict):
    code = "IMPORT_ALREADY_RUNNING"
    default_message = (
        "Un import est déjà en cours pour votre établissement. Attendez qu'il se termine "
        "(la page de suivi se met à jour toute seule), puis importez à nouveau si besoin."
    )


class ImportNotApplicable(Conflict):
    code = "IMPORT_NOT_APPLICABLE"
    default_message = (
        "Seule une vérification terminée sans erreur peut être importée. Vérifiez à nouveau votre fichier."
    )


class ImportNotRequeueable(Conflict):
    code = "IMPORT_NOT_REQUEUEABLE"
    default_message = "Cet import ne peut pas être relancé : il est en cours, terminé, ou son fichier comporte des erreurs."


class ImportConfirmationRequired(Conflict):
    """« Importer » a file that would disable more than a third of the active students: asked to confirm first."""

    code = "IMPORT_CONFIRMATION_REQUIRED"

    def __init__(self, *, disabled: int, active: int):
        self.disabled, self.active = disabled, active
        number = lambda n: f"{n:,}".replace(",", "\u202f")  # noqa: E731
        super().__init__(
            f"Cet import désactiverait {number(disabled)} élève{'s' if disabled > 1 else ''} sur {number(active)} "
            f"actif{'s' if active > 1 else ''}. S'il s'agit bien du fichier de votre établissement pour l'année en "
            f"cours, confirmez-le en indiquant ce nombre.")


class ImportFileExpired(Gone):
    code = "IMPORT_FILE_EXPIRED"
    default_message = (
        "Le fichier de cette vérification n'est plus conservé (les fichiers d'élèves sont supprimés après 24 h). "
        "Importez à nouveau le fichier exporté de SIECLE."
    )
