"""The documentation pages, from the vendored sidecar package.

Redoc's bundle shows a "by Redocly" logo loaded from their CDN; the page's Content-Security-Policy
lets it load nothing from elsewhere, so the documentation never reaches outside the server.
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

SAME_ORIGIN_ONLY = (
    "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'"
)


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = SAME_ORIGIN_ONLY
        return response
