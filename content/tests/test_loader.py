"""The bank reader: a valid bank as plain data, and every kind of error with its file and line, all at once."""

import pytest

from content.loader import BankInvalid, bank_read
from content.tests.banks import PROFILES, VALID_41, VALID_42, line_of, write_bank


def _errors(tmp_path, *, c41=VALID_41, c42=VALID_42, profiles=PROFILES, extra=None, images=()):
    files = {"4.1.yaml": c41, "4.2.yaml": c42, **(extra or {})}
    with pytest.raises(BankInvalid) as raised:
        bank_read(write_bank(tmp_path / "bank", files=files, profiles=profiles, images=images))
    return raised.value.errors


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _one(errors, fragment: str):
    found = [error for error in errors if fragment in error.message]
    assert found, f"no error with « {fragment} » in:\n" + "\n".join(map(str, errors))
    return found[0]


def test_a_valid_bank_reads_as_plain_data(tmp_path):
    bank = bank_read(write_bank(tmp_path / "bank"))

    assert [area.code for area in bank.areas] == ["1", "2", "3", "4", "5"]
    assert len(bank.competences) == 16
    assert {tube.name: tube.competence_code for tube in bank.tubes} == {"mdp": "4.1", "virus": "4.1",
                                                                       "traces": "4.2"}
    assert [skill.name for skill in bank.skills] == ["@mdp1", "@mdp2", "@mdp3", "@virus1", "@traces1"]
    challenges = {challenge.id: challenge for challenge in bank.challenges}
    assert challenges["mdp1-a"].solution == "2"
    assert challenges["mdp1-a"].proposals == ["azerty", "Cheval-Pile-Agrafe-Correct", "123456"]
    assert challenges["mdp1-a"].timer == 30
    assert challenges["mdp1-b"].solution == "1,3"  # sorted
    assert challenges["mdp2-a"].solution == "5\ncinq"
    assert challenges["mdp2-a"].proposals == "${reponse}"
    assert (challenges["mdp2-a"].t1, challenges["mdp2-a"].t2, challenges["mdp2-a"].t3) == (True, True, False)
    assert challenges["mdp2-b"].solution == {"nombre": ["12", "douze"], "sorte": ["symboles", "caractères spéciaux"]}
    assert challenges["mdp2-c"].solution == {"g1": ["mot de passe"], "g2": ["code par SMS"], "g3": ["empreinte"]}
    assert challenges["mdp2-c"].focused is True
    assert challenges["mdp3-a"].format == "nombre"
    skills = {skill.name: skill for skill in bank.skills}
    assert skills["@mdp1"].tutorials == [{"title": "La phrase de passe",
                                          "text": "Quatre mots au hasard font un **bon** mot de passe."}]
    assert len(bank.digest) == 64


def test_the_target_profiles_expand_competences_into_tubes_up_to_their_top_level(tmp_path):
    bank = bank_read(write_bank(tmp_path / "bank"))
    profiles = {profile.key: profile for profile in bank.target_profiles}

    assert profiles["tout"].tubes == [("mdp", 3), ("virus", 1), ("traces", 1)]
    securite = profiles["securite"]
    assert securite.tubes == [("mdp", 2), ("virus", 1), ("traces", 1)]
    assert [(stage.threshold, stage.title) for stage in securite.stages] == [(0, "Premiers pas"), (50, "À mi-chemin")]
    [badge] = securite.badges
    assert [(c.scope, c.threshold, c.tubes) for c in badge.criteria] == [
        ("CAMPAIGN", 60, []), ("TUBES", 70, [("mdp", 1), ("virus", 1)])]


def test_max_level_caps_every_tube(tmp_path):
    profiles = "- {key: rentree, name: Rentrée, category: BACK_TO_SCHOOL, tubes: all, max_level: 2}\n"
    bank = bank_read(write_bank(tmp_path / "bank", profiles=profiles))
    assert bank.target_profiles[0].tubes == [("mdp", 2), ("virus", 1), ("traces", 1)]


