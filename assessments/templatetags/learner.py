"""Small French wording helpers of the student pages."""

from django import template
from django.utils.safestring import mark_safe

from content.markdown import markdown_to_html
from pixorga.french import plural
from pixorga.templatetags import french as french_filters

register = template.Library()


register.filter("pluriel", french_filters.pluriel)  # the project's one (pixorga/french.py)


@register.filter
def duree(seconds) -> str:
    """60 → « 1 minute », 90 → « 1 minute 30 secondes », 45 → « 45 secondes »."""
    seconds = int(seconds or 0)
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(plural(minutes, "minute"))
    if rest or not minutes:
        parts.append(plural(rest, "seconde"))
    return " ".join(parts)


@register.filter
def mmss(seconds) -> str:
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def pourcent(rate) -> int:
    """A rate (0–1) as a whole percentage."""
    return round((rate or 0) * 100)


@register.filter
def markdown_inline(text):
    """A short Markdown text (an option, a hint) without its paragraph: fits inside a label."""
    html = str(markdown_to_html(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # built by markdown_to_html from escaped text only
