"""What an import says of a file it cannot take: clean French text, the advice that fits, every error found by the
check (on SQLite and on PostgreSQL, same assertions; PostgreSQL is where NULs and lengths used to break)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from students.models import ImportJob, Learner
from students.services import import_job_can_requeue
from students.tests.import_helpers import student

Status = ImportJob.Status

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
      b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
UTF16_CSV = "Nom;Prénom;Classe\nDUPONT;Léa;6EME1\n".encode("utf-16-le")  # no byte-order mark


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("photo.xml", GIF, "c'est une image"),
    ("eleves.xls", OLD_XLS, "c'est un fichier Excel ou Word d'ancien format"),
    ("eleves.csv", UTF16_CSV, "c'est un texte enregistré en UTF-16"),
])
def test_a_binary_upload_fails_saying_it_is_not_a_siecle_export(run_import, school, name, data, kind):
    job = run_import(SimpleUploadedFile(name, data))

    assert job.status == Status.FAILED
    [error] = job.errors
    assert error["code"] == "INVALID_FILE"
    assert error["detail"].startswith("Ce fichier n'est pas un export SIECLE : ") and kind in error["detail"]
    assert "Élèves sans adresses" in error["advice"]
    stored = json.dumps(job.errors, ensure_ascii=False)
    assert "\\u0000" not in stored and not any(ord(ch) < 32 for ch in stored)
    assert not import_job_can_requeue(job)  # the file's fault: no « Relancer » that fails forever


def test_a_name_longer_than_the_database_allows_fails_the_check_naming_the_student(run_import, school):
    too_long = "A" * 151
    students = [student(1), student(2, family_name=too_long), student(3, structures=(("6EME" + "X" * 60, "D"),))]

    check = run_import(students=students, mode="check")

    assert check.status == Status.FAILED
    assert [error["code"] for error in check.errors] == ["VALUE_TOO_LONG", "VALUE_TOO_LONG"]
    name_error, division_error = check.errors
    assert name_error["students"] == [f"{too_long} Prénom2 (INE 0000000002A)"]
    assert "Le nom de famille « AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA… » compte 151 caractères ; Pix Orga en accepte 150 " \
           "au plus." in name_error["detail"]
    assert "La classe" in division_error["detail"] and "compte 64 caractères" in division_error["detail"]
    assert name_error["advice"].startswith("Raccourcissez cette valeur dans SIECLE")


def test_an_import_meets_the_same_length_errors_as_its_check_and_writes_nothing(run_import, school):
    job = run_import(students=[student(1), student(2, first_name="É" * 200)])

    assert job.status == Status.FAILED
    assert [error["code"] for error in job.errors] == ["VALUE_TOO_LONG"]
    assert "Le prénom" in job.errors[0]["detail"]
    assert not Learner.objects.exists()


def test_a_truncated_file_says_where_in_french_with_the_advice_for_a_damaged_file(run_import, school):
    job = run_import("defect-truncated.xml")

    [error] = job.errors
    assert error["code"] == "INVALID_FILE"
    assert error["detail"] == ("Le fichier est abîmé à la ligne 1132 : il s'arrête au milieu d'une balise ou d'un "
                               "élève : il est sans doute incomplet.")
    assert "coupé pendant le téléchargement" in error["advice"]
    assert "Couldn't" not in json.dumps(job.errors)


@pytest.mark.parametrize(("sample", "advice"), [
    ("defect-wrong-uai.xml", "Connectez-vous à SIECLE sur votre établissement"),
    ("defect-xxe.xml", "Dans SIECLE, ouvrez Exploitation"),
    ("defect-utf8-mislabelled.xml", "sans l'ouvrir ni l'enregistrer avec un tableur"),
    ("defect-duplicate-ine.xml", "un INE identifie un seul élève"),
    ("defect-bad-date.xml", "Corrigez la date de naissance de l'élève dans SIECLE"),
])
def test_each_kind_of_error_gets_the_advice_that_fits(run_import, school, sample, advice):
    job = run_import(sample)

    assert job.status == Status.FAILED
    assert advice in job.errors[0]["advice"]
    assert "Corrigez dans SIECLE" not in json.dumps(job.errors, ensure_ascii=False)