def test_pix_value_is_eight_divided_by_the_active_skills_of_the_competence_at_that_level_at_most_four(tmp_path):
    third_tube = "\n".join([
        "  - name: maj", "    title: Mettre à jour", "    skills:",
        '      - {name: "@maj1", level: 1, hint: Mettez à jour., challenges: [{id: maj1-a, type: QCU, '
        "instruction: Q ?, proposals: [a, b], solution: 1, solution_to_display: a.}]}",
        "  - name: pare", "    title: Pare-feu", "    skills:",
        '      - {name: "@pare1", level: 1, status: archivé}', ""])
    bank = bank_read(write_bank(tmp_path / "bank", files={"4.1.yaml": VALID_41 + third_tube, "4.2.yaml": VALID_42}))
    pix = {skill.name: skill.pix_value for skill in bank.skills}

    assert pix["@mdp1"] == pix["@virus1"] == pix["@maj1"] == pytest.approx(8 / 3)  # the archived one does not count
    assert pix["@pare1"] == 0
    assert pix["@mdp2"] == 4  # alone at its level: 8, capped at 4
    assert pix["@traces1"] == 4  # another competence


def test_the_digest_follows_the_files(tmp_path):
    first = bank_read(write_bank(tmp_path / "a")).digest
    assert bank_read(write_bank(tmp_path / "b")).digest == first
    changed = bank_read(write_bank(tmp_path / "c", files={"4.1.yaml": VALID_41 + "# un commentaire\n",
                                                          "4.2.yaml": VALID_42})).digest
    assert changed != first


def test_yaml_surprises_stay_text(tmp_path):
    text = _replace(VALID_41, "solution: [\"5\", cinq]", "solution: [\"05\", yes, on, 1e3]")
    bank = bank_read(write_bank(tmp_path / "bank", files={"4.1.yaml": text, "4.2.yaml": VALID_42}))
    assert {c.id: c for c in bank.challenges}["mdp2-a"].solution == "05\nyes\non\n1e3"


# --- One test per kind of error: the message, the file and the line -------------------------------------------

@pytest.mark.parametrize("old, new, marker, fragment", [
    ("type: QCU", "type: QCX", "type: QCX", "type « QCX » inconnu"),
    ('- name: "@mdp1"', '- name: "mdp1"', '"mdp1"', "nom d'acquis « mdp1 »"),
    ('- name: "@mdp3"', '- name: "@mdp4"', '"@mdp4"', "de niveau 4 d'après son nom"),
    ('- name: "@virus1"', '- name: "@mdpa1"', '"@mdpa1"', "n'est pas du sujet « virus »"),
    ("solution: 2\n            solution_to_display: La phrase", "solution: 4\n            solution_to_display: La phrase",
     "solution: 4", "la solution 4 ne désigne aucune proposition (de 1 à 3)"),
    ("solution: [3, 1]", "solution: [3]", "solution: [3]", "au moins deux bonnes propositions"),
    ("solution: [3, 1]", "solution: [3, 7]", "solution: [3, 7]", "la solution 7 ne désigne aucune proposition"),
    ("sorte: [symboles", "genre: [symboles", "genre: [symboles", "champs sans solution : sorte"),
    ("solution: {nombre: [\"12\", douze], sorte: [symboles, caractères spéciaux]}", "solution: {}",
     "solution: {}", "la solution QROCM est vide"),
    ("solution: |\n              g1:\n              - mot de passe\n              g2:\n              - code par SMS\n"
     "              g3: [empreinte]", 'solution: "g1 g2 g3"', 'solution: "g1 g2 g3"', "solution QROCM illisible"),
    ("              g2:\n              - code par SMS\n              g3: [empreinte]\n", "", "solution: |",
     "au moins autant de groupes de réponses (1) que de champs (2)"),
    ("        hint: Comptez les caractères.\n", "", '"@mdp2"', "un acquis actif a un indice"),
    ("solution_to_display: Un .exe", "status: archivé\n            solution_to_display: Un .exe", '"@virus1"',
     "au moins une épreuve validée"),
    ("tolerances: [t1, t2]", "tolerances: [t1, t4]", "tolerances: [t1, t4]", "tolérance inconnue « t4 »"),
    ("timer: 30", "timer: trente", "timer: trente", "« timer » doit être un nombre entier"),
    ("timer: 30", "timer: 0", "timer: 0", "entre 1 et 3600"),
    ("timer: 30", "illustration: absente.svg\n            illustration_alt: Un écran", "absente.svg",
     "n'est pas dans images/"),
    ("timer: 30", "illustration_alt: Un écran", "illustration_alt", "illustration_alt sans illustration"),
    ("focused: true", "focused: oui", "focused: oui", "vaut true ou false"),
    ("- azerty", "- azerty: le mot", "azerty: le mot", "contient « : »"),
    ("solution_to_display: La phrase", "solutions_to_display: La phrase", "solutions_to_display",
     "champ inconnu « solutions_to_display »"),
    ("solution: [\"4,5\"]", "solution: [\"4,5\", quatre et demi]", "quatre et demi",
     "retirez « quatre et demi » ou le format"),
    ("type: QROC\n            instruction: Combien de caractères",
     "type: QROC\n            proposals: ${a} et ${b}\n            instruction: Combien de caractères",
     "${a} et ${b}", "une QROC a exactement un champ"),
    ("proposals: \"${f1} et ${f2}\"", "proposals: \"${f1} et ${f1}\"", "${f1} et ${f1}", "apparaît deux fois"),
    ("  - name: virus", "  - name: Virus", "name: Virus", "nom de sujet « Virus »"),
    ('"@mdp3"\n        level: 3', '"@mdp9"\n        level: 9', "level: 9", "le niveau va de 1 à 8 (ici 9)"),
    ('- name: "@mdp3"\n        level: 3', '- name: "@mdp4"\n        level: 4', "skills:", "il manque le niveau 3"),
    ("  - id: mdp1-b", "  - id: mdp1-a", ("id: mdp1-a", 2), "l'identifiant « mdp1-a » est déjà pris"),
    ("  - id: mdp1-b", "  - id: mdp 1", "id: mdp 1", "identifiant « mdp 1 »"),
])
def test_each_error_says_what_and_where(tmp_path, old, new, marker, fragment):
    text = _replace(VALID_41, old, new)
    errors = _errors(tmp_path, c41=text)
    error = _one(errors, fragment)
    assert error.file == "competences/4.1.yaml"
    marker, occurrence = marker if isinstance(marker, tuple) else (marker, 1)
    assert error.line == line_of(text, marker, occurrence), str(error)


