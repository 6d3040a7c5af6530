"""Gzip for HTML and JSON responses only.

A case list page is 60–120 KB of HTML that compresses about 8×; over the units' links that is the
difference that matters. Files (xlsx, pdf, images) are already compressed and are left alone,
and so are streamed downloads, so a big export never sits in a compressor.

BREACH: a compressed page that reflects user input next to a secret could leak the secret. The
CSRF token in our forms is masked afresh for every response by Django, and session ids live in
cookies (never compressed), so compressing HTML is safe here; Django's GZipMiddleware also adds
random-length padding to the gzip header (Django 4.2+, "Heal The Breach").
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/html", "application/json", "text/plain", "text/csv")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if response.streaming or content_type not in COMPRESSIBLE:
            return response
        return super().process_response(request, response)
