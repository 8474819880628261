"""Rules of the content shared by the bank loader and the staff services (pure: no Django).

Messages are French and say what to change; each problem names where it is (an index path) so the loader can turn
it into a file and line and the services into one message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVEL_MIN, LEVEL_MAX = 1, 8
MAX_PIX_PER_SKILL = 4.0
PIX_PER_LEVEL = 8.0
STAGE_THRESHOLD_MAX = 100
STAGE_LEVEL_MAX = 8
BADGE_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
SCOPES = {"CAMPAIGN", "TUBES"}

# ${key}, ${key#placeholder}, ${key§aria label}
_FIELD = re.compile(r"\$\{([^}]*)\}")
_FIELD_KEY = re.compile(r"^[\w\-]+$")


def pix_value(active_skills_same_competence_and_level: int) -> float:
    """min(4, 8 ÷ n): each level of a competence is worth 8 pix when all its skills are validated."""
    if active_skills_same_competence_and_level <= 0:
        return 0.0
    return min(MAX_PIX_PER_SKILL, PIX_PER_LEVEL / active_skills_same_competence_and_level)


@dataclass(frozen=True)
class ProposalBlock:
    """A piece of a QROC/QROCM template: text, or an input field (``key`` set)."""

    text: str = ""
    key: str = ""
    placeholder: str = ""
    aria_label: str = ""


def proposal_blocks(template: str) -> list[ProposalBlock]:
    """The template split into text and input fields, in order."""
    blocks, position = [], 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            blocks.append(ProposalBlock(text=template[position:match.start()]))
        inner = match.group(1)
        key = re.split(r"[#§]", inner, maxsplit=1)[0].strip()
        placeholder = re.search(r"#([^§]*)", inner)
        aria = re.search(r"§([^#]*)", inner)
        blocks.append(ProposalBlock(key=key, placeholder=placeholder.group(1).strip() if placeholder else "",
                                    aria_label=aria.group(1).strip() if aria else ""))
        position = match.end()
    if position < len(template):
        blocks.append(ProposalBlock(text=template[position:]))
    return blocks


def proposal_fields(template: str) -> tuple[list[str], list[str]]:
    """The field keys of a template, in order, and the problems (empty or malformed keys, a key used twice)."""
    keys, problems = [], []
    for block in proposal_blocks(template):
        if block.text:
            continue
        if not block.key:
            problems.append("un champ ${…} n'a pas de nom : écrivez ${nom} ou ${nom#indication}")
        elif not _FIELD_KEY.match(block.key):
            problems.append(f"le nom de champ « {block.key} » ne doit contenir que des lettres, chiffres, - ou _")
        elif block.key in keys:
            problems.append(f"le champ ${{{block.key}}} apparaît deux fois : chaque champ a un nom différent")
        else:
            keys.append(block.key)
    return keys, problems


Path = tuple[int, ...]


def stages_problems(stages: list[dict]) -> list[tuple[Path, str]]:
    """Stages: each by ``threshold`` (0–100 %) or by ``level`` (0–8), all of one kind, a zero stage, no repeat."""
    problems: list[tuple[Path, str]] = []
    if not stages:
        return problems
    kinds = set()
    seen: dict[tuple[str, int], int] = {}
    for index, stage in enumerate(stages):
        threshold, level = stage.get("threshold"), stage.get("level")
        if (threshold is None) == (level is None):
            problems.append(((index,), "un palier a soit un seuil (threshold, en %), soit un niveau (level), "
                                       "pas les deux ni aucun"))
            continue
        if threshold is not None:
            kinds.add("threshold")
            if not 0 <= threshold <= STAGE_THRESHOLD_MAX:
                problems.append(((index,), f"le seuil d'un palier va de 0 à 100 % (ici {threshold})"))
            marker = ("threshold", threshold)
        else:
            kinds.add("level")
            if not 0 <= level <= STAGE_LEVEL_MAX:
                problems.append(((index,), f"le niveau d'un palier va de 0 à 8 (ici {level})"))
            marker = ("level", level)
        if marker in seen:
            problems.append(((index,), f"deux paliers ont le même {'seuil' if marker[0] == 'threshold' else 'niveau'}"
                                       f" ({marker[1]}) : donnez-leur des valeurs différentes"))
        seen.setdefault(marker, index)
        if not (stage.get("title") or "").strip():
            problems.append(((index,), "un palier doit avoir un titre (title) pour l'élève"))
    if len(kinds) > 1:
        problems.append(((), "les paliers sont tous par seuil ou tous par niveau : ne mélangez pas les deux"))
    elif ("threshold", 0) not in seen and ("level", 0) not in seen:
        problems.append(((), "les paliers commencent par un palier zéro (threshold: 0 ou level: 0), toujours "
                             "atteint : ajoutez-le"))
    return problems


def badges_problems(badges: list[dict], *, profile_tubes: dict[str, int]) -> list[tuple[Path, str]]:
    """Badges: a key, a title, at least one criterion; a criterion on the campaign or on tubes of the profile.

    ``profile_tubes``: tube name → cap of the profile. Paths: (badge,) or (badge, criterion).
    """
    problems: list[tuple[Path, str]] = []
    keys: set[str] = set()
    for index, badge in enumerate(badges):
        key = (badge.get("key") or "").strip()
        if not BADGE_KEY_PATTERN.match(key):
            problems.append(((index,), "la clé d'un badge (key) s'écrit en minuscules, chiffres et tirets "
                                       "(ex. cyber-vigilant)"))
        elif key in keys:
            problems.append(((index,), f"deux badges ont la clé « {key} » : donnez-leur des clés différentes"))
        keys.add(key)
        if not (badge.get("title") or "").strip():
            problems.append(((index,), "un badge doit avoir un titre (title)"))
        criteria = badge.get("criteria") or []
        if not criteria:
            problems.append(((index,), "un badge a au moins un critère (criteria)"))
        for position, criterion in enumerate(criteria):
            where = (index, position)
            scope, threshold = criterion.get("scope"), criterion.get("threshold")
            if scope not in SCOPES:
                problems.append((where, f"portée de critère inconnue « {scope} » : campaign (tout le parcours) ou "
                                        "tubes (sujets choisis)"))
                continue
            if threshold is None or not 1 <= threshold <= 100:
                problems.append((where, f"le seuil d'un critère va de 1 à 100 % (ici {threshold})"))
            tubes = criterion.get("tubes") or []
            if scope == "CAMPAIGN" and tubes:
                problems.append((where, "un critère sur tout le parcours (campaign) ne liste pas de sujets"))
            if scope == "TUBES" and not tubes:
                problems.append((where, "un critère sur des sujets (tubes) liste au moins un sujet"))
            for tube in tubes:
                name, level = tube.get("tube"), tube.get("level")
                if name not in profile_tubes:
                    problems.append((where, f"le sujet « {name} » n'est pas dans le parcours : un badge ne porte que "
                                            "sur les sujets du parcours"))
                elif level is None or not LEVEL_MIN <= level <= profile_tubes[name]:
                    problems.append((where, f"le niveau du sujet « {name} » va de 1 au niveau maximum du parcours "
                                            f"({profile_tubes[name]}), ici {level}"))
    return problems