def test_a_duplicate_key_in_a_mapping_is_reported_with_both_lines(tmp_path):
    text = _replace(VALID_41, "hint: Comptez les caractères.", "hint: Comptez les caractères.\n        level: 2")
    error = _one(_errors(tmp_path, c41=text), "« level » est écrit deux fois")
    assert error.line == line_of(text, "level: 2", 2)
    assert f"(ligne {line_of(text, 'level: 2')})" in error.message


def test_a_yaml_syntax_error_is_located(tmp_path):
    text = _replace(VALID_41, "title: Choisir un mot de passe", "title: [Choisir un mot de passe")
    error = _one(_errors(tmp_path, c41=text), "YAML illisible")
    assert error.file == "competences/4.1.yaml"
    assert error.line >= line_of(text, "[Choisir")


def test_a_missing_alt_text_is_an_error(tmp_path):
    text = _replace(VALID_41, "timer: 30", "illustration: ecran.svg")
    error = _one(_errors(tmp_path, c41=text, images=("ecran.svg",)), "texte de remplacement")
    assert error.line == line_of(text, "ecran.svg")


def test_duplicate_challenge_ids_are_found_across_files(tmp_path):
    c42 = _replace(VALID_42, "id: traces1-a", "id: mdp1-a")
    error = _one(_errors(tmp_path, c42=c42), "l'identifiant « mdp1-a » est déjà pris")
    assert error.file == "competences/4.2.yaml"
    assert error.line == line_of(c42, "id: mdp1-a")
    assert f"competences/4.1.yaml:{line_of(VALID_41, 'id: mdp1-a')}" in error.message


def test_duplicate_tubes_and_skills_are_found_across_files(tmp_path):
    c42 = _replace(_replace(VALID_42, "- name: traces", "- name: virus"), '"@traces1"', '"@virus1"')
    errors = _errors(tmp_path, c42=c42)
    tube = _one(errors, "le sujet « virus » existe déjà")
    assert (tube.file, tube.line) == ("competences/4.2.yaml", line_of(c42, "- name: virus"))
    skill = _one(errors, "l'acquis « @virus1 » existe déjà")
    assert (skill.file, skill.line) == ("competences/4.2.yaml", line_of(c42, '"@virus1"'))


def test_an_unknown_competence_code_is_an_error(tmp_path):
    c45 = _replace(VALID_42, 'competence: "4.2"', 'competence: "4.5"').replace("traces", "cookies")
    error = _one(_errors(tmp_path, extra={"4.5.yaml": c45}), "compétence inconnue « 4.5 »")
    assert (error.file, error.line) == ("competences/4.5.yaml", 1)


