"""French typography done once: counts through pixorga/french.py, no « élève(s) » nor « connecté(e) » in any
template, no « or » that a line break could leave alone."""

import re
from pathlib import Path

import pytest

from pixorga import french
from pixorga.templatetags.french import accord, nombre, pluriel

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# (s), (e), (es), (x) after a word: « élève(s) », « connecté(e) », « sorti(s) ».
INCLUSIVE_PARENTHESES = re.compile(r"\w\((s|e|es|x|ne)\)", re.IGNORECASE)
LONELY_GUILLEMET = re.compile(r"« | »")
COMMENT = re.compile(r"^\s*(\{#|//|\{% comment)")


def template_lines():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not COMMENT.match(line):
                    yield f"{path.relative_to(TEMPLATES)}:{number}", line


def test_counts_agree_in_french_with_thousands_separated():
    assert [french.plural(n, "élève") for n in (0, 1, 2, 2500)] == ["0 élève", "1 élève", "2 élèves",
                                                                    "2\u202f500 élèves"]
    assert french.plural(1, "ignoré : parti", "ignorés : partis") == "1 ignoré : parti"
    assert (nombre(2331), pluriel(2331, "ajouté,ajoutés"), accord(1, "correspond,correspondent")) == (
        "2\u202f331", "2\u202f331 ajoutés", "correspond")
    assert french.quoted("Parcours") == "«\u00a0Parcours\u00a0»"


def test_no_template_writes_a_plural_or_a_feminine_in_parentheses():
    found = [where for where, line in template_lines() if INCLUSIVE_PARENTHESES.search(line)]
    assert found == [], "write the sentence for everyone (« Vous utilisez le compte… ») or agree with the count"


def test_no_template_leaves_a_guillemet_free_to_start_or_end_a_line():
    found = [where for where, line in template_lines() if LONELY_GUILLEMET.search(line)]
    assert found == [], "« and » hold their text with &nbsp;"


@pytest.mark.django_db
def test_the_import_report_agrees_each_category_with_its_count(client, school, alice_admin):
    from students.models import ImportJob

    job = ImportJob.objects.create(
        organization=school, uploaded_by=alice_admin, file_name="ElevesSansAdresses.zip",
        status=ImportJob.Status.DONE,
        report={"counts": {"students_in_file": 2500, "added": 2331, "skipped_left": 1, "divisions": 78}})
    client.force_login(alice_admin)
    page = client.get(f"/organisations/{school.pk}/eleves/imports/{job.pk}").content.decode()
    assert "2\u202f500 élèves dans le fichier, 78 classes." in page
    assert "ignoré : parti" in page and "ignorés : partis" not in page  # « 1 ignoré », never « 1 ignorés »
    assert "ajoutés" in page and "2\u202f331" in page
