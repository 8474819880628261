"""Read and check the content bank's files (pure: no Django).

``bank_read(path)`` reads ``framework.yaml``, ``competences/*.yaml`` and ``target_profiles.yaml``, checks everything,
and gives back a plain ``Bank`` — or raises ``BankInvalid`` with every error at once, each with its file and line, so
an author fixes a file in one pass. ``content.services.content_release_apply`` writes a ``Bank`` to the database.
The format is described in ``content/bank/README.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from content.rules import LEVEL_MAX, LEVEL_MIN, badges_problems, pix_value, proposal_fields, stages_problems
from content.yamlines import YamlSyntaxError, YList, YMap, YStr, yaml_load_with_lines

BANK_PATH = Path(__file__).resolve().parent / "bank"  # the bank shipped with pixorga
FRAMEWORK_FILE = "framework.yaml"
COMPETENCES_DIR = "competences"
TARGET_PROFILES_FILE = "target_profiles.yaml"
IMAGES_DIR = "images"

TUBE_NAME = re.compile(r"^[a-z][A-Za-z]*$")
SKILL_NAME = re.compile(r"^@([a-z][A-Za-z]*)(\d+)$")
CHALLENGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
COMPETENCE_CODE = re.compile(r"^[1-5]\.[1-4]$")
PROFILE_KEY = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")

TYPES = ("QCU", "QCM", "QROC", "QROCM-ind", "QROCM-dep")
FREE_ANSWER_TYPES = {"QROC", "QROCM-ind", "QROCM-dep"}
SKILL_STATUSES = {"actif", "archivé"}
CHALLENGE_STATUSES = {"validé", "archivé"}
TOLERANCES = ("t1", "t2", "t3")
FORMATS = {"nombre"}
TIMER_MAX = 3600
CATEGORIES = ("COMPETENCES", "BACK_TO_SCHOOL", "TARGETED", "SUBJECT", "CUSTOM", "OTHER")
SCOPES = {"campaign": "CAMPAIGN", "tubes": "TUBES"}
DEFAULT_QROC_PROPOSALS = "${reponse}"

TUBE_KEYS = {"name", "title", "description", "skills"}
SKILL_KEYS = {"name", "level", "status", "hint", "tutorials", "challenges"}
CHALLENGE_KEYS = {"id", "type", "instruction", "proposals", "solution", "solution_to_display", "tolerances", "format",
                  "timer", "focused", "illustration", "illustration_alt", "status"}
PROFILE_KEYS = {"key", "name", "category", "description", "tubes", "max_level", "stages", "badges"}
STAGE_KEYS = {"threshold", "level", "title", "message", "prescriber_title", "prescriber_description"}
BADGE_KEYS = {"key", "title", "message", "criteria"}
CRITERION_KEYS = {"scope", "threshold", "tubes"}


# --- What a bank is ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BankError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class BankInvalid(Exception):
    def __init__(self, errors: list[BankError]):
        self.errors = sorted(errors, key=lambda error: (error.file, error.line, error.message))
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class BankArea:
    code: str
    name: str


@dataclass
class BankCompetence:
    code: str
    area_code: str
    name: str
    description: str


@dataclass
class BankTube:
    name: str
    competence_code: str
    title: str
    description: str


@dataclass
class BankSkill:
    name: str
    tube: str
    level: int
    status: str  # "actif" / "archivé"
    hint: str
    tutorials: list[dict]  # [{"title", "text"}]
    pix_value: float = 0.0

    @property
    def is_active(self) -> bool:
        return self.status == "actif"


@dataclass
class BankChallenge:
    id: str
    skill: str
    type: str
    instruction: str
    proposals: list[str] | str  # QCU/QCM: options; QROC/QROCM: the template
    solution: str | dict[str, list[str]]  # QCU "2", QCM "1,3", QROC "a\nb", QROCM {key: [answers]}
    solution_to_display: str
    t1: bool = True
    t2: bool = True
    t3: bool = True
    format: str = ""
    timer: int | None = None
    focused: bool = False
    illustration: str = ""
    illustration_alt: str = ""
    status: str = "validé"


@dataclass
class BankStage:
    threshold: int | None
    level: int | None
    title: str
    message: str = ""
    prescriber_title: str = ""
    prescriber_description: str = ""


@dataclass
class BankBadgeCriterion:
    scope: str  # "CAMPAIGN" / "TUBES"
    threshold: int
    tubes: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class BankBadge:
    key: str
    title: str
    message: str
    criteria: list[BankBadgeCriterion]


@dataclass
class BankTargetProfile:
    key: str
    name: str
    category: str
    description: str
    tubes: list[tuple[str, int]]  # (tube name, maximum level)
    stages: list[BankStage] = field(default_factory=list)
    badges: list[BankBadge] = field(default_factory=list)


@dataclass
class Bank:
    areas: list[BankArea]
    competences: list[BankCompetence]
    tubes: list[BankTube]
    skills: list[BankSkill]
    challenges: list[BankChallenge]
    target_profiles: list[BankTargetProfile]
    digest: str  # SHA-256 of the files read, in sorted path order


# --- Reading one file -------------------------------------------------------------------------------------------

def _line(value, default: int) -> int:
    return getattr(value, "line", 0) or default


def _clean(text: str) -> str:
    return str(text).strip("\n").rstrip()


class _File:
    """One file being read: its name for the errors, and small typed getters that report what is wrong."""

    def __init__(self, name: str, errors: list[BankError]):
        self.name, self.errors = name, errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(BankError(self.name, line or 1, message))

    def mapping(self, value, line: int, what: str, allowed: set[str] | None = None) -> YMap | None:
        if not isinstance(value, YMap):
            self.error(_line(value, line), f"{what} : une liste de champs « clé: valeur » est attendue")
            return None
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.error(value.line_of(key), f"{what} : champ inconnu « {key} » (champs possibles : "
                                                   f"{', '.join(sorted(allowed))})")
        return value

    def text(self, data: YMap, key: str, what: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, YStr) and not value.strip()):
            if required:
                self.error(data.line_of(key), f"{what} : « {key} » est obligatoire")
            return ""
        if not isinstance(value, YStr):
            self.error(_line(value, data.line_of(key)), f"{what} : « {key} » doit être un texte")
            return ""
        return _clean(value)

    def integer(self, data: YMap, key: str, what: str, *, required: bool = True) -> int | None:
        value = data.get(key)
        if value is None or (isinstance(value, YStr) and not value.strip()):
            if required:
                self.error(data.line_of(key), f"{what} : « {key} » est obligatoire")
            return None
        if not isinstance(value, YStr) or not re.fullmatch(r"-?\d+", value.strip()):
            self.error(_line(value, data.line_of(key)), f"{what} : « {key} » doit être un nombre entier "
                                                        f"(ici « {value} »)")
            return None
        return int(value)

    def boolean(self, data: YMap, key: str, what: str, *, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, YStr) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        self.error(_line(value, data.line_of(key)), f"{what} : « {key} » vaut true ou false (ici « {value} »)")
        return default

    def sequence(self, data: YMap, key: str, what: str, *, required: bool = True) -> YList:
        value = data.get(key)
        if value is None or (isinstance(value, YStr) and not value.strip()):
            if required:
                self.error(data.line_of(key), f"{what} : « {key} » est obligatoire (une liste)")
            return YList()
        if not isinstance(value, YList):
            self.error(_line(value, data.line_of(key)), f"{what} : « {key} » doit être une liste (lignes « - … »)")
            return YList()
        return value


def _parse(path: Path, name: str, errors: list[BankError], raw: bytes):
    try:
        document, problems = yaml_load_with_lines(raw)
    except YamlSyntaxError as error:
        errors.append(BankError(name, error.line, error.message))
        return None
    for line, message in problems:
        errors.append(BankError(name, line, message))
    return document


# --- The reader -------------------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list[BankError] = []
        self.files: dict[str, bytes] = {}
        self.areas: list[BankArea] = []
        self.competences: dict[str, BankCompetence] = {}
        self.framework_read = False
        self.tubes: dict[str, BankTube] = {}
        self.skills: dict[str, BankSkill] = {}
        self.challenges: dict[str, BankChallenge] = {}
        self.seen_tubes: dict[str, str] = {}  # name → "file:line" of its first appearance
        self.seen_skills: dict[str, str] = {}
        self.seen_challenges: dict[str, str] = {}
        self.images = {p.name for p in (root / IMAGES_DIR).iterdir() if p.is_file()} \
            if (root / IMAGES_DIR).is_dir() else set()

    def read(self) -> Bank:
        if not self.root.is_dir():
            raise BankInvalid([BankError(str(self.root), 1, "ce dossier de banque de contenus n'existe pas")])
        self._framework()
        competence_files = sorted((self.root / COMPETENCES_DIR).glob("*.y*ml")) \
            if (self.root / COMPETENCES_DIR).is_dir() else []
        for path in competence_files:
            self._competence_file(path)
        pix_values = self._pix_values()
        profiles = self._target_profiles()
        if self.errors:
            raise BankInvalid(self.errors)
        for skill in self.skills.values():
            skill.pix_value = pix_values.get(skill.name, 0.0)
        return Bank(areas=self.areas, competences=list(self.competences.values()), tubes=list(self.tubes.values()),
                    skills=list(self.skills.values()), challenges=list(self.challenges.values()),
                    target_profiles=profiles, digest=self._digest())

    def _load(self, relative: str):
        path = self.root / relative
        raw = path.read_bytes()
        self.files[relative] = raw
        return _parse(path, relative, self.errors, raw)

    def _digest(self) -> str:
        digest = hashlib.sha256()
        for relative in sorted(self.files):
            digest.update(relative.encode() + b"\0" + self.files[relative] + b"\0")
        return digest.hexdigest()

    # framework.yaml: the 5 areas and their competences
    def _framework(self) -> None:
        if not (self.root / FRAMEWORK_FILE).is_file():
            self.errors.append(BankError(FRAMEWORK_FILE, 1, "fichier absent : il décrit les domaines et les "
                                                            "compétences du cadre de référence"))
            return
        self.framework_read = True
        f = _File(FRAMEWORK_FILE, self.errors)
        document = f.mapping(self._load(FRAMEWORK_FILE), 1, "cadre de référence", {"areas"})
        if document is None:
            return
        area_codes: set[str] = set()
        for area_node in f.sequence(document, "areas", "cadre de référence"):
            area = f.mapping(area_node, document.line, "domaine", {"code", "name", "competences"})
            if area is None:
                continue
            code, name = f.text(area, "code", "domaine"), f.text(area, "name", "domaine")
            if code and not re.fullmatch(r"[1-5]", code):
                f.error(area.line_of("code"), f"code de domaine « {code} » : un chiffre de 1 à 5")
            elif code in area_codes:
                f.error(area.line_of("code"), f"le domaine « {code} » est décrit deux fois")
            area_codes.add(code)
            self.areas.append(BankArea(code=code, name=name))
            for competence_node in f.sequence(area, "competences", f"domaine {code}"):
                competence = f.mapping(competence_node, area.line, "compétence", {"code", "name", "description"})
                if competence is None:
                    continue
                ccode = f.text(competence, "code", "compétence")
                cname = f.text(competence, "name", f"compétence {ccode}")
                if ccode and (not COMPETENCE_CODE.match(ccode) or not ccode.startswith(f"{code}.")):
                    f.error(competence.line_of("code"), f"code de compétence « {ccode} » : « {code}.1 », "
                                                        f"« {code}.2 »… dans le domaine {code}")
                    continue
                if ccode in self.competences:
                    f.error(competence.line_of("code"), f"la compétence « {ccode} » est décrite deux fois")
                    continue
                self.competences[ccode] = BankCompetence(
                    code=ccode, area_code=code, name=cname,
                    description=f.text(competence, "description", f"compétence {ccode}", required=False))

    # competences/<code>.yaml: tubes, skills, challenges
    def _competence_file(self, path: Path) -> None:
        relative = f"{COMPETENCES_DIR}/{path.name}"
        f = _File(relative, self.errors)
        if path.suffix != ".yaml":
            f.error(1, f"renommez ce fichier en {path.stem}.yaml : seuls les fichiers .yaml sont lus")
            return
        document = f.mapping(self._load(relative), 1, "fichier de compétence", {"competence", "tubes"})
        if document is None:
            return
        code = f.text(document, "competence", "fichier de compétence")
        if code and code != path.stem:
            f.error(document.line_of("competence"), f"la compétence « {code} » est dans le fichier {path.name} : "
                                                    f"renommez le fichier {code}.yaml ou corrigez le code")
        elif code and self.framework_read and code not in self.competences:
            f.error(document.line_of("competence"), f"compétence inconnue « {code} » : elle n'est pas dans "
                                                    f"{FRAMEWORK_FILE}")
        for tube_node in f.sequence(document, "tubes", f"compétence {code}"):
            self._tube(f, tube_node, code, document.line)

    def _tube(self, f: _File, node, competence_code: str, parent_line: int) -> None:
        tube = f.mapping(node, parent_line, "sujet", TUBE_KEYS)
        if tube is None:
            return
        name = f.text(tube, "name", "sujet")
        where = f"sujet {name}" if name else "sujet"
        line = tube.line_of("name")
        if name and not TUBE_NAME.match(name):
            f.error(line, f"nom de sujet « {name} » : des lettres seulement, la première en minuscule (ex. motsCles)")
            name = ""
        elif name in self.seen_tubes:
            f.error(line, f"le sujet « {name} » existe déjà ({self.seen_tubes[name]}) : chaque sujet a un nom unique "
                          "dans toute la banque")
            name = ""
        elif name:
            self.seen_tubes[name] = f"{f.name}:{line}"
            self.tubes[name] = BankTube(name=name, competence_code=competence_code,
                                        title=f.text(tube, "title", where),
                                        description=f.text(tube, "description", where, required=False))
        skills = f.sequence(tube, "skills", where)
        if not skills and "skills" in tube:
            f.error(tube.line_of("skills"), f"{where} : au moins un acquis")
        levels: list[tuple[int, int]] = []
        for skill_node in skills:
            level = self._skill(f, skill_node, name, tube.line)
            if level:
                levels.append(level)
        counted = Counter(level for level, _ in levels)
        for level, skill_line in levels:
            if counted[level] > 1:
                f.error(skill_line, f"{where} : deux acquis au niveau {level}")
        present = sorted(counted)
        if present and present != list(range(1, len(present) + 1)):
            missing = [level for level in range(1, present[-1] + 1) if level not in counted]
            f.error(tube.line_of("skills"), f"{where} : les niveaux des acquis se suivent à partir de 1 (ici "
                                            f"{', '.join(map(str, present))} ; il manque le niveau "
                                            f"{', '.join(map(str, missing))})")

    def _skill(self, f: _File, node, tube_name: str, parent_line: int) -> tuple[int, int] | None:
        skill = f.mapping(node, parent_line, "acquis", SKILL_KEYS)
        if skill is None:
            return None
        name = f.text(skill, "name", "acquis")
        where = f"acquis {name}" if name else "acquis"
        line = skill.line_of("name")
        level = f.integer(skill, "level", where)
        if level is not None and not LEVEL_MIN <= level <= LEVEL_MAX:
            f.error(skill.line_of("level"), f"{where} : le niveau va de 1 à 8 (ici {level})")
            level = None
        valid_name = False
        if name:
            match = SKILL_NAME.match(name)
            if not match:
                f.error(line, f"nom d'acquis « {name} » : @<sujet><niveau>, ex. @{tube_name or 'motsCles'}"
                              f"{level or 1}")
            elif tube_name and match.group(1) != tube_name:
                f.error(line, f"l'acquis « {name} » n'est pas du sujet « {tube_name} » : nommez-le "
                              f"@{tube_name}{level or match.group(2)}")
            elif level is not None and int(match.group(2)) != level:
                f.error(line, f"l'acquis « {name} » est de niveau {match.group(2)} d'après son nom, mais "
                              f"« level: {level} » : accordez les deux")
            elif name in self.seen_skills:
                f.error(line, f"l'acquis « {name} » existe déjà ({self.seen_skills[name]})")
            else:
                valid_name = True
                self.seen_skills[name] = f"{f.name}:{line}"
        status = f.text(skill, "status", where, required=False) or "actif"
        if status not in SKILL_STATUSES:
            f.error(skill.line_of("status"), f"{where} : statut « {status} » inconnu (actif ou archivé)")
            status = "actif"
        hint = f.text(skill, "hint", where, required=False)
        if status == "actif" and not hint:
            f.error(skill.line_of("hint") if "hint" in skill else line,
                    f"{where} : un acquis actif a un indice (hint), montré à l'élève après sa réponse")
        tutorials = []
        for tutorial_node in f.sequence(skill, "tutorials", where, required=False):
            tutorial = f.mapping(tutorial_node, skill.line, f"{where}, tuto", {"title", "text"})
            if tutorial is not None:
                tutorials.append({"title": f.text(tutorial, "title", f"{where}, tuto"),
                                  "text": f.text(tutorial, "text", f"{where}, tuto")})
        validated = 0
        for challenge_node in f.sequence(skill, "challenges", where, required=status == "actif"):
            if self._challenge(f, challenge_node, name if valid_name else "", skill.line):
                validated += 1
        if status == "actif" and not validated:
            f.error(line, f"{where} : un acquis actif a au moins une épreuve validée")
        if valid_name and level is not None and tube_name:
            self.skills[name] = BankSkill(name=name, tube=tube_name, level=level, status=status, hint=hint,
                                          tutorials=tutorials)
        return (level, line) if level is not None else None

    def _challenge(self, f: _File, node, skill_name: str, parent_line: int) -> bool:
        """Reads one challenge; True when its status is « validé » (counted even when it has errors)."""
        data = f.mapping(node, parent_line, "épreuve", CHALLENGE_KEYS)
        if data is None:
            return False
        errors_before = len(self.errors)
        challenge_id = f.text(data, "id", "épreuve")
        where = f"épreuve {challenge_id}" if challenge_id else "épreuve"
        id_line = data.line_of("id")
        if challenge_id and not CHALLENGE_ID.match(challenge_id):
            f.error(id_line, f"identifiant « {challenge_id} » : lettres, chiffres, « - » et « . » seulement")
        elif challenge_id in self.seen_challenges:
            f.error(id_line, f"l'identifiant « {challenge_id} » est déjà pris ({self.seen_challenges[challenge_id]}) :"
                             " chaque épreuve a un identifiant unique, jamais réutilisé")
        elif challenge_id:
            self.seen_challenges[challenge_id] = f"{f.name}:{id_line}"
        status = f.text(data, "status", where, required=False) or "validé"
        if status not in CHALLENGE_STATUSES:
            f.error(data.line_of("status"), f"{where} : statut « {status} » inconnu (validé ou archivé)")
        kind = f.text(data, "type", where)
        if kind and kind not in TYPES:
            f.error(data.line_of("type"), f"{where} : type « {kind} » inconnu ({', '.join(TYPES)})")
            kind = ""
        instruction = f.text(data, "instruction", where)
        explained = f.text(data, "solution_to_display", where)
        proposals, solution = self._proposals_and_solution(f, data, kind, where) if kind else ([], "")
        t1 = t2 = t3 = True
        if "tolerances" in data:
            if kind and kind not in FREE_ANSWER_TYPES:
                f.error(data.line_of("tolerances"), f"{where} : les tolérances ne s'appliquent qu'aux réponses "
                                                    "libres (QROC, QROCM) ; retirez-les")
            chosen = self._tolerances(f, data, where)
            t1, t2, t3 = (name in chosen for name in TOLERANCES)
        answer_format = f.text(data, "format", where, required=False)
        if answer_format and (answer_format not in FORMATS or kind != "QROC"):
            f.error(data.line_of("format"), f"{where} : format « {answer_format} » : seul « nombre » existe, pour "
                                            "une QROC")
        elif answer_format == "nombre" and isinstance(solution, str):
            # Numbers are compared as numbers only when every accepted answer is one (3,5 = 3.5).
            words = [answer for answer in solution.split("\n") if not NUMBER.match(answer.replace(" ", ""))]
            if words:
                f.error(_line(data.get("solution"), data.line_of("solution")),
                        f"{where} : avec « format: nombre », chaque réponse acceptée est un nombre (3,5 ou 3.5), "
                        f"sans unité ; retirez {', '.join(f'« {word} »' for word in words)} ou le format")
        timer = f.integer(data, "timer", where, required=False)
        if timer is not None and not 1 <= timer <= TIMER_MAX:
            f.error(data.line_of("timer"), f"{where} : le temps (timer) est un nombre de secondes entre 1 et "
                                           f"{TIMER_MAX} (ici {timer})")
            timer = None
        focused = f.boolean(data, "focused", where, default=False)
        illustration = f.text(data, "illustration", where, required=False)
        alt = f.text(data, "illustration_alt", where, required=False)
        if illustration and ("/" in illustration or "\\" in illustration or illustration not in self.images):
            f.error(data.line_of("illustration"), f"{where} : l'illustration « {illustration} » n'est pas dans "
                                                  f"{IMAGES_DIR}/ (indiquez le seul nom du fichier)")
        if illustration and not alt:
            f.error(data.line_of("illustration"), f"{where} : une illustration a un texte de remplacement "
                                                  "(illustration_alt) pour les élèves qui ne la voient pas")
        if alt and not illustration:
            f.error(data.line_of("illustration_alt"), f"{where} : illustration_alt sans illustration")
        if len(self.errors) == errors_before and skill_name and challenge_id:
            self.challenges[challenge_id] = BankChallenge(
                id=challenge_id, skill=skill_name, type=kind, instruction=instruction, proposals=proposals,
                solution=solution, solution_to_display=explained, t1=t1, t2=t2, t3=t3, format=answer_format,
                timer=timer, focused=focused, illustration=illustration, illustration_alt=alt, status=status)
        return status == "validé"

    def _tolerances(self, f: _File, data: YMap, where: str) -> set[str]:
        value = data["tolerances"]
        items = value if isinstance(value, YList) else [YStr(part) for part in str(value).split(",") if part.strip()]
        chosen = set()
        for item in items:
            name = str(item).strip().lower()
            if name not in TOLERANCES:
                f.error(_line(item, data.line_of("tolerances")), f"{where} : tolérance inconnue « {item} » (t1, t2, "
                                                                 "t3)")
            chosen.add(name)
        return chosen

    def _proposals_and_solution(self, f: _File, data: YMap, kind: str, where: str):
        solution_node = data.get("solution")
        solution_line = _line(solution_node, data.line_of("solution"))
        if solution_node is None or (isinstance(solution_node, YStr) and not solution_node.strip()):
            f.error(data.line_of("solution"), f"{where} : « solution » est obligatoire")
            solution_node = None
        if kind in ("QCU", "QCM"):
            options = []
            for index, option in enumerate(f.sequence(data, "proposals", where), start=1):
                if isinstance(option, YMap):
                    f.error(option.line, f"{where} : la proposition {index} contient « : » ; mettez-la entre "
                                         "guillemets")
                elif not isinstance(option, YStr) or not option.strip():
                    f.error(_line(option, data.line_of("proposals")), f"{where} : la proposition {index} est vide")
                else:
                    options.append(_clean(option))
            if "proposals" in data and len(options) < 2:
                f.error(data.line_of("proposals"), f"{where} : au moins deux propositions")
            if solution_node is None:
                return options, ""
            count = len(data["proposals"]) if isinstance(data.get("proposals"), YList) else 0
            if kind == "QCU":
                if not isinstance(solution_node, YStr) or not re.fullmatch(r"\d+", solution_node.strip()):
                    f.error(solution_line, f"{where} : la solution d'une QCU est le numéro de la bonne proposition "
                                           "(ex. solution: 2)")
                    return options, ""
                index = int(solution_node)
                if not 1 <= index <= count:
                    f.error(solution_line, f"{where} : la solution {index} ne désigne aucune proposition (de 1 à "
                                           f"{count})")
                return options, str(index)
            parts = solution_node if isinstance(solution_node, YList) else \
                [part for part in str(solution_node).split(",") if part.strip()] \
                if isinstance(solution_node, YStr) else None
            if parts is None or any(not isinstance(p, str) or not re.fullmatch(r"\d+", p.strip()) for p in parts):
                f.error(solution_line, f"{where} : la solution d'une QCM est la liste des numéros des bonnes "
                                       "propositions (ex. solution: [1, 3])")
                return options, ""
            indexes = sorted({int(p) for p in parts})
            if len(indexes) < len(parts):
                f.error(solution_line, f"{where} : un numéro est écrit deux fois dans la solution")
            if len(indexes) < 2:
                f.error(solution_line, f"{where} : une QCM a au moins deux bonnes propositions (sinon, c'est une QCU)")
            for index in indexes:
                if not 1 <= index <= count:
                    f.error(solution_line, f"{where} : la solution {index} ne désigne aucune proposition (de 1 à "
                                           f"{count})")
            return options, ",".join(map(str, indexes))
        # Free answers: a template with ${key} fields
        template = f.text(data, "proposals", where, required=kind != "QROC") or \
            (DEFAULT_QROC_PROPOSALS if kind == "QROC" else "")
        keys, problems = proposal_fields(template)
        for problem in problems:
            f.error(data.line_of("proposals"), f"{where} : {problem}")
        if kind == "QROC":
            if len(keys) != 1:
                f.error(data.line_of("proposals"), f"{where} : une QROC a exactement un champ ${{…}} (ici {len(keys)})")
            if solution_node is None:
                return template, ""
            answers = self._answers(f, solution_node, where, solution_line)
            return template, "\n".join(answers)
        if template and not keys:
            f.error(data.line_of("proposals"), f"{where} : les propositions n'ont aucun champ ${{nom}} à remplir")
        if solution_node is None:
            return template, {}
        solution = self._qrocm_solution(f, solution_node, where, solution_line)
        if solution is None:
            return template, {}
        if kind == "QROCM-ind" and keys and set(solution) != set(keys):
            missing, extra = sorted(set(keys) - set(solution)), sorted(set(solution) - set(keys))
            detail = "; ".join(part for part in (
                f"champs sans solution : {', '.join(missing)}" if missing else "",
                f"solutions sans champ : {', '.join(extra)}" if extra else "") if part)
            f.error(solution_line, f"{where} : les clés de la solution sont exactement les champs des propositions "
                                   f"({detail})")
        if kind == "QROCM-dep" and len(solution) < len(keys):
            f.error(solution_line, f"{where} : une QROCM-dep a au moins autant de groupes de réponses ({len(solution)})"
                                   f" que de champs ({len(keys)})")
        return template, solution

    def _answers(self, f: _File, node, where: str, line: int) -> list[str]:
        if isinstance(node, YStr):
            answers = [_clean(part) for part in node.split("\n") if part.strip()]
        elif isinstance(node, YList):
            answers = []
            for item in node:
                if not isinstance(item, YStr) or not item.strip():
                    f.error(_line(item, line), f"{where} : une réponse acceptée est un texte non vide")
                else:
                    answers.append(_clean(item))
        else:
            f.error(line, f"{where} : les réponses acceptées sont une liste de textes")
            return []
        if not answers:
            f.error(line, f"{where} : au moins une réponse acceptée")
        return answers

    def _qrocm_solution(self, f: _File, node, where: str, line: int) -> dict[str, list[str]] | None:
        if isinstance(node, YStr):  # the solution written as a YAML text, as Pix stores it
            try:
                node, _ = yaml_load_with_lines(str(node))
            except YamlSyntaxError:
                node = None
            if not isinstance(node, YMap):
                f.error(line, f"{where} : solution QROCM illisible : écrivez « clé: [réponses] » pour chaque champ "
                              "(ex. solution: {ville: [Lyon]})")
                return None
            node.line = line
        elif not isinstance(node, YMap):
            f.error(line, f"{where} : solution QROCM illisible : écrivez « clé: [réponses] » pour chaque champ")
            return None
        if not node:
            f.error(line, f"{where} : la solution QROCM est vide")
            return None
        return {str(key): self._answers(f, value, f"{where}, « {key} »", _line(value, node.line_of(key)))
                for key, value in node.items()}

    def _pix_values(self) -> dict[str, float]:
        per_level: Counter = Counter()
        for skill in self.skills.values():
            tube = self.tubes.get(skill.tube)
            if skill.is_active and tube:
                per_level[(tube.competence_code, skill.level)] += 1
        return {skill.name: pix_value(per_level[(self.tubes[skill.tube].competence_code, skill.level)])
                for skill in self.skills.values() if skill.is_active and skill.tube in self.tubes}

    # target_profiles.yaml
    def _tube_caps(self) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Highest active level of each tube that has one, and those tubes by competence."""
        caps: dict[str, int] = {}
        for skill in self.skills.values():
            if skill.is_active:
                caps[skill.tube] = max(caps.get(skill.tube, 0), skill.level)
        by_competence: dict[str, list[str]] = defaultdict(list)
        for tube in self.tubes.values():
            if tube.name in caps:
                by_competence[tube.competence_code].append(tube.name)
        return caps, by_competence

    def _target_profiles(self) -> list[BankTargetProfile]:
        if not (self.root / TARGET_PROFILES_FILE).is_file():
            return []
        f = _File(TARGET_PROFILES_FILE, self.errors)
        document = self._load(TARGET_PROFILES_FILE)
        if document is None:
            return []
        if not isinstance(document, YList):
            f.error(_line(document, 1), "le fichier est une liste de parcours (lignes « - key: … »)")
            return []
        caps, by_competence = self._tube_caps()
        profiles, keys = [], {}
        for node in document:
            profile = self._target_profile(f, node, caps, by_competence)
            if profile is None:
                continue
            if profile.key in keys:
                f.error(node.line_of("key"), f"la clé « {profile.key} » est déjà prise (ligne {keys[profile.key]})")
                continue
            keys[profile.key] = node.line_of("key")
            profiles.append(profile)
        return profiles

    def _capped(self, f: _File, items: YList, where: str, caps, by_competence, *,
                default_cap: int | None) -> list[tuple[str, int, int, bool]]:
        """(tube, level, line, from a competence) from items {tube, level} or {competence, level}; the level
        defaults to the tube's highest active one and never goes above it."""
        result = []
        for item_node in items:
            item = f.mapping(item_node, items.line, f"{where}, sujet", {"tube", "competence", "level"})
            if item is None:
                continue
            level = f.integer(item, "level", where, required=False)
            if level is not None and not LEVEL_MIN <= level <= LEVEL_MAX:
                f.error(item.line_of("level"), f"{where} : le niveau maximum va de 1 à 8 (ici {level})")
                continue
            level = level or default_cap
            if ("tube" in item) == ("competence" in item):
                f.error(item.line, f"{where} : indiquez soit « tube: <nom> », soit « competence: \"4.1\" »")
                continue
            if "tube" in item:
                name = f.text(item, "tube", where)
                if name not in self.tubes:
                    f.error(item.line_of("tube"), f"{where} : sujet inconnu « {name} »")
                elif name not in caps:
                    f.error(item.line_of("tube"), f"{where} : le sujet « {name} » n'a aucun acquis actif")
                else:
                    result.append((name, min(level or caps[name], caps[name]), item.line, False))
                continue
            code = f.text(item, "competence", where)
            if code not in self.competences:
                f.error(item.line_of("competence"), f"{where} : compétence inconnue « {code} »")
            elif not by_competence.get(code):
                f.error(item.line_of("competence"), f"{where} : la compétence « {code} » n'a encore aucun sujet actif")
            for name in by_competence.get(code, []):
                result.append((name, min(level or caps[name], caps[name]), item.line, True))
        return result

    def _target_profile(self, f: _File, node, caps, by_competence) -> BankTargetProfile | None:
        data = f.mapping(node, 1, "parcours", PROFILE_KEYS)
        if data is None:
            return None
        errors_before = len(self.errors)
        key = f.text(data, "key", "parcours")
        where = f"parcours {key}" if key else "parcours"
        if key and not PROFILE_KEY.match(key):
            f.error(data.line_of("key"), f"{where} : la clé s'écrit en minuscules, chiffres et tirets")
        name = f.text(data, "name", where)
        category = f.text(data, "category", where)
        if category and category not in CATEGORIES:
            f.error(data.line_of("category"), f"{where} : catégorie « {category} » inconnue ({', '.join(CATEGORIES)})")
        description = f.text(data, "description", where, required=False)
        max_level = f.integer(data, "max_level", where, required=False)
        if max_level is not None and not LEVEL_MIN <= max_level <= LEVEL_MAX:
            f.error(data.line_of("max_level"), f"{where} : max_level va de 1 à 8 (ici {max_level})")
            max_level = None
        tubes_node = data.get("tubes")
        capped: list[tuple[str, int, int, bool]] = []
        if isinstance(tubes_node, YStr) and tubes_node.strip() == "all":
            capped = [(tube, caps[tube], tubes_node.line, True) for tube in self.tubes if tube in caps]
        elif isinstance(tubes_node, YList) and tubes_node:
            capped = self._capped(f, tubes_node, where, caps, by_competence, default_cap=None)
        else:
            f.error(data.line_of("tubes"), f"{where} : « tubes » vaut « all » ou une liste de {{tube: <nom>, "
                                           "level: <n>}} ou {competence: \"4.1\", level: <n>}")
        tubes: dict[str, int] = {}
        for tube, level, line, _ in capped:
            if tube in tubes:
                f.error(line, f"{where} : le sujet « {tube} » est déjà dans le parcours")
            tubes[tube] = min(level, max_level) if max_level else level
        stages = self._stages(f, data, where)
        badges = self._badges(f, data, where, tubes, caps, by_competence)
        if len(self.errors) > errors_before:
            return None
        return BankTargetProfile(key=key, name=name, category=category, description=description,
                                 tubes=list(tubes.items()), stages=stages, badges=badges)

    def _stages(self, f: _File, data: YMap, where: str) -> list[BankStage]:
        nodes = f.sequence(data, "stages", where, required=False)
        stages, lines = [], []
        for node in nodes:
            stage = f.mapping(node, nodes.line, f"{where}, palier", STAGE_KEYS)
            if stage is None:
                continue
            lines.append(stage.line)
            stages.append(BankStage(
                threshold=f.integer(stage, "threshold", where, required=False),
                level=f.integer(stage, "level", where, required=False),
                title=f.text(stage, "title", f"{where}, palier"),
                message=f.text(stage, "message", where, required=False),
                prescriber_title=f.text(stage, "prescriber_title", where, required=False),
                prescriber_description=f.text(stage, "prescriber_description", where, required=False)))
        for path, message in stages_problems([vars(stage) for stage in stages]):
            f.error(lines[path[0]] if path else data.line_of("stages"), f"{where} : {message}")
        return stages

    def _badges(self, f: _File, data: YMap, where: str, tubes: dict[str, int], caps, by_competence):
        nodes = f.sequence(data, "badges", where, required=False)
        badges, lines = [], []
        for node in nodes:
            badge = f.mapping(node, nodes.line, f"{where}, badge", BADGE_KEYS)
            if badge is None:
                continue
            criteria, criterion_lines = [], []
            for criterion_node in f.sequence(badge, "criteria", f"{where}, badge"):
                criterion = f.mapping(criterion_node, badge.line, f"{where}, critère", CRITERION_KEYS)
                if criterion is None:
                    continue
                scope = f.text(criterion, "scope", f"{where}, critère")
                tube_items = f.sequence(criterion, "tubes", where, required=False)
                # a competence in a criterion stands for its tubes that are in the profile
                expanded = [(name, level) for name, level, _, from_competence
                            in self._capped(f, tube_items, f"{where}, critère", caps, by_competence, default_cap=None)
                            if name in tubes or not from_competence]
                criteria.append(BankBadgeCriterion(scope=SCOPES.get(scope.lower(), scope),
                                                   threshold=f.integer(criterion, "threshold", where) or 0,
                                                   tubes=expanded))
                criterion_lines.append(criterion.line)
            lines.append((badge.line, criterion_lines))
            badges.append(BankBadge(key=f.text(badge, "key", f"{where}, badge"), title=f.text(badge, "title", where),
                                    message=f.text(badge, "message", where, required=False), criteria=criteria))
        plain = [{"key": b.key, "title": b.title,
                  "criteria": [{"scope": c.scope, "threshold": c.threshold,
                                "tubes": [{"tube": t, "level": lvl} for t, lvl in c.tubes]} for c in b.criteria]}
                 for b in badges]
        for path, message in badges_problems(plain, profile_tubes=tubes):
            badge_line, criterion_lines = lines[path[0]]
            f.error(criterion_lines[path[1]] if len(path) > 1 else badge_line, f"{where} : {message}")
        return badges


def bank_read(path: str | Path) -> Bank:
    """The bank in ``path``, checked; raises BankInvalid with every error (file, line, message)."""
    return _Reader(Path(path)).read()
