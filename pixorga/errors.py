"""Domain errors shared by every app.

A service raises a subclass with a stable ``code``; HTML views show ``message`` (French, says what to do next);
the API answers ``{"code": ..., "detail": ...}`` with ``http_status``.
"""


class DomainError(Exception):
    code: str = "ERROR"
    http_status: int = 400
    default_message: str = "La demande n'a pas pu aboutir."

    def __init__(self, message: str | None = None, *, code: str | None = None, http_status: int | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status
        super().__init__(self.message)


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    default_message = "Cette page n'existe pas ou vous n'y avez pas accès."


class Forbidden(DomainError):
    code = "FORBIDDEN"
    http_status = 403
    default_message = "Cette action est réservée aux administrateurs de l'organisation."


class Conflict(DomainError):
    code = "CONFLICT"
    http_status = 409


class Gone(DomainError):
    code = "GONE"
    http_status = 410


class RateLimited(DomainError):
    code = "TOO_MANY_REQUESTS"
    http_status = 429
    default_message = "Trop de tentatives. Réessayez dans quelques minutes."
