"""The project's URLs plus views that fail, to see the error answers (pixorga/tests/test_errors.py)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from pixorga.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("api/v1/test-boom/", boom),
    path("test-boom", boom),
    path("test-interdit", forbidden),
    path("api/v1/test-interdit/", forbidden),
    *project_urlpatterns,
]
