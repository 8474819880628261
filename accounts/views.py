"""Placeholder: replaced by the accounts work."""
