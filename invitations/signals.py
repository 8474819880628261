"""Placeholder: replaced by the invitations work (anymail tracking receiver)."""
