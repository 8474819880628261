"""French wording in templates: ``{% load french %}`` then ``{{ n|nombre }}``, ``{{ n|pluriel:"élève,élèves" }}``,
``{{ n|accord:"correspond,correspondent" }}`` (pixorga/french.py does the work, for Python too)."""

from django import template

from pixorga import french

register = template.Library()


@register.filter
def nombre(value) -> str:
    """2331 → « 2 331 » (narrow no-break space)."""
    return french.number(value)


@register.filter
def pluriel(count, forms: str) -> str:
    """``{{ n|pluriel:"élève,élèves" }}`` → « 0 élève », « 1 élève », « 2 331 élèves »."""
    singular, _, plural = forms.partition(",")
    return french.plural(count, singular, plural)


@register.filter
def accord(count, forms: str) -> str:
    """The word alone, agreed with ``count``: ``{{ n|accord:"correspond,correspondent" }}``."""
    singular, _, plural = forms.partition(",")
    return french.agree(count, singular, plural)
