"""Small banks written in a temporary folder, for the loader's and the services' tests."""

import shutil
import textwrap
from pathlib import Path

from content.loader import BANK_PATH

VALID_41 = textwrap.dedent("""\
    # Banque de test
    competence: "4.1"
    tubes:
      - name: mdp
        title: Choisir un mot de passe
        description: Un mot de passe long et unique.
        skills:
          - name: "@mdp1"
            level: 1
            hint: Plus il est long, mieux c'est.
            tutorials:
              - title: La phrase de passe
                text: Quatre mots au hasard font un **bon** mot de passe.
            challenges:
              - id: mdp1-a
                type: QCU
                instruction: Quel mot de passe est le plus solide ?
                proposals:
                  - azerty
                  - "Cheval-Pile-Agrafe-Correct"
                  - 123456
                solution: 2
                solution_to_display: La phrase de passe est longue et imprévisible.
                timer: 30
              - id: mdp1-b
                type: QCM
                instruction: Lesquels sont de bonnes pratiques ?
                proposals: [Un mot de passe par site, Le noter sur un post-it, Un gestionnaire de mots de passe]
                solution: [3, 1]
                solution_to_display: Un par site, gardés dans un gestionnaire.
          - name: "@mdp2"
            level: 2
            hint: Comptez les caractères.
            challenges:
              - id: mdp2-a
                type: QROC
                instruction: Combien de caractères compte « abc12 » ?
                solution: ["5", cinq]
                solution_to_display: a, b, c, 1, 2 font 5 caractères.
                tolerances: [t1, t2]
              - id: mdp2-b
                type: QROCM-ind
                instruction: Complétez.
                proposals: "Un mot de passe de ${nombre#nombre} caractères au moins, avec des ${sorte}."
                solution: {nombre: ["12", douze], sorte: [symboles, caractères spéciaux]}
                solution_to_display: 12 caractères, avec des symboles.
              - id: mdp2-c
                type: QROCM-dep
                instruction: Citez deux facteurs d'authentification.
                proposals: "${f1} et ${f2}"
                solution: |
                  g1:
                  - mot de passe
                  g2:
                  - code par SMS
                  g3: [empreinte]
                solution_to_display: Ce que l'on sait, ce que l'on a, ce que l'on est.
                focused: true
          - name: "@mdp3"
            level: 3
            hint: Pensez au gestionnaire.
            challenges:
              - id: mdp3-a
                type: QROC
                format: nombre
                instruction: Combien font 3,5 + 1 ?
                solution: ["4,5"]
                solution_to_display: 4,5.
      - name: virus
        title: Reconnaître un logiciel malveillant
        skills:
          - name: "@virus1"
            level: 1
            hint: Une pièce jointe inattendue est suspecte.
            challenges:
              - id: virus1-a
                type: QCU
                instruction: Un courriel inconnu contient « facture.exe ». Que faites-vous ?
                proposals: [Je l'ouvre, Je le supprime sans l'ouvrir]
                solution: 2
                solution_to_display: Un .exe inattendu est presque toujours un logiciel malveillant.
""")

VALID_42 = textwrap.dedent("""\
    competence: "4.2"
    tubes:
      - name: traces
        title: Les traces en ligne
        skills:
          - name: "@traces1"
            level: 1
            hint: Tout ce qui est publié peut rester.
            challenges:
              - id: traces1-a
                type: QCU
                instruction: Une photo publiée puis supprimée a-t-elle pu être copiée ?
                proposals: [Oui, Non]
                solution: 1
                solution_to_display: Oui, quelqu'un a pu l'enregistrer avant.
""")

PROFILES = textwrap.dedent("""\
    - key: tout
      name: Tout
      category: COMPETENCES
      description: Tous les sujets.
      tubes: all
    - key: securite
      name: Sécurité
      category: TARGETED
      tubes:
        - {competence: "4.1", level: 2}
        - {tube: traces}
      stages:
        - {threshold: 0, title: Premiers pas}
        - {threshold: 50, title: À mi-chemin}
      badges:
        - key: cyber
          title: Cyber
          criteria:
            - {scope: campaign, threshold: 60}
            - {scope: tubes, threshold: 70, tubes: [{competence: "4.1", level: 1}]}
""")


def write_bank(root: Path, *, files: dict[str, str] | None = None, profiles: str | None = PROFILES,
               images: tuple[str, ...] = ()) -> Path:
    """A bank in ``root``: the real framework, the given competence files (4.1 and 4.2 by default)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(BANK_PATH / "framework.yaml", root / "framework.yaml")
    (root / "competences").mkdir(exist_ok=True)
    for old in (root / "competences").iterdir():
        old.unlink()
    for name, text in (files if files is not None else {"4.1.yaml": VALID_41, "4.2.yaml": VALID_42}).items():
        (root / "competences" / name).write_text(text, encoding="utf-8")
    if profiles is not None:
        (root / "target_profiles.yaml").write_text(profiles, encoding="utf-8")
    elif (root / "target_profiles.yaml").exists():
        (root / "target_profiles.yaml").unlink()
    (root / "images").mkdir(exist_ok=True)
    for image in images:
        (root / "images" / image).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return root


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``marker``."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if marker in line]
    return found[occurrence - 1]
