"""Placeholder: replaced by the organizations work (current organization, switcher)."""


def current_organization(request):
    return {}
