"""French wording of the students pages: counts with their noun, numbers with thousands separated."""

from django import template

register = template.Library()


@register.filter
def nombre(value) -> str:
    """2331 → « 2 331 » (narrow no-break space)."""
    return f"{int(value or 0):,}".replace(",", "\u202f")


@register.filter
def pluriel(count, forms: str) -> str:
    """``{{ n|pluriel:"élève,élèves" }}`` → « 0 élève », « 1 élève », « 2 élèves » (French: 0 and 1 singular)."""
    singular, _, plural = forms.partition(",")
    count = int(count or 0)
    return f"{nombre(count)} {singular if count < 2 else plural or singular}"


@register.filter
def accord(count, forms: str) -> str:
    """The word alone, agreed with ``count``: ``{{ n|accord:"correspond,correspondent" }}``."""
    singular, _, plural = forms.partition(",")
    return singular if int(count or 0) < 2 else plural
