"""Project-wide pages: the French refusal of a form whose security token is missing or stale."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """Django's CSRF refusal is an English technical page: the site's 403 page says what to do instead."""
    message = ("Le formulaire a expiré ou a été envoyé depuis une autre page. Revenez en arrière, rechargez la page "
               "puis envoyez-le à nouveau. Si cela se reproduit, vérifiez que votre navigateur accepte les cookies "
               "de ce site.")
    return render(request, "403.html", {"message": message, "title": "Formulaire expiré"}, status=403)
