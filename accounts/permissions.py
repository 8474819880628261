"""The API side of the one-time password gate (the pages have ``PasswordChangeRequiredMiddleware``)."""

from rest_framework.permissions import BasePermission

from accounts.errors import PasswordChangeRequired


class PasswordChosen(BasePermission):
    """403 PASSWORD_CHANGE_REQUIRED until an account with a one-time password has chosen its own.

    In DEFAULT_PERMISSION_CLASSES; a view that stays open (``POST me/password/``, ``GET me/``, revoking the key)
    sets ``allowed_before_password_change = True``.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not getattr(view, "allowed_before_password_change", False)):
            raise PasswordChangeRequired()
        return True
