"""Secret tokens (invitation links, API keys): random, shown once, stored only as a SHA-256 digest."""

import hashlib
import secrets


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_generate() -> tuple[str, str]:
    """Return ``(raw, digest)``: the raw token goes to the user, the digest to the database."""
    raw = secrets.token_urlsafe(32)
    return raw, token_digest(raw)