def test_a_competence_file_named_after_another_code_is_an_error(tmp_path):
    c42 = _replace(VALID_42, 'competence: "4.2"', 'competence: "4.3"')
    error = _one(_errors(tmp_path, c42=c42), "est dans le fichier 4.2.yaml")
    assert (error.file, error.line) == ("competences/4.2.yaml", 1)


@pytest.mark.parametrize("old, new, marker, fragment", [
    ("{tube: traces}", "{tube: cookies}", "cookies", "sujet inconnu « cookies »"),
    ('{competence: "4.1", level: 2}', '{competence: "4.9", level: 2}', '"4.9", level: 2',
     "compétence inconnue « 4.9 »"),
    ('tubes: [{competence: "4.1", level: 1}]', 'tubes: [{tube: cookies, level: 1}]', "cookies",
     "sujet inconnu « cookies »"),
    ("{threshold: 50, title: À mi-chemin}", "{threshold: 120, title: À mi-chemin}", "threshold: 120",
     "va de 0 à 100 % (ici 120)"),
    ("{threshold: 50, title: À mi-chemin}", "{level: 3, title: À mi-chemin}", "stages:",
     "ne mélangez pas les deux"),
    ("{threshold: 0, title: Premiers pas}", "{threshold: 10, title: Premiers pas}", "stages:", "palier zéro"),
    ("{threshold: 50, title: À mi-chemin}", "{threshold: 0, title: À mi-chemin}", "À mi-chemin",
     "deux paliers ont le même seuil"),
    ("{scope: campaign, threshold: 60}", "{scope: classe, threshold: 60}", "scope: classe",
     "portée de critère inconnue"),
    ("{scope: campaign, threshold: 60}", "{scope: campaign, threshold: 0}", "scope: campaign, threshold: 0",
     "le seuil d'un critère va de 1 à 100"),
    ("category: TARGETED", "category: CIBLE", "category: CIBLE", "catégorie « CIBLE » inconnue"),
    ("tubes: all", "tubes: tous", "tubes: tous", "« tubes » vaut « all »"),
])
def test_each_target_profile_error_says_what_and_where(tmp_path, old, new, marker, fragment):
    profiles = _replace(PROFILES, old, new)
    error = _one(_errors(tmp_path, profiles=profiles), fragment)
    assert error.file == "target_profiles.yaml"
    assert error.line == line_of(profiles, marker), str(error)


def test_a_badge_on_a_tube_outside_the_profile_is_an_error(tmp_path):
    profiles = _replace(PROFILES, "    - {tube: traces}\n", "")
    profiles = _replace(profiles, 'tubes: [{competence: "4.1", level: 1}]', "tubes: [{tube: traces, level: 1}]")
    error = _one(_errors(tmp_path, profiles=profiles), "n'est pas dans le parcours")
    assert error.line == line_of(profiles, "{tube: traces, level: 1}")


def test_every_error_comes_at_once(tmp_path):
    c41 = _replace(_replace(VALID_41, "type: QCU", "type: QCX"), "timer: 30", "timer: -5")
    c42 = _replace(VALID_42, "solution: 1", "solution: 3")
    profiles = _replace(PROFILES, "{tube: traces}", "{tube: cookies}")
    errors = _errors(tmp_path, c41=c41, c42=c42, profiles=profiles)

    assert [(error.file, error.line) for error in errors] == [
        ("competences/4.1.yaml", line_of(c41, "type: QCX")),
        ("competences/4.1.yaml", line_of(c41, "timer: -5")),
        ("competences/4.2.yaml", line_of(c42, "solution: 3")),
        ("target_profiles.yaml", line_of(profiles, "cookies")),
    ]
    assert str(errors[0]).startswith(f"competences/4.1.yaml:{line_of(c41, 'type: QCX')}: ")


def test_a_missing_framework_is_an_error(tmp_path):
    root = write_bank(tmp_path / "bank")
    (root / "framework.yaml").unlink()
    with pytest.raises(BankInvalid) as raised:
        bank_read(root)
    assert raised.value.errors[0].file == "framework.yaml"


def test_the_real_bank_reads_without_error():
    from content.testing import real_bank

    bank = real_bank()
    assert len(bank.competences) == 16
    assert {profile.key for profile in bank.target_profiles} >= {
        "les-16-competences", "parcours-de-rentree-6e", "protection-et-securite"}
