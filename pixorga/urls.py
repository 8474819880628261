from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pixorga import health, webhooks

# The split view serves its script as a file: no inline script (Content-Security-Policy). Swagger UI sets inline
# styles as it draws: allowed on this page only (scripts stay locked to this site's files).
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

# The student's test first: every answer of every student resolves its URL, the others are tried after it.
api_v1 = [
    path("", include("assessments.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("organizations.api_urls")),
    path("", include("invitations.api_urls")),
    path("", include("students.api_urls")),
    path("", include("content.api_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("campaigns.results_api_urls")),
    path("", include("campaigns.join_api_urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", swagger_ui, name="api-docs"),
    # Only the configured e-mail provider's tracking webhook, with its secret (pixorga/webhooks.py).
    path("anymail/<str:esp>/tracking/", webhooks.tracking, name="anymail-tracking"),
    path("", include("accounts.urls")),
    path("", include("invitations.urls")),
    path("", include("students.urls")),
    path("", include("campaigns.urls")),
    path("", include("campaigns.results_urls")),
    path("", include("campaigns.join_urls")),
    path("", include("assessments.urls")),
    path("", include("organizations.urls")),
]

admin.site.site_header = "Administration pixorga"
admin.site.site_title = "pixorga"
