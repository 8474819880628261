"""The loaded content as plain data (``content_export``): solutions included, for staff and tests only."""

from __future__ import annotations

from content.models import Area, Challenge, Competence, Skill, Tube
from content.selectors import content_current_release


def content_export_data() -> dict:
    """Every area, competence, tube, skill and challenge (archived ones too, with their status), in 5 queries."""
    release = content_current_release()
    return {
        "release": None if release is None else {
            "version": release.version, "loaded_at": release.loaded_at.isoformat(), "digest": release.digest},
        "areas": [{"code": area.code, "name": area.name} for area in Area.objects.order_by("code")],
        "competences": [{"code": c.code, "area": c.area.code, "name": c.name, "description": c.description}
                        for c in Competence.objects.select_related("area").order_by("code")],
        "tubes": [{"name": tube.name, "competence": tube.competence.code, "title": tube.practical_title,
                   "description": tube.practical_description, "is_active": tube.is_active}
                  for tube in Tube.objects.select_related("competence").order_by("competence__code", "name")],
        "skills": [{"name": skill.name, "tube": skill.tube.name, "level": skill.level, "status": skill.status,
                    "pix_value": skill.pix_value, "hint": skill.hint, "tutorials": skill.tutorials}
                   for skill in Skill.objects.select_related("tube").order_by("tube__name", "level")],
        "challenges": [{
            "id": challenge.id, "skill": challenge.skill.name, "type": challenge.type,
            "instruction": challenge.instruction, "proposals": challenge.proposals, "solution": challenge.solution,
            "solution_to_display": challenge.solution_to_display,
            "tolerances": [name for name in ("t1", "t2", "t3") if getattr(challenge, name)],
            "timer": challenge.timer, "focused": challenge.focused, "format": challenge.format,
            "illustration": challenge.illustration, "illustration_alt": challenge.illustration_alt,
            "status": challenge.status,
        } for challenge in Challenge.objects.select_related("skill").order_by("id")],
    }
