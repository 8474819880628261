import re

from django.core.exceptions import ValidationError

# Every path that sets or checks a password caps it here (forms, API, validators): hashing a megabyte with Argon2
# is a way to tie up a server, and no person types more.
PASSWORD_MAX_LENGTH = 128


class PixPasswordValidator:
    """At least one upper-case letter, one lower-case letter and one digit (length is checked by Django's own)."""

    message = "Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre."

    def validate(self, password, user=None):
        if not (re.search(r"[A-ZÀ-Þ]", password) and re.search(r"[a-zß-ÿ]", password) and re.search(r"\d", password)):
            raise ValidationError(self.message, code="password_too_weak")

    def get_help_text(self):
        return "8 caractères minimum, dont une majuscule, une minuscule et un chiffre."


class PasswordMaxLengthValidator:
    """At most ``PASSWORD_MAX_LENGTH`` characters (sign-up, reset, choosing one's own, the API)."""

    message = f"Le mot de passe ne doit pas dépasser {PASSWORD_MAX_LENGTH} caractères."

    def validate(self, password, user=None):
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(self.message, code="password_too_long")

    def get_help_text(self):
        return self.message
