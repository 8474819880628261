import re

from django.core.exceptions import ValidationError


class PixPasswordValidator:
    """At least one upper-case letter, one lower-case letter and one digit (length is checked by Django's own)."""

    message = "Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre."

    def validate(self, password, user=None):
        if not (re.search(r"[A-ZÀ-Þ]", password) and re.search(r"[a-zß-ÿ]", password) and re.search(r"\d", password)):
            raise ValidationError(self.message, code="password_too_weak")

    def get_help_text(self):
        return "8 caractères minimum, dont une majuscule, une minuscule et un chiffre."
