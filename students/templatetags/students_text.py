"""The French wording filters under their first name: the same ``nombre``, ``pluriel`` and ``accord`` as
``{% load french %}`` (pixorga/templatetags/french.py)."""

from pixorga.templatetags.french import register  # noqa: F401  (one library, two names)
