"""content_load checks then loads, content_export writes the content as JSON."""

import json

import pytest
from django.core.management import CommandError, call_command

from content.models import Challenge, Release
from content.tests.banks import VALID_41, VALID_42, line_of, write_bank

pytestmark = pytest.mark.django_db


def test_content_load_prints_every_error_and_writes_nothing(tmp_path, capsys):
    bad = VALID_41.replace("type: QCU", "type: QCX", 1).replace("timer: 30", "timer: -1")
    root = write_bank(tmp_path / "bank", files={"4.1.yaml": bad, "4.2.yaml": VALID_42})

    with pytest.raises(CommandError, match="2 erreurs dans la banque : rien n'a été chargé"):
        call_command("content_load", str(root))

    err = capsys.readouterr().err
    assert f"competences/4.1.yaml:{line_of(bad, 'type: QCX')}: épreuve mdp1-a : type « QCX » inconnu" in err
    assert f"competences/4.1.yaml:{line_of(bad, 'timer: -1')}: " in err
    assert Release.objects.count() == 0


def test_content_load_check_validates_only(tmp_path, capsys):
    call_command("content_load", str(write_bank(tmp_path / "bank")), "--check")
    assert "Banque valide : 16 compétences, 3 sujets, 5 acquis actifs, 8 épreuves, 2 parcours." in capsys.readouterr().out
    assert Release.objects.count() == 0


def test_content_load_applies_then_says_nothing_changed(tmp_path, capsys):
    root = write_bank(tmp_path / "bank")
    call_command("content_load", str(root))
    out = capsys.readouterr().out
    assert "Version 1 chargée" in out
    assert "épreuves — ajouts : 8, modifications : 0, archivages : 0" in out

    call_command("content_load", str(root))
    assert "Rien n'a changé depuis la version 1" in capsys.readouterr().out
    assert Release.objects.count() == 1


def test_content_export_writes_the_content_with_its_solutions(tmp_path):
    call_command("content_load", str(write_bank(tmp_path / "bank")))
    Challenge.objects.filter(id="virus1-a").update(status=Challenge.Status.ARCHIVED)
    output = tmp_path / "export.json"

    call_command("content_export", "--output", str(output))

    data = json.loads(output.read_text(encoding="utf-8"))
    assert set(data) == {"release", "areas", "competences", "tubes", "skills", "challenges"}
    assert set(data["release"]) == {"version", "loaded_at", "digest"}
    assert data["release"]["version"] == 1
    assert len(data["areas"]) == 5 and len(data["competences"]) == 16
    skill = next(s for s in data["skills"] if s["name"] == "@mdp1")
    assert {"name", "tube", "level", "status", "pix_value", "hint"} <= set(skill)
    assert (skill["tube"], skill["level"], skill["status"], skill["pix_value"]) == ("mdp", 1, "actif", 4.0)
    challenges = {c["id"]: c for c in data["challenges"]}
    assert {"id", "skill", "type", "instruction", "proposals", "solution", "solution_to_display", "tolerances",
            "timer", "focused", "format", "status"} <= set(challenges["mdp1-a"])
    assert (challenges["mdp1-a"]["solution"], challenges["mdp1-a"]["timer"]) == ("2", 30)
    assert challenges["mdp1-b"]["solution"] == "1,3"
    assert challenges["mdp2-a"]["solution"] == "5\ncinq"
    assert challenges["mdp2-a"]["tolerances"] == ["t1", "t2"]
    assert challenges["mdp2-b"]["solution"] == {"nombre": ["12", "douze"], "sorte": ["symboles",
                                                                                  "caractères spéciaux"]}
    assert challenges["virus1-a"]["status"] == "archivé"


def test_content_export_prints_json_by_default(tmp_path, capsys):
    call_command("content_load", str(write_bank(tmp_path / "bank")))
    capsys.readouterr()
    call_command("content_export")
    assert json.loads(capsys.readouterr().out)["release"]["version"] == 1
