"""How a challenge, an answer and a results snapshot are shown (pages and API share these)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.html import strip_tags

from assessments.correction import Field, proposal_fields
from campaigns.models import Participation
from content.markdown import markdown_to_html
from content.models import Challenge

STATUS_LABELS = {"ok": "Réussie", "ko": "Échouée", "aband": "Passée", "timedout": "Temps dépassé"}
DEFAULT_QROC_TEMPLATE = "${reponse}"
_FIELD = re.compile(r"\$\{([^}#]*)(?:#([^}]*))?\}")


def challenge_fields(challenge: Challenge) -> list[dict]:
    """The free-answer fields of a QROC/QROCM, in order ([] for QCU/QCM)."""
    if challenge.type in (Challenge.Type.QCU, Challenge.Type.QCM):
        return []
    template = challenge.proposals if isinstance(challenge.proposals, str) and challenge.proposals else \
        DEFAULT_QROC_TEMPLATE
    return [{"key": field.key, "placeholder": field.placeholder} for field in proposal_fields(template)]


def illustration_url(challenge: Challenge) -> str | None:
    return static(f"bank/{challenge.illustration}") if challenge.illustration else None


@dataclass(frozen=True, slots=True)
class TemplatePart:
    """A piece of a QROC/QROCM template: text, or a field to fill."""

    text: str = ""
    field: Field | None = None


def template_parts(challenge: Challenge) -> list[TemplatePart]:
    """The QROC/QROCM template cut into text and fields, for the answer form."""
    template = challenge.proposals if isinstance(challenge.proposals, str) and challenge.proposals else \
        DEFAULT_QROC_TEMPLATE
    parts, position = [], 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            parts.append(TemplatePart(text=template[position:match.start()]))
        parts.append(TemplatePart(field=Field(match.group(1).strip(), (match.group(2) or "").strip())))
        position = match.end()
    if position < len(template):
        parts.append(TemplatePart(text=template[position:]))
    return parts


def instruction_summary(challenge: Challenge, *, words: int = 25) -> str:
    """A line that recalls the question at a checkpoint: the instruction's last paragraph (where the question is
    asked), without its tables and code, in plain text."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", challenge.instruction or "") if block.strip()]
    prose = [block for block in blocks
             if not block.startswith(("|", "```", "    ", "- ", "* ")) and not re.match(r"^\d+\. ", block)]
    text = strip_tags(str(markdown_to_html((prose or blocks or [""])[-1]))).strip()
    text = " ".join(text.split())
    parts = text.split(" ")
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def answer_display(challenge: Challenge, value) -> str:
    """The student's answer in words: the options chosen, the text typed."""
    if value is None:
        return "Pas de réponse"
    if challenge.type in (Challenge.Type.QCU, Challenge.Type.QCM):
        options = challenge.proposals or []
        chosen = []
        for number in str(value).split(","):
            number = number.strip()
            if number.isdigit() and 1 <= int(number) <= len(options):
                chosen.append(options[int(number) - 1])
        return " ; ".join(chosen)
    if isinstance(value, dict):
        return " ; ".join(f"{text}" for text in value.values() if text)
    return str(value)


@dataclass(frozen=True, slots=True)
class CompetenceResult:
    code: str
    name: str
    mastery_rate: float
    validated: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.mastery_rate * 100)


@dataclass(frozen=True, slots=True)
class ResultsView:
    mastery_rate: float
    competences: list[CompetenceResult]
    stage: dict | None
    badges: list[dict]

    @property
    def percent(self) -> int:
        return round(self.mastery_rate * 100)

    @property
    def stars(self) -> list[bool]:
        if not self.stage:
            return []
        return [index < self.stage["reached"] for index in range(self.stage["total"])]


def results_view(participation: Participation) -> ResultsView:
    snapshot = participation.results or {}
    competences = [
        CompetenceResult(code=code, name=item.get("name", ""), mastery_rate=item.get("mastery_rate", 0.0),
                         validated=item.get("validated", 0), total=item.get("total", 0))
        for code, item in sorted((snapshot.get("competences") or {}).items())
    ]
    return ResultsView(mastery_rate=participation.mastery_rate or 0.0, competences=competences,
                       stage=snapshot.get("stage"), badges=snapshot.get("badges") or [])
