"""What the parser gives back: learners to import, skipped students and issues."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import SiecleIssue, SkipReason, StudentRef

FRANCE = "100"  # SIECLE's CODE_PAYS for France (INSEE writes it 99100)
SEX_BY_CODE = {"1": "M", "2": "F"}


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    """One student to import, every value taken from SIECLE as is (stripped)."""

    ine: str  # ID_NATIONAL, upper case
    family_name: str  # NOM_DE_FAMILLE
    usage_name: str | None  # NOM_USAGE
    first_name: str  # PRENOM
    second_first_name: str | None  # PRENOM2
    third_first_name: str | None  # PRENOM3
    sex: str  # "M" or "F", from CODE_SEXE 1 or 2
    birthdate: dt.date  # DATE_NAISS
    birth_country_code: str  # CODE_PAYS, SIECLE's 3 digits ("100" = France)
    birth_department_code: str | None  # CODE_DEPARTEMENT_NAISS, e.g. "075", "02A", "974"
    birth_city_code: str | None  # CODE_COMMUNE_INSEE_NAISS (born in France)
    birth_city: str | None  # VILLE_NAISS (mostly set when born abroad)
    mef_code: str | None  # CODE_MEF
    status: str | None  # CODE_STATUT: "ST" (student) or "AP" (apprentice)
    division: str  # CODE_STRUCTURE of the D structure
    eleve_id: str | None  # SIECLE's ELEVE_ID attribute

    @property
    def ref(self) -> StudentRef:
        return StudentRef(self.family_name, self.first_name, self.ine, self.eleve_id)


@dataclass(slots=True)
class SiecleParseResult:
    """Everything found in one pass. Import only when `ok`: Pix refuses a file with errors."""

    uai: str
    school_year: int | None
    students_in_file: int
    learners: list[LearnerRecord] = field(default_factory=list)
    skipped: dict[SkipReason, list[StudentRef]] = field(default_factory=dict)
    errors: list[SiecleIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def divisions(self) -> list[str]:
        return sorted({learner.division for learner in self.learners})

    @property
    def counts(self) -> dict[str, int]:
        return {
            "students_in_file": self.students_in_file,
            "learners": len(self.learners),
            "divisions": len(self.divisions),
            "errors": len(self.errors),
            **{f"skipped_{reason.lower()}": len(self.skipped.get(reason, ())) for reason in SkipReason},
        }
