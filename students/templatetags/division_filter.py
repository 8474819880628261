"""The class filter: ``{% load division_filter %}{% division_filter filter_form.division %}``, the classes grouped
by level (« toute la 2nde »), the chosen ones named at the top."""

from django import template

from students.divisions import divisions_by_level

register = template.Library()

# Up to this many classes every level stays open; beyond, only the levels holding a chosen class.
ALL_OPEN_UP_TO = 24


@register.inclusion_tag("_division_filter.html")
def division_filter(field, legend: str = "Classes"):
    choices = {choice.data["value"]: choice for choice in field}
    chosen = [value for value, choice in choices.items() if choice.data["selected"]]
    groups = []
    for level, divisions in divisions_by_level(choices):
        ticked = sum(1 for division in divisions if division in chosen)
        groups.append({
            "level": level, "choices": [choices[division] for division in divisions], "ticked": ticked,
            "all_ticked": ticked == len(divisions), "open": len(choices) <= ALL_OPEN_UP_TO or ticked > 0,
            "id": f"{field.auto_id}_niveau_{level.key}",
        })
    single = len(groups) == 1
    # « toute la 2nde, TG3 » rather than 26 names.
    named = []
    for group in groups:
        if group["all_ticked"] and not single:
            named.append(group["level"].everyone)
        else:
            named.extend(choice.data["value"] for choice in group["choices"] if choice.data["selected"])
    return {"field": field, "legend": legend, "groups": groups, "chosen": chosen, "named": named, "single": single}
