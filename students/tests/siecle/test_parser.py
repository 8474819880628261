"""The SIECLE parser on the shared sample files and on small hand-built documents."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from students.siecle import (
    LearnerRecord,
    SiecleErrorCode,
    SiecleFileError,
    SkipReason,
    open_upload,
    parse_siecle,
    parse_siecle_upload,
)
from students.siecle import parser as parser_module
from students.siecle.prolog import Prolog
from students.siecle.samples import SampleStudent, build_siecle_xml

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / ".." / "shared" / "siecle"
MANIFEST = {entry["file"]: entry for entry in json.loads((SAMPLES / "manifest.json").read_text())}
UAI = "0751234A"
Code = SiecleErrorCode


def parse_sample(name: str, uai: str = UAI):
    with open(SAMPLES / name, "rb") as upload:
        return parse_siecle_upload(upload, expected_uai=uai)


def parse_bytes(data: bytes, uai: str = UAI):
    return parse_siecle(io.BytesIO(data), expected_uai=uai)


def refused(data: bytes, uai: str = UAI) -> SiecleFileError:
    with pytest.raises(SiecleFileError) as caught:
        parse_bytes(data, uai)
    return caught.value


def codes(result) -> list[str]:
    return [issue.code for issue in result.errors]


def expected_learners_by_reference_reading(path: Path) -> dict[str, tuple]:
    """The importable students read with the stdlib parser, to check every mapped field."""
    root = ET.parse(path).getroot()
    divisions = {}
    for se in root.iter("STRUCTURES_ELEVE"):
        for st in se.iter("STRUCTURE"):
            if st.findtext("TYPE_STRUCTURE") == "D" and st.findtext("CODE_STRUCTURE") != "Inactifs":
                divisions[se.get("ELEVE_ID")] = st.findtext("CODE_STRUCTURE")
    learners = {}
    for e in root.iter("ELEVE"):
        if e.findtext("DATE_SORTIE") or e.find("ID_NATIONAL") is None or e.get("ELEVE_ID") not in divisions:
            continue
        day, month, year = map(int, e.findtext("DATE_NAISS").split("/"))
        learners[e.findtext("ID_NATIONAL")] = (
            e.findtext("ID_NATIONAL"), e.findtext("NOM_DE_FAMILLE"), e.findtext("NOM_USAGE") or None,
            e.findtext("PRENOM"), e.findtext("PRENOM2") or None, e.findtext("PRENOM3") or None,
            {"1": "M", "2": "F"}[e.findtext("CODE_SEXE")], dt.date(year, month, day), e.findtext("CODE_PAYS"),
            e.findtext("CODE_DEPARTEMENT_NAISS"), e.findtext("CODE_COMMUNE_INSEE_NAISS"), e.findtext("VILLE_NAISS"),
            e.findtext("CODE_MEF"), e.findtext("CODE_STATUT"), divisions[e.get("ELEVE_ID")], e.get("ELEVE_ID"),
        )
    return learners


def as_tuple(learner: LearnerRecord) -> tuple:
    return tuple(getattr(learner, name) for name in LearnerRecord.__dataclass_fields__)


# -- valid sample files ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["small-30.xml", "small-30.zip", "lycee-2500.xml", "lycee-2500.zip"])
def test_valid_exports_give_the_importable_students_and_count_the_skipped_ones(name):
    counts = MANIFEST[name]["counts"]
    result = parse_sample(name)

    assert result.ok and result.errors == []
    assert result.uai == UAI and result.school_year == 2024
    assert result.students_in_file == counts["total"]
    assert len(result.learners) == counts["importable"]
    assert len(result.divisions) == counts["divisions"]
    assert len(result.skipped[SkipReason.LEFT]) == counts["left"]
    assert len(result.skipped[SkipReason.NO_DIVISION]) == counts["active_without_division"]
    # A student who left without ever getting an INE is counted once, as left.
    left_without_ine = sum(1 for ref in result.skipped[SkipReason.LEFT] if ref.ine is None)
    assert len(result.skipped[SkipReason.INE_PENDING]) + left_without_ine == counts["without_ine"]


def test_small_college_has_its_four_divisions():
    assert parse_sample("small-30.xml").divisions == ["3EME1", "4EME1", "5EME1", "6EME1"]


@pytest.mark.parametrize("name", ["small-30.xml", "lycee-2500.xml"])
def test_every_field_of_every_learner_is_read_as_siecle_wrote_it(name):
    expected = expected_learners_by_reference_reading(SAMPLES / name)
    result = parse_sample(name)

    assert {learner.ine: as_tuple(learner) for learner in result.learners} == expected


def test_repeated_strings_are_shared_and_records_are_slotted():
    learners = parse_sample("lycee-2500.xml").learners
    by_division: dict[str, str] = {}
    for learner in learners:
        assert by_division.setdefault(learner.division, learner.division) is learner.division
    assert len({id(learner.mef_code) for learner in learners}) == len({learner.mef_code for learner in learners})
    with pytest.raises(AttributeError):
        learners[0].__dict__  # slotted: no per-record dict


def test_iso_8859_15_characters_survive():
    data = build_siecle_xml([
        SampleStudent("1", ine="1111111111A", family_name="CŒUR", first_name="Zoé", usage_name="BŒUF-ŸVES"),
        SampleStudent("2", ine="2222222222B", family_name="SŒUR", first_name="Chloë", second_first_name="Œnone",
                      city="CÔTE-D'€", country_code="216", department_code=None, city_code=None),
    ])
    learners = parse_bytes(data).learners

    assert [(learner.family_name, learner.usage_name, learner.first_name) for learner in learners] == [
        ("CŒUR", "BŒUF-ŸVES", "Zoé"), ("SŒUR", None, "Chloë")]
    assert learners[1].second_first_name == "Œnone" and learners[1].birth_city == "CÔTE-D'€"


def test_small_sample_keeps_its_oe_ligature():
    assert any("Œ" in learner.family_name for learner in parse_sample("small-30.xml").learners)


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b""])
def test_utf8_with_or_without_bom_is_accepted(prefix):
    data = prefix + build_siecle_xml([SampleStudent("1", family_name="NGUYỄN", first_name="Ève")], encoding="UTF-8")
    learner = parse_bytes(data).learners[0]

    assert (learner.family_name, learner.first_name) == ("NGUYỄN", "Ève")


def test_values_are_stripped_and_ine_upper_cased():
    data = build_siecle_xml([SampleStudent("7", ine=" 123456789ab ", family_name="  DUPONT ", first_name=" Léo")])
    learner = parse_bytes(data).learners[0]

    assert (learner.ine, learner.family_name, learner.first_name) == ("123456789AB", "DUPONT", "Léo")


def test_uai_is_compared_case_insensitively_after_strip():
    assert parse_bytes(build_siecle_xml([SampleStudent("1")], uai=" 0751234a "), uai="0751234A ").ok


# -- skipped students ------------------------------------------------------------------------


def test_skipped_students_are_counted_by_reason_and_never_raise_errors():
    students = [
        SampleStudent("1", ine="1111111111A"),
        # Left, with everything else wrong: still only skipped, as Pix does.
        SampleStudent("2", ine="", family_name="PARTI", birthdate="31/02/2011", sex_code=None, left_on="03/10/2024",
                      structures=(("Inactifs", "D"),)),
        SampleStudent("3", ine=None, family_name="NOUVEAU", birthdate=None, city_code=None),
        SampleStudent("4", ine="4444444444D", family_name="GROUPES", structures=(("6EPS G1", "G"),), sex_code="9"),
        SampleStudent("5", ine="5555555555E", family_name="INACTIF", structures=(("Inactifs", "D"), ("CHORALE", "G"))),
        SampleStudent("6", ine="6666666666F", family_name="SANSSTRUCTURE", structures=()),
        SampleStudent("8", ine="1111111111A", family_name="HOMONYME", left_on="01/10/2024"),  # same INE, but left
    ]
    result = parse_bytes(build_siecle_xml(students))

    assert result.ok
    assert [learner.eleve_id for learner in result.learners] == ["1"]
    assert {reason: [ref.family_name for ref in refs] for reason, refs in result.skipped.items()} == {
        SkipReason.LEFT: ["PARTI", "HOMONYME"],
        SkipReason.INE_PENDING: ["NOUVEAU"],
        SkipReason.NO_DIVISION: ["GROUPES", "INACTIF", "SANSSTRUCTURE"],
    }
    assert result.counts["skipped_no_division"] == 3


def test_an_empty_date_sortie_element_does_not_mean_the_student_left():
    result = parse_bytes(build_siecle_xml([SampleStudent("1", left_on="")]))
    assert len(result.learners) == 1


def test_the_division_is_the_d_structure_among_groups():
    student = SampleStudent("1", structures=(("6EPS G1", "G"), ("6EME3", "D"), ("CHORALE", "G")))
    assert parse_bytes(build_siecle_xml([student])).learners[0].division == "6EME3"


# -- row errors ------------------------------------------------------------------------------


def test_all_row_errors_are_collected_in_one_pass_each_naming_the_student():
    students = [
        SampleStudent("10", ine="", family_name="SANSINE", first_name="Ana"),
        SampleStudent("11", ine="1000000001A", family_name="SANSDATE", birthdate=None),
        SampleStudent("12", ine="1000000002A", family_name="MAUVAISEDATE", birthdate="31/02/2012"),
        SampleStudent("13", ine="1000000003A", family_name="FORMATDATE", birthdate="2012-03-14"),
        SampleStudent("14", ine="1000000004A", family_name="SANSSEXE", sex_code=""),
        SampleStudent("15", ine="1000000005A", family_name="SANSCOMMUNE", city_code=None),
        SampleStudent("16", ine="1000000006A", family_name="DOUBLON", first_name="Un"),
        SampleStudent("17", ine="1000000006A", family_name="DOUBLON", first_name="Deux"),
        SampleStudent("18", ine="1000000006a", family_name="DOUBLON", first_name="Trois"),
        SampleStudent("19", ine="1000000007A", family_name="ÉTRANGER", country_code="139", department_code=None,
                      city_code=None, city=None),
        SampleStudent("20", ine="1000000008A", family_name="", first_name=None),
        SampleStudent("21", ine="1000000009A", family_name="CORRECT"),
    ]
    result = parse_bytes(build_siecle_xml(students))

    # Grouped by kind (each kind's advice is given once), in the file's order within a kind.
    assert codes(result) == [
        Code.INE_REQUIRED, Code.INE_UNIQUE, Code.LAST_NAME_REQUIRED, Code.FIRST_NAME_REQUIRED,
        Code.BIRTHDATE_REQUIRED, Code.INVALID_BIRTHDATE, Code.INVALID_BIRTHDATE, Code.SEX_CODE_REQUIRED,
        Code.BIRTH_CITY_CODE_REQUIRED, Code.BIRTH_CITY_REQUIRED,
    ]
    by_code = {issue.code: issue for issue in result.errors}
    assert by_code[Code.INE_REQUIRED].students[0].label == "SANSINE Ana (identifiant SIECLE 10)"
    assert ["31/02/2012" in issue.detail for issue in result.errors if issue.code == Code.INVALID_BIRTHDATE] == [
        True, False]
    birthdate_issue = by_code[Code.BIRTHDATE_REQUIRED]
    assert birthdate_issue.detail.startswith("SANSDATE Léa (INE 1000000001A) : ")
    assert birthdate_issue.detail.endswith("La date de naissance est absente.")
    assert birthdate_issue.advice == ("Renseignez la date de naissance de l'élève dans SIECLE, puis exportez à "
                                      "nouveau le fichier et importez-le.")
    duplicate = by_code[Code.INE_UNIQUE]
    assert [ref.first_name for ref in duplicate.students] == ["Un", "Deux", "Trois"]
    assert "DOUBLON Un" in duplicate.detail and "DOUBLON Trois" in duplicate.detail
    # Nobody with a problem is offered for import.
    assert [learner.family_name for learner in result.learners] == ["CORRECT"]
    assert not result.ok


@pytest.mark.parametrize("raw", ["30/02/2012", "1/2/2012", "14/13/2012", "14/03/12", "aa/bb/cccc", "14-03-2012"])
def test_birthdates_must_be_real_dd_mm_yyyy_dates(raw):
    assert codes(parse_bytes(build_siecle_xml([SampleStudent("1", birthdate=raw)]))) == [Code.INVALID_BIRTHDATE]


def test_leap_day_is_a_real_date():
    learner = parse_bytes(build_siecle_xml([SampleStudent("1", birthdate="29/02/2012")])).learners[0]
    assert learner.birthdate == dt.date(2012, 2, 29)


def test_nobody_importable_is_empty():
    result = parse_bytes(build_siecle_xml([SampleStudent("1", left_on="01/10/2024"), SampleStudent("2", ine=None)]))

    assert codes(result) == [Code.EMPTY]
    assert "le fichier contient 2 élèves, dont 1 sorti, 1 sans INE et 0 sans classe." in result.errors[0].detail
    assert "année scolaire en cours" in result.errors[0].advice


# -- sample defect files ---------------------------------------------------------------------


def test_duplicate_ine_sample_names_both_students():
    result = parse_sample("defect-duplicate-ine.xml")

    assert codes(result) == [Code.INE_UNIQUE]
    assert len(result.errors[0].students) == 2
    assert len(result.learners) == MANIFEST["defect-duplicate-ine.xml"]["counts"]["importable"] - 2


def test_missing_ine_sample_names_the_student_by_siecle_id():
    result = parse_sample("defect-missing-ine.xml")

    assert codes(result) == [Code.INE_REQUIRED]
    (student,) = result.errors[0].students
    assert student.ine is None and student.eleve_id and student.family_name in result.errors[0].detail


def test_bad_date_sample():
    result = parse_sample("defect-bad-date.xml")
    assert codes(result) == [Code.INVALID_BIRTHDATE] and "31/02/" in result.errors[0].detail


def test_empty_sample():
    assert codes(parse_sample("defect-empty.xml")) == [Code.EMPTY]


def test_wrong_uai_sample_gives_both_uais():
    with pytest.raises(SiecleFileError) as caught:
        parse_sample("defect-wrong-uai.xml")
    assert caught.value.code == Code.UAI_MISMATCHED
    assert MANIFEST["defect-wrong-uai.xml"]["uai_in_file"] in caught.value.detail and UAI in caught.value.detail


def test_missing_uaj_is_a_mismatch():
    error = refused(build_siecle_xml([SampleStudent("1")], uai=None))
    assert error.code == Code.UAI_MISMATCHED and UAI in error.detail


def test_truncated_sample_says_where_it_breaks():
    with pytest.raises(SiecleFileError) as caught:
        parse_sample("defect-truncated.xml")
    assert caught.value.code == Code.INVALID_FILE
    assert re.search(r"ligne \d+", caught.value.detail)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xef\xbb\xbf"])
def test_empty_file_is_invalid(data):
    assert refused(data).code == Code.INVALID_FILE


def test_a_csv_named_xml_is_invalid():
    with pytest.raises(SiecleFileError) as caught:
        parse_sample("defect-not-xml.xml")
    assert caught.value.code == Code.INVALID_FILE and "Nom;Prénom" in caught.value.detail


def test_another_kind_of_xml_is_invalid():
    assert refused(b'<?xml version="1.0"?><factures><facture/></factures>').code == Code.INVALID_FILE


def test_an_undeclared_entity_is_invalid_not_resolved():
    data = build_siecle_xml([SampleStudent("1", family_name="X")]).replace(b">X<", b">&xxe;<")
    assert refused(data).code == Code.INVALID_FILE


@pytest.mark.parametrize("name", ["defect-xxe.xml", "defect-billion-laughs.xml"])
def test_doctype_files_are_refused_fast_without_expanding_entities(name):
    started = time.perf_counter()
    with pytest.raises(SiecleFileError) as caught:
        parse_sample(name)

    assert caught.value.code == Code.DTD_FORBIDDEN
    assert time.perf_counter() - started < 1
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else socket.gethostname()
    assert hostname not in caught.value.detail and "lol" not in caught.value.detail


def test_doctype_after_a_comment_is_still_refused():
    data = build_siecle_xml([SampleStudent("1")]).replace(
        b"<BEE_ELEVES", b"<!-- export -->\n<!DOCTYPE BEE_ELEVES [<!ENTITY a 'b'>]>\n<BEE_ELEVES", 1)
    assert refused(data).code == Code.DTD_FORBIDDEN


def test_lxml_never_expands_entities_even_if_the_prolog_check_were_bypassed(monkeypatch):
    # Second line of defence: the document's DOCTYPE is seen on the first parse event.
    monkeypatch.setattr(parser_module, "read_prolog", lambda stream: Prolog(stream.read(), None, None, None))
    started = time.perf_counter()
    with pytest.raises(SiecleFileError) as caught, open(SAMPLES / "defect-billion-laughs.xml", "rb") as upload:
        parse_siecle(upload, expected_uai=UAI)
    assert caught.value.code == Code.DTD_FORBIDDEN and time.perf_counter() - started < 1


# -- wrong encoding --------------------------------------------------------------------------


def test_utf8_saved_under_an_iso_declaration_is_refused_naming_students():
    with pytest.raises(SiecleFileError) as caught:
        parse_sample("defect-utf8-mislabelled.xml")

    error = caught.value
    assert error.code == Code.ENCODING_MISMATCH
    # Two plain sentences: what happened (with how many), what to do; five students as examples of 33.
    assert error.detail.endswith(": 33 élèves auraient leur nom mal écrit.")
    assert error.advice.startswith("Exportez à nouveau le fichier depuis SIECLE")
    assert len(error.students) == len(error.notes) == 5 and error.students_total == 33
    # The garbled text without its invisible characters (they showed as empty boxes).
    assert "«\u00a0CHAMBÉRY\u00a0» deviendrait «\u00a0CHAMBÃRY\u00a0»" in error.notes  # never cut from their guillemets
    assert all("Ã" not in student.label for student in error.students)  # named as SIECLE spells them


def test_a_single_garbled_name_is_enough_to_refuse():
    data = build_siecle_xml([SampleStudent("1", family_name="DURAND"), SampleStudent("2", family_name="PETIT")])
    data = data.replace(b"<PRENOM>L\xe9a</PRENOM>", "<PRENOM>Aïcha</PRENOM>".encode("utf-8"), 1)
    error = refused(data)

    assert error.code == Code.ENCODING_MISMATCH
    assert error.notes == ("«\u00a0Aïcha\u00a0» deviendrait «\u00a0AÃ¯cha\u00a0»",) and error.students[0].family_name == "DURAND"
    assert error.detail.endswith(": 1 élève aurait son nom mal écrit.")


@pytest.mark.parametrize("declared", ["UTF-8", None])
def test_iso_bytes_under_a_utf8_declaration_or_none_are_an_encoding_mismatch(declared):
    data = build_siecle_xml([SampleStudent("1", family_name="CŒUR")], declared_encoding="UTF-8")
    if declared is None:
        data = data.split(b"?>", 1)[1]
    error = refused(data)
    assert error.code == Code.ENCODING_MISMATCH and "ligne" in error.detail


@pytest.mark.parametrize("name", ["ÉŠA", "MÃRIO", "ÂGE", "Æ", "GRÅ", "Ÿ"])
def test_genuine_iso_names_are_not_taken_for_garbled_ones(name):
    assert parse_bytes(build_siecle_xml([SampleStudent("1", family_name=name)])).learners[0].family_name == name


def test_upload_stream_helpers_work_together():
    with open(SAMPLES / "small-30.zip", "rb") as upload, open_upload(upload) as xml:
        assert len(parse_siecle(xml, expected_uai=UAI).learners) == 27
