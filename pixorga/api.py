"""API plumbing: one error shape, ``{"code": "SOME_CODE", "detail": "…"}``, for every failure."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pixorga.errors import DomainError

_DRF_CODES = {
    exceptions.NotAuthenticated: "NOT_AUTHENTICATED",
    exceptions.AuthenticationFailed: "AUTHENTICATION_FAILED",
    exceptions.PermissionDenied: "FORBIDDEN",
    exceptions.NotFound: "NOT_FOUND",
    exceptions.MethodNotAllowed: "METHOD_NOT_ALLOWED",
    exceptions.Throttled: "TOO_MANY_REQUESTS",
    exceptions.ParseError: "PARSE_ERROR",
    exceptions.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    exceptions.NotAcceptable: "NOT_ACCEPTABLE",
}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": exc.message}, status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Introuvable.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "VALIDATION_ERROR", "detail": "Certaines informations sont invalides.",
                         "errors": exc.detail}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "ERROR")
    if code == "AUTHENTICATION_FAILED" and exc.default_code != exceptions.AuthenticationFailed.default_code:
        code = exc.default_code.upper()  # a subclass with its own code (API_KEY_EXPIRED)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        detail = "Trop de tentatives. Réessayez dans quelques minutes."
        if exc.wait:
            detail = f"Trop de tentatives. Réessayez dans {int(exc.wait) + 1} secondes."
    response.data = {"code": code, "detail": detail}
    return response


class JSONParser(parsers.JSONParser):
    """DRF's, with a French message, and a body nested deeper than Python can parse (``[`` × 2,000) refused as any
    other bad JSON (400 PARSE_ERROR) instead of a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except (exceptions.ParseError, RecursionError):
            raise exceptions.ParseError(
                "Le corps de la requête n'est pas un JSON valide (ou il est imbriqué trop profondément)."
            ) from None


@functools.cache
def error_response_schema():
    """Shared OpenAPI component for error bodies (one instance: every app's "Error" is the same component)."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer("Error", {"code": serializers.CharField(), "detail": serializers.CharField()})
