"""Logins shown to someone who is not their owner: enough to recognise one's own account, not to learn another's."""


def _mask(part: str) -> str:
    return f"{part[0]}***" if part else ""


def login_obfuscate(login: str) -> str:
    """``jeanne.dupont@example.net`` → ``j***@example.net``; ``jeanne.hugo2`` → ``j***.h***2`` (trailing digits kept)."""
    login = (login or "").strip()
    if not login:
        return ""
    if "@" in login:
        local, _, domain = login.rpartition("@")
        return f"{_mask(local)}@{domain}"
    digits = len(login) - len(login.rstrip("0123456789"))
    head, tail = (login[:-digits], login[-digits:]) if digits else (login, "")
    return ".".join(_mask(part) for part in head.split(".")) + tail
