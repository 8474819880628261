"""Stream a SIECLE ElevesSansAdresses.xml export into learner records, in one pass.

Memory stays flat whatever the file size: lxml's iterparse hands over each ELEVE,
OPTION and STRUCTURES_ELEVE once complete, and the element and its earlier siblings are
freed at once; only the small per-student tuples are kept until divisions are joined.

Rules (those of Pix Orga, stricter where noted):
- skipped without any error, whatever their other fields (as Pix does): students who
  left (DATE_SORTIE not empty), students without an ID_NATIONAL element (INE not given
  yet), active students with no D structure other than "Inactifs";
- every other student is checked and all problems are reported together;
- a DOCTYPE is refused (Pix says INVALID_FILE), and so is a file whose names show it
  was re-saved in UTF-8 under its ISO-8859-15 declaration (Pix imports garbled names).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import BinaryIO

from lxml import etree

from .errors import (
    ADVICE_DAMAGED,
    ADVICE_DUPLICATE,
    ADVICE_EMPTY,
    ADVICE_NOT_SIECLE,
    ADVICE_OWN_SCHOOL,
    ADVICE_TOO_LONG,
    ADVICE_UNTOUCHED,
    SiecleErrorCode,
    SiecleFileError,
    SiecleIssue,
    SkipReason,
    StudentRef,
)
from .prolog import NOT_SIECLE, ReplayReader, invalid_file, printable, read_prolog
from .records import FRANCE, SEX_BY_CODE, LearnerRecord, SiecleParseResult
from .upload import DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_XML_BYTES, open_upload

Code = SiecleErrorCode
ROOT = "BEE_ELEVES"
NOT_A_DIVISION = "inactifs"  # SIECLE's pseudo-division of students leaving
_TAGS = ("PARAMETRES", "ELEVE", "OPTION", "STRUCTURES_ELEVE", "ELEVES", "OPTIONS", "STRUCTURES", "DONNEES")
_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_NAME_FIELDS = ("NOM_DE_FAMILLE", "NOM_USAGE", "PRENOM", "PRENOM2", "PRENOM3", "VILLE_NAISS")
_STUDENT_FIELDS = (
    *_NAME_FIELDS, "ID_NATIONAL", "DATE_NAISS", "DATE_SORTIE", "CODE_SEXE", "CODE_PAYS", "CODE_DEPARTEMENT_NAISS",
    "CODE_COMMUNE_INSEE_NAISS", "CODE_MEF", "CODE_STATUT",
)
# Bytes 0x80-0xBF (UTF-8 continuation bytes) as ISO-8859-15 reads them.
_UTF8_TRAIL = re.compile("[\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u20ac]")
_GARBLED_EXAMPLES = 5
# libxml2's words for bytes that do not fit the declared encoding (e.g. ISO-8859-15 bytes under UTF-8).
_WRONG_BYTES = ("Invalid bytes in character encoding", "not proper UTF-8")

_FIX = {
    Code.INE_REQUIRED: "Renseignez l'INE (identifiant national) de l'élève dans SIECLE",
    Code.LAST_NAME_REQUIRED: "Renseignez le nom de famille de l'élève dans SIECLE",
    Code.FIRST_NAME_REQUIRED: "Renseignez le prénom de l'élève dans SIECLE",
    Code.BIRTHDATE_REQUIRED: "Renseignez la date de naissance de l'élève dans SIECLE",
    Code.INVALID_BIRTHDATE: "Corrigez la date de naissance de l'élève dans SIECLE",
    Code.SEX_CODE_REQUIRED: "Renseignez le sexe de l'élève dans SIECLE",
    Code.BIRTH_COUNTRY_CODE_REQUIRED: "Renseignez le pays de naissance de l'élève dans SIECLE",
    Code.BIRTH_CITY_CODE_REQUIRED: "Renseignez la commune de naissance (code INSEE) de l'élève dans SIECLE",
    Code.BIRTH_CITY_REQUIRED: "Renseignez la ville de naissance à l'étranger de l'élève dans SIECLE",
}


_ADVICE = {code: f"{fix}, puis exportez à nouveau le fichier et importez-le." for code, fix in _FIX.items()}
_ADVICE[Code.VALUE_TOO_LONG] = ADVICE_TOO_LONG

# The values a learner keeps, as (SIECLE element, LearnerRecord field, what the admin calls it): checked against
# the lengths the caller allows (the database's), so that a check finds every error the import would meet.
_LIMITED = (
    ("ID_NATIONAL", "ine", "L'INE"), ("NOM_DE_FAMILLE", "family_name", "Le nom de famille"),
    ("NOM_USAGE", "usage_name", "Le nom d'usage"), ("PRENOM", "first_name", "Le prénom"),
    ("PRENOM2", "second_first_name", "Le deuxième prénom"), ("PRENOM3", "third_first_name", "Le troisième prénom"),
    ("CODE_PAYS", "birth_country_code", "Le code du pays de naissance"),
    ("CODE_DEPARTEMENT_NAISS", "birth_department_code", "Le code du département de naissance"),
    ("CODE_COMMUNE_INSEE_NAISS", "birth_city_code", "Le code INSEE de la commune de naissance"),
    ("VILLE_NAISS", "birth_city", "La ville de naissance"), ("CODE_MEF", "mef_code", "Le code MEF"),
    ("CODE_STATUT", "status", "Le code statut"),
)
_QUOTED = 30  # characters of a too long value quoted in its error


def _detail(code: SiecleErrorCode, what: str) -> str:
    return what


def _too_long(label: str, value: str, limit: int) -> tuple[SiecleErrorCode, str]:
    quoted = value if len(value) <= _QUOTED else value[:_QUOTED] + "…"
    return (Code.VALUE_TOO_LONG,
            f"{label} « {quoted} » compte {len(value)} caractères ; Pix Orga en accepte {limit} au plus.")


def _count(number: int, singular: str, plural: str) -> str:
    """« 1 élève », « 2 331 élèves » (narrow no-break space between thousands)."""
    return f"{number:,}".replace(",", "\u202f") + " " + (singular if number in (0, 1) else plural)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _check_birthdate(raw: str | None) -> tuple[dt.date | None, tuple[SiecleErrorCode, str] | None]:
    if raw is None:
        return None, (Code.BIRTHDATE_REQUIRED, _detail(Code.BIRTHDATE_REQUIRED, "La date de naissance est absente."))
    found = _DATE.fullmatch(raw)
    try:
        if found is None:
            raise ValueError(raw)
        return dt.date(int(found[3]), int(found[2]), int(found[1])), None
    except ValueError:
        what = f"La date de naissance « {raw} » n'est pas une date valide au format JJ/MM/AAAA."
        return None, (Code.INVALID_BIRTHDATE, _detail(Code.INVALID_BIRTHDATE, what))


_ELEVE_ID, _PROBLEMS = 14, 15  # positions in a candidate tuple (see _SiecleReader.candidates)


def _ref(candidate: tuple) -> StudentRef:
    return StudentRef(candidate[1], candidate[3], candidate[0], candidate[_ELEVE_ID])


def _ungarbled(value: str) -> str | None:
    """The real text if `value` is UTF-8 bytes read as ISO-8859-15 ("AÃ¯cha" -> "Aïcha")."""
    try:
        fixed = value.encode("iso-8859-15").decode("utf-8")
        fixed.encode("iso-8859-15")  # SIECLE only writes ISO-8859-15 text: anything else is chance
    except UnicodeError:
        return None
    return fixed if fixed != value else None


class _StringPool(dict):
    """pool[value] is the first copy seen of value (None stays None)."""

    def __missing__(self, value: str | None) -> str | None:
        self[value] = value
        return value


class _SiecleReader:
    """The state of one pass over one file."""

    def __init__(self, expected_uai: str, declared_encoding: str | None, garbling_possible: bool,
                 max_lengths: dict[str, int]) -> None:
        self.expected_uai = expected_uai.strip().upper()
        self.limited = [(tag, label, max_lengths[name]) for tag, name, label in _LIMITED if name in max_lengths]
        self.max_eleve_id = max_lengths.get("eleve_id")
        self.max_division = max_lengths.get("division")
        self.declared_encoding = (declared_encoding or "").upper()
        self.garbling_possible = garbling_possible
        self.uai: str | None = None
        self.school_year: int | None = None
        self.parameters_seen = False
        self.students_in_file = 0
        self.skipped: dict[SkipReason, list[StudentRef]] = {reason: [] for reason in SkipReason}
        # Active students with an INE element: the LearnerRecord fields up to status, then
        # eleve_id and problems; plain tuples are the cheapest thing to hold 100,000 of.
        self.candidates: list[tuple] = []
        self.divisions: dict[str, str] = {}
        self.garbled: list[tuple[StudentRef, str, str]] = []
        self.garbled_count = 0
        self.share = _StringPool().__getitem__  # one copy of repeated values (divisions, MEF, names...)

    # -- PARAMETRES ---------------------------------------------------------------
    def read_parameters(self, elem: etree._Element) -> None:
        self.parameters_seen = True
        self.uai = _clean(elem.findtext("UAJ"))
        year = _clean(elem.findtext("ANNEE_SCOLAIRE"))
        self.school_year = int(year) if year and year.isdigit() else None
        self.check_uai()

    def check_uai(self) -> None:
        if self.uai is None:
            raise SiecleFileError(
                Code.UAI_MISMATCHED,
                f"Le fichier n'indique pas d'établissement (il n'a pas d'UAI), alors que celui de votre "
                f"établissement est {self.expected_uai}.",
                advice=ADVICE_OWN_SCHOOL,
            )
        if self.uai.upper() != self.expected_uai:
            raise SiecleFileError(
                Code.UAI_MISMATCHED,
                f"Ce fichier est celui d'un autre établissement (UAI {printable(self.uai)}), alors que le vôtre a "
                f"l'UAI {self.expected_uai}.",
                advice=ADVICE_OWN_SCHOOL,
            )

    # -- ELEVE --------------------------------------------------------------------
    def read_student(self, elem: etree._Element) -> None:
        if not self.parameters_seen:
            self.check_uai()  # raises: there was no PARAMETRES before the students
        self.students_in_file += 1
        # Only the children we use get a Python proxy (lxml filters the others in C).
        values = {child.tag: child.text for child in elem.iterchildren(*_STUDENT_FIELDS)}
        for tag, text in values.items():
            values[tag] = (text.strip() or None) if text else None
        get, share = values.get, self.share
        eleve_id = _clean(elem.get("ELEVE_ID"))
        family_name, first_name = share(get("NOM_DE_FAMILLE")), share(get("PRENOM"))
        ine = get("ID_NATIONAL")
        ine = ine.upper() if ine else None
        if self.garbling_possible:
            self._look_for_garbling(values, family_name, first_name, ine, eleve_id)
        if get("DATE_SORTIE"):
            self.skipped[SkipReason.LEFT].append(StudentRef(family_name, first_name, ine, eleve_id))
            return
        if "ID_NATIONAL" not in values:
            self.skipped[SkipReason.INE_PENDING].append(StudentRef(family_name, first_name, ine, eleve_id))
            return
        problems: list[tuple[SiecleErrorCode, str]] = []
        if ine is None:
            problems.append((Code.INE_REQUIRED, _detail(Code.INE_REQUIRED, "L'INE est vide.")))
        if family_name is None:
            problems.append((Code.LAST_NAME_REQUIRED, _detail(Code.LAST_NAME_REQUIRED, "Le nom de famille est vide.")))
        if first_name is None:
            problems.append((Code.FIRST_NAME_REQUIRED, _detail(Code.FIRST_NAME_REQUIRED, "Le prénom est vide.")))
        birthdate, problem = _check_birthdate(get("DATE_NAISS"))
        if problem:
            problems.append(problem)
        sex_code = get("CODE_SEXE")
        sex = SEX_BY_CODE.get(sex_code)  # type: ignore[arg-type]
        if sex is None:
            what = f"Le code sexe « {sex_code} » est inconnu (1 ou 2 attendu)." if sex_code else "Le sexe est absent."
            problems.append((Code.SEX_CODE_REQUIRED, _detail(Code.SEX_CODE_REQUIRED, what)))
        country, city = share(get("CODE_PAYS")), share(get("VILLE_NAISS"))
        city_code = share(get("CODE_COMMUNE_INSEE_NAISS"))
        if country is None:
            problems.append((Code.BIRTH_COUNTRY_CODE_REQUIRED,
                             _detail(Code.BIRTH_COUNTRY_CODE_REQUIRED, "Le pays de naissance est absent.")))
        elif country == FRANCE and city_code is None:
            what = "L'élève est né en France mais sa commune de naissance est absente."
            problems.append((Code.BIRTH_CITY_CODE_REQUIRED, _detail(Code.BIRTH_CITY_CODE_REQUIRED, what)))
        elif country != FRANCE and city is None:
            what = "L'élève est né à l'étranger mais sa ville de naissance est absente."
            problems.append((Code.BIRTH_CITY_REQUIRED, _detail(Code.BIRTH_CITY_REQUIRED, what)))
        for tag, label, limit in self.limited:
            value = get(tag)
            if value is not None and len(value) > limit:
                problems.append(_too_long(label, value, limit))
        if eleve_id is not None and self.max_eleve_id is not None and len(eleve_id) > self.max_eleve_id:
            problems.append(_too_long("L'identifiant SIECLE (ELEVE_ID)", eleve_id, self.max_eleve_id))
        # The LearnerRecord fields but the division, which comes later in the file.
        self.candidates.append((
            ine, family_name, share(get("NOM_USAGE")), first_name, share(get("PRENOM2")), share(get("PRENOM3")),
            sex, birthdate, country, share(get("CODE_DEPARTEMENT_NAISS")), city_code, city,
            share(get("CODE_MEF")), share(get("CODE_STATUT")), eleve_id, problems or None,
        ))

    def _look_for_garbling(self, values: dict[str, str | None], family_name: str | None, first_name: str | None,
                           ine: str | None, eleve_id: str | None) -> None:
        names = "\n".join(value for tag in _NAME_FIELDS if (value := values.get(tag)))
        if names.isascii() or not _UTF8_TRAIL.search(names):
            return  # no character that a UTF-8 continuation byte turns into: nothing garbled
        for tag in _NAME_FIELDS:
            value = values.get(tag)
            if value and (fixed := _ungarbled(value)) is not None:
                self.garbled_count += 1
                if len(self.garbled) < _GARBLED_EXAMPLES:
                    # Name the student as SIECLE knows them, not with the garbled text.
                    readable = StudentRef(family_name and (_ungarbled(family_name) or family_name),
                                          first_name and (_ungarbled(first_name) or first_name), ine, eleve_id)
                    self.garbled.append((readable, value, fixed))
                return

    # -- STRUCTURES_ELEVE -------------------------------------------------------------
    def read_structures(self, elem: etree._Element) -> None:
        eleve_id = _clean(elem.get("ELEVE_ID"))
        if eleve_id is None or eleve_id in self.divisions:
            return
        for structure in elem:
            kind = code = None
            for child in structure:  # faster than findtext(), which goes through ElementPath
                if child.tag == "TYPE_STRUCTURE":
                    kind = child.text
                elif child.tag == "CODE_STRUCTURE":
                    code = child.text
            if _clean(kind) != "D":
                continue  # G structures are groups, not divisions
            code = _clean(code)
            if code and code.lower() != NOT_A_DIVISION:
                self.divisions[eleve_id] = self.share(code)  # type: ignore[assignment]
                return

    # -- end of file ------------------------------------------------------------------
    def result(self) -> SiecleParseResult:
        if not self.parameters_seen:
            self.check_uai()
        if self.garbled:
            # Garbled text holds invisible characters (C1 controls) that show as empty boxes: left out.
            raise SiecleFileError(
                Code.ENCODING_MISMATCH,
                f"Le fichier a été ouvert puis réenregistré dans un autre encodage que celui de SIECLE : "
                f"{_count(self.garbled_count, 'élève aurait son nom mal écrit', 'élèves auraient leur nom mal écrit')}.",
                students=tuple(ref for ref, _seen, _fixed in self.garbled),
                notes=tuple(f"«\u00a0{fixed}\u00a0» deviendrait «\u00a0{printable(seen)}\u00a0»" for _ref, seen, fixed in self.garbled),
                students_total=self.garbled_count,
                advice=ADVICE_UNTOUCHED,
            )
        result = SiecleParseResult(
            uai=self.uai or "", school_year=self.school_year, students_in_file=self.students_in_file,
            skipped=self.skipped,
        )
        candidates, self.candidates = self.candidates, []
        holders: dict[str, list[int]] = defaultdict(list)  # INE -> indexes in candidates
        valid: list[int] = []
        in_a_division = 0
        for index, candidate in enumerate(candidates):
            division = self.divisions.get(candidate[_ELEVE_ID])  # type: ignore[arg-type]
            if division is None:
                self.skipped[SkipReason.NO_DIVISION].append(_ref(candidate))
                continue
            in_a_division += 1
            if self.max_division is not None and len(division) > self.max_division:
                problems = [*(candidate[_PROBLEMS] or ()), _too_long("La classe", division, self.max_division)]
                candidate = candidates[index] = (*candidate[:_PROBLEMS], problems)
            if candidate[0] is not None:
                holders[candidate[0]].append(index)
            if candidate[_PROBLEMS]:
                ref = _ref(candidate)
                result.errors.extend(SiecleIssue(code, f"{ref.label} : {detail}", (ref,), _ADVICE[code])
                                     for code, detail in candidate[_PROBLEMS])
            else:
                valid.append(index)
        duplicated = set()
        for ine, indexes in holders.items():
            if len(indexes) > 1:
                duplicated.add(ine)
                refs = tuple(_ref(candidates[index]) for index in indexes)
                names = ", ".join(" ".join(p for p in (r.family_name, r.first_name) if p) for r in refs)
                result.errors.append(SiecleIssue(
                    Code.INE_UNIQUE, f"L'INE {ine} est attribué à {len(refs)} élèves ({names}).", refs,
                    ADVICE_DUPLICATE,
                ))
        if not in_a_division:
            result.errors.append(SiecleIssue(Code.EMPTY, self._empty_detail(), advice=ADVICE_EMPTY))
        # Grouped by kind, in the order of the file within a kind: each kind's advice is given once.
        order = {code: rank for rank, code in enumerate(Code)}
        result.errors.sort(key=lambda issue: order[issue.code])
        learners = result.learners
        divisions = self.divisions
        for index in valid:
            candidate = candidates[index]
            candidates[index] = None  # type: ignore[call-overload]  # free each tuple once its record exists
            if candidate[0] not in duplicated:
                eleve_id = candidate[_ELEVE_ID]
                learners.append(LearnerRecord(*candidate[:_ELEVE_ID], divisions[eleve_id], eleve_id))
        return result

    def _empty_detail(self) -> str:
        counts = {reason: len(refs) for reason, refs in self.skipped.items()}
        if not self.students_in_file:
            return "Aucun élève à importer : le fichier ne contient aucun élève."
        number = lambda n: f"{n:,}".replace(",", "\u202f")  # noqa: E731
        return (
            f"Aucun élève à importer : le fichier contient {_count(self.students_in_file, 'élève', 'élèves')}, "
            f"dont {_count(counts[SkipReason.LEFT], 'sorti', 'sortis')}, {number(counts[SkipReason.INE_PENDING])} "
            f"sans INE et {number(counts[SkipReason.NO_DIVISION])} sans classe."
        )


# libxml2's English, in the admin's words (the message is never shown as is).
_SYNTAX_REASONS = (
    (("Premature end of data", "EndTag: '</' not found", "Couldn't find end of", "not well balanced",
      "expected '>'", "Unescaped '<'", "Document is empty"),
     "il s'arrête au milieu d'une balise ou d'un élève : il est sans doute incomplet"),
    (("Opening and ending tag mismatch",), "une balise fermée ne correspond pas à celle qui était ouverte"),
    (("Extra content at the end",), "du contenu suit la fin des données"),
    (("Entity '", "EntityRef"), "il contient un code « &…; » inconnu de SIECLE"),
)


def _syntax_error(exc: etree.XMLSyntaxError, declared_encoding: str | None) -> SiecleFileError:
    line = f" à la ligne {exc.lineno}" if exc.lineno else ""
    message = exc.msg or ""
    if any(sign in message for sign in _WRONG_BYTES):
        declared = (declared_encoding or "UTF-8").upper()
        return SiecleFileError(
            Code.ENCODING_MISMATCH,
            f"Le fichier n'est pas écrit dans l'encodage qu'il annonce ({declared}){line} : il a sans doute été "
            f"ouvert puis réenregistré par un tableur ou un éditeur.",
            advice=ADVICE_UNTOUCHED,
        )
    reason = next((said for signs, said in _SYNTAX_REASONS if any(sign in message for sign in signs)), None)
    detail = f"Le fichier est abîmé{line}" + (f" : {reason}." if reason else " : ce n'est plus un XML valide.")
    return invalid_file(detail, advice=ADVICE_DAMAGED)


def parse_siecle(stream: BinaryIO, *, expected_uai: str, max_lengths: dict[str, int] | None = None,
                 ) -> SiecleParseResult:
    """Parse a SIECLE ElevesSansAdresses XML export read from the binary `stream`.

    Raises SiecleFileError for file-level problems (INVALID_FILE, DTD_FORBIDDEN,
    ENCODING_MISMATCH, UAI_MISMATCHED, or those of a zip member being read); problems
    with students are all returned in `result.errors` (import only when `result.ok`).
    `max_lengths` maps LearnerRecord fields to the longest value the caller can store
    (a longer one is a VALUE_TOO_LONG error of its student).
    """
    prolog = read_prolog(stream)
    if prolog.root_tag not in (None, ROOT):  # refuse before building a tree of another kind of file
        raise _not_siecle(prolog.root_tag)
    reader = _SiecleReader(expected_uai, prolog.declared_encoding, prolog.garbling_possible, max_lengths or {})
    context = etree.iterparse(
        ReplayReader(prolog.head, stream), events=("end",), tag=_TAGS,
        # Never fetch or expand anything: SIECLE files have no DTD (one is refused anyway).
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    handlers = {"ELEVE": reader.read_student, "STRUCTURES_ELEVE": reader.read_structures,
                "PARAMETRES": reader.read_parameters}
    first = True
    try:
        for _event, elem in context:
            if first:
                _check_document(elem.getroottree())
                first = False
            handler = handlers.get(elem.tag)
            if handler is not None:
                handler(elem)
            # Free what was read: the element's content, then its earlier siblings.
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, prolog.declared_encoding) from exc
    except (LookupError, ValueError) as exc:  # e.g. an unknown declared encoding
        declared = f" (« {printable(prolog.declared_encoding)} »)" if prolog.declared_encoding else ""
        raise invalid_file(f"Le fichier ne peut pas être lu : il annonce un encodage inconnu de SIECLE{declared}.",
                           advice=ADVICE_UNTOUCHED) from exc
    root = context.root
    if root is None:
        raise invalid_file(f"{NOT_SIECLE} : il ne contient pas de données XML.")
    if first:
        _check_document(root.getroottree())
    return reader.result()


def _check_document(tree: etree._ElementTree) -> None:
    # Second line of defence behind prolog.read_prolog (which only sees ASCII-compatible heads).
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SiecleFileError(
            Code.DTD_FORBIDDEN,
            "Le fichier contient une déclaration DOCTYPE, ce que les exports SIECLE ne contiennent jamais : il a été "
            "modifié ou ne vient pas de SIECLE, et il est refusé par sécurité.", advice=ADVICE_NOT_SIECLE)
    tag = tree.getroot().tag
    if tag != ROOT:
        raise _not_siecle(tag)


def _not_siecle(tag: object) -> SiecleFileError:
    return invalid_file(f"{NOT_SIECLE} ElevesSansAdresses : c'est un autre fichier XML (son élément principal est "
                        f"« {printable(str(tag))[:40]} » au lieu de « {ROOT} »).")


def parse_siecle_upload(
    upload: BinaryIO,
    *,
    expected_uai: str,
    max_lengths: dict[str, int] | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_xml_bytes: int = DEFAULT_MAX_XML_BYTES,
) -> SiecleParseResult:
    """open_upload() then parse_siecle(): what the import service calls with the uploaded file."""
    with open_upload(upload, max_upload_bytes=max_upload_bytes, max_xml_bytes=max_xml_bytes) as xml:
        return parse_siecle(xml, expected_uai=expected_uai, max_lengths=max_lengths)
