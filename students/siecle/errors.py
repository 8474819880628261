"""Error codes and error values of the SIECLE import.

File-level problems stop the import and are raised as `SiecleFileError`; problems with
students are collected in one pass and returned as `SiecleIssue`s so that the school
administrator can fix everything in SIECLE before exporting again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

REEXPORT = "puis exportez à nouveau le fichier."

# What to do, by kind of problem (shown after the error: each kind gets the advice that fits it).
EXPORT_PATH = "Exploitation › Exports standard › Exports XML génériques › Élèves sans adresses"
ADVICE_NOT_SIECLE = (
    f"Dans SIECLE, ouvrez {EXPORT_PATH}, puis importez ici le fichier ElevesSansAdresses.zip obtenu (ou le "
    "fichier .xml qu'il contient), sans l'ouvrir ni le modifier."
)
ADVICE_DAMAGED = (
    "Le fichier a sans doute été coupé pendant le téléchargement, ou modifié. Exportez-le à nouveau depuis SIECLE "
    "et importez-le tel quel, sans l'ouvrir."
)
ADVICE_UNTOUCHED = (
    "Exportez à nouveau le fichier depuis SIECLE et importez-le tel quel, sans l'ouvrir ni l'enregistrer avec un "
    "tableur ou un éditeur de texte."
)
ADVICE_OWN_SCHOOL = (
    "Connectez-vous à SIECLE sur votre établissement, exportez son fichier ElevesSansAdresses et importez-le ici."
)
ADVICE_FIX_STUDENT = "Corrigez la fiche de l'élève dans SIECLE, puis exportez à nouveau le fichier et importez-le."
ADVICE_DUPLICATE = (
    "Dans SIECLE, vérifiez les fiches de ces élèves : un INE identifie un seul élève. Corrigez l'INE erroné (ou "
    "fusionnez les fiches en double), puis exportez à nouveau le fichier et importez-le."
)
ADVICE_TOO_LONG = "Raccourcissez cette valeur dans SIECLE, puis exportez à nouveau le fichier et importez-le."
ADVICE_EMPTY = (
    "Vérifiez que l'export porte sur l'année scolaire en cours et que les élèves sont affectés à une classe dans "
    "SIECLE, puis exportez à nouveau le fichier."
)
ADVICE_ZIP = (
    "Importez l'archive ElevesSansAdresses.zip telle que SIECLE la fournit, ou le fichier ElevesSansAdresses.xml "
    "qu'elle contient."
)
ADVICE_TOO_LARGE = (
    "Vérifiez que vous importez bien l'export ElevesSansAdresses de SIECLE de votre établissement, de préférence "
    "l'archive .zip, plus petite."
)


class SiecleErrorCode(StrEnum):
    # File-level, raised as SiecleFileError.
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    INVALID_ZIP = "INVALID_ZIP"
    INVALID_FILE = "INVALID_FILE"
    DTD_FORBIDDEN = "DTD_FORBIDDEN"
    ENCODING_MISMATCH = "ENCODING_MISMATCH"
    UAI_MISMATCHED = "UAI_MISMATCHED"
    # Student-level, returned in SiecleParseResult.errors.
    INE_REQUIRED = "INE_REQUIRED"
    INE_UNIQUE = "INE_UNIQUE"
    LAST_NAME_REQUIRED = "LAST_NAME_REQUIRED"
    FIRST_NAME_REQUIRED = "FIRST_NAME_REQUIRED"
    BIRTHDATE_REQUIRED = "BIRTHDATE_REQUIRED"
    INVALID_BIRTHDATE = "INVALID_BIRTHDATE"
    SEX_CODE_REQUIRED = "SEX_CODE_REQUIRED"
    BIRTH_COUNTRY_CODE_REQUIRED = "BIRTH_COUNTRY_CODE_REQUIRED"
    BIRTH_CITY_CODE_REQUIRED = "BIRTH_CITY_CODE_REQUIRED"
    BIRTH_CITY_REQUIRED = "BIRTH_CITY_REQUIRED"
    VALUE_TOO_LONG = "VALUE_TOO_LONG"
    EMPTY = "EMPTY"


class SkipReason(StrEnum):
    """Why a student of the file is not imported; never an error (Pix skips them silently)."""

    LEFT = "LEFT"  # DATE_SORTIE is set
    INE_PENDING = "INE_PENDING"  # no ID_NATIONAL element: the INE has not been given yet
    NO_DIVISION = "NO_DIVISION"  # active, but in no D structure other than "Inactifs"


class SiecleFileError(Exception):
    """The file as a whole cannot be imported; `code` is stable, `detail` (what is wrong) and `advice` (what to
    do) are French sentences for the admin."""

    def __init__(self, code: SiecleErrorCode, detail: str, students: tuple[StudentRef, ...] = (), *,
                 advice: str = "", notes: tuple[str, ...] = (), students_total: int | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.advice = advice
        self.students = students  # a few of the students concerned, when it helps
        self.notes = notes  # what to say of each of them (same order), if anything
        self.students_total = students_total if students_total is not None else len(students)


@dataclass(frozen=True, slots=True)
class StudentRef:
    """Enough to let the admin find a student in SIECLE."""

    family_name: str | None
    first_name: str | None
    ine: str | None
    eleve_id: str | None

    @property
    def label(self) -> str:
        name = " ".join(part for part in (self.family_name, self.first_name) if part) or "Élève sans nom"
        if self.ine:
            return f"{name} (INE {self.ine})"
        if self.eleve_id:
            return f"{name} (identifiant SIECLE {self.eleve_id})"
        return name


@dataclass(frozen=True, slots=True)
class SiecleIssue:
    code: SiecleErrorCode
    detail: str
    students: tuple[StudentRef, ...] = field(default=())
    advice: str = ADVICE_FIX_STUDENT
