"""The API's content negotiation (DRF's ``DEFAULT_CONTENT_NEGOTIATION_CLASS``)."""

from rest_framework import negotiation


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """DRF's, with the common case answered at once: no format asked in the URL, and an ``Accept`` header absent,
    ``*/*`` or ``application/json``, for a view whose first renderer is JSON (every API view): JSON, as DRF's own
    negotiation concludes after parsing the header (it ran on every answer of every student). Anything else (the
    schema's views, another Accept) goes DRF's way, 406 included."""

    _PLAIN_ACCEPTS = frozenset({None, "*/*", "application/json"})

    def select_renderer(self, request, renderers, format_suffix=None):
        if (format_suffix is None and renderers and renderers[0].media_type == "application/json"
                and not request.META.get("QUERY_STRING") and request.META.get("HTTP_ACCEPT") in self._PLAIN_ACCEPTS):
            return renderers[0], "application/json"
        return super().select_renderer(request, renderers, format_suffix)
