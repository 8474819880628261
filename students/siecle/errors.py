"""Error codes and error values of the SIECLE import.

File-level problems stop the import and are raised as `SiecleFileError`; problems with
students are collected in one pass and returned as `SiecleIssue`s so that the school
administrator can fix everything in SIECLE before exporting again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

REEXPORT = "puis exportez à nouveau le fichier."


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
    EMPTY = "EMPTY"


class SkipReason(StrEnum):
    """Why a student of the file is not imported; never an error (Pix skips them silently)."""

    LEFT = "LEFT"  # DATE_SORTIE is set
    INE_PENDING = "INE_PENDING"  # no ID_NATIONAL element: the INE has not been given yet
    NO_DIVISION = "NO_DIVISION"  # active, but in no D structure other than "Inactifs"


class SiecleFileError(Exception):
    """The file as a whole cannot be imported; `code` is stable, `detail` is for the admin."""

    def __init__(self, code: SiecleErrorCode, detail: str, students: tuple[StudentRef, ...] = ()) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.students = students  # a few of the students concerned, when it helps


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
