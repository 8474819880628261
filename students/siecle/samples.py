"""Build small SIECLE ElevesSansAdresses documents in tests (same shape as tools/siecle_gen.py).

A field set to None is left out of the file; an empty string gives an empty element
(`<PRENOM2></PRENOM2>`), as SIECLE writes both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr


@dataclass
class SampleStudent:
    eleve_id: str
    ine: str | None = "1234567890A"
    family_name: str | None = "MARTIN"
    usage_name: str | None = None
    first_name: str | None = "Léa"
    second_first_name: str | None = None
    third_first_name: str | None = None
    birthdate: str | None = "14/03/2012"
    sex_code: str | None = "2"
    country_code: str | None = "100"
    department_code: str | None = "075"
    city_code: str | None = "75056"
    city: str | None = None
    mef_code: str | None = "10010012110"
    status: str | None = "ST"
    left_on: str | None = None  # DATE_SORTIE
    # (CODE_STRUCTURE, TYPE_STRUCTURE) pairs; none at all means no STRUCTURES_ELEVE.
    structures: tuple[tuple[str, str], ...] = field(default=(("6EME1", "D"),))


def _element(tag: str, value: str | None, indent: str = "        ") -> str:
    return "" if value is None else f"{indent}<{tag}>{escape(value)}</{tag}>\n"


def _student(s: SampleStudent) -> str:
    parts = [
        f"      <ELEVE ELEVE_ID={quoteattr(s.eleve_id)} ELENOET={quoteattr(s.eleve_id[-4:])}>\n",
        _element("ID_NATIONAL", s.ine),
        _element("ELENOET", s.eleve_id[-4:]),
        _element("NOM_DE_FAMILLE", s.family_name),
        _element("NOM_USAGE", s.usage_name),
        _element("PRENOM", s.first_name),
        _element("PRENOM2", s.second_first_name),
        _element("PRENOM3", s.third_first_name),
        _element("DATE_NAISS", s.birthdate),
        _element("DOUBLEMENT", "0"),
        _element("CODE_PAYS", s.country_code),
        _element("DATE_SORTIE", s.left_on),
        _element("CODE_MOTIF_SORTIE", "10" if s.left_on else None),
        _element("DATE_ENTREE", "02/09/2024"),
        _element("CODE_SEXE", s.sex_code),
        _element("CODE_DEPARTEMENT_NAISS", s.department_code),
        _element("CODE_COMMUNE_INSEE_NAISS", s.city_code),
        _element("VILLE_NAISS", s.city),
        _element("CODE_MEF", s.mef_code),
        _element("CODE_STATUT", s.status),
        "        <SCOLARITE_AN_DERNIER>\n",
        _element("CODE_STRUCTURE", "CM2 A", "          "),
        _element("LL_COMMUNE_INSEE", "PARIS", "          "),
        "        </SCOLARITE_AN_DERNIER>\n",
        "      </ELEVE>\n",
    ]
    return "".join(parts)


def _structures(s: SampleStudent) -> str:
    if not s.structures:
        return ""
    parts = [f"      <STRUCTURES_ELEVE ELEVE_ID={quoteattr(s.eleve_id)}>\n"]
    for code, kind in s.structures:
        parts.append("        <STRUCTURE>\n")
        parts.append(_element("CODE_STRUCTURE", code, "          "))
        parts.append(_element("TYPE_STRUCTURE", kind, "          "))
        parts.append("        </STRUCTURE>\n")
    parts.append("      </STRUCTURES_ELEVE>\n")
    return "".join(parts)


def build_siecle_xml(
    students: list[SampleStudent],
    *,
    uai: str | None = "0751234A",
    school_year: str | None = "2024",
    encoding: str = "ISO-8859-15",
    declared_encoding: str | None = None,
) -> bytes:
    """The bytes of an export holding `students`, encoded in `encoding`.

    `declared_encoding` is what the XML declaration says (default: `encoding`); give
    another value to build a mislabelled file.
    """
    declared = declared_encoding or encoding
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>\n<BEE_ELEVES VERSION="2.1">\n  <PARAMETRES>\n'
        + _element("UAJ", uai, "    ")
        + _element("ANNEE_SCOLAIRE", school_year, "    ")
        + "  </PARAMETRES>\n  <DONNEES>\n    <ELEVES>\n"
        + "".join(_student(s) for s in students)
        + "    </ELEVES>\n    <OPTIONS>\n"
        + "".join(f'      <OPTION ELEVE_ID={quoteattr(s.eleve_id)}><OPTIONS_ELEVE><CODE_MATIERE>030201'
                  "</CODE_MATIERE></OPTIONS_ELEVE></OPTION>\n" for s in students)
        + "    </OPTIONS>\n    <STRUCTURES>\n"
        + "".join(_structures(s) for s in students)
        + "    </STRUCTURES>\n  </DONNEES>\n</BEE_ELEVES>\n"
    )
    return text.encode(encoding)
