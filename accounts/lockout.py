"""What django-axes counts failed log-ins against (``AXES_USERNAME_CALLABLE``): one key per account.

A person may type their e-mail or their username, in any case: failures on ``Lena.Cote1503``, ``lena.cote1503``
and the account's e-mail all count against the same lockout, and a success (or a new password) lifts it. A login
that matches no account is counted as typed (lower-cased), so guessing stays limited whether the account exists
or not, and the answer is the same either way.
"""

from django.conf import settings

from accounts.models import User, login_is_email, normalize_login


def lockout_key(request, credentials: dict | None = None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "data", request.POST).get(field)
    login = normalize_login(typed if isinstance(typed, str) else "")
    if not login:
        return login
    column = "email" if login_is_email(login) else "username"
    account = User.objects.filter(**{column: login}).only("email", "username").first()
    return account.login if account else login
