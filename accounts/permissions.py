"""The API side of the page gates (``accounts.middleware``): one-time password, then the Pix Orga terms."""

from rest_framework.permissions import BasePermission

from accounts.errors import PasswordChangeRequired, PixOrgaTermsNotAccepted
from accounts.selectors import user_must_accept_pix_orga_terms


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


class PixOrgaTermsAccepted(BasePermission):
    """403 PIX_ORGA_TERMS_NOT_ACCEPTED for a member of a school who has not accepted the current Pix Orga terms: the
    same rule as the pages (PixOrgaTermsMiddleware), so the students and exports are not read around /cgu.

    In DEFAULT_PERMISSION_CLASSES; what the pages leave open too (accepting the terms, ``GET me/``, choosing one's
    password, joining by invitation, one's own API keys) sets ``allowed_before_pix_orga_terms = True``.
    """

    def has_permission(self, request, view) -> bool:
        if getattr(view, "allowed_before_pix_orga_terms", False):
            return True
        if user_must_accept_pix_orga_terms(user=request.user):
            raise PixOrgaTermsNotAccepted()
        return True
