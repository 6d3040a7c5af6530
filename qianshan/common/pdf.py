"""The one PDF renderer: an HTML template under templates/pdf/ → PDF bytes (weasyprint).

Templates use the CSS font-family "Noto Sans CJK SC" (Debian's fonts-noto-cjk), so the Chinese
text is embedded and extractable; a PDF without it would show tofu boxes.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    # weasyprint is slow to import; only the PDF views pay for it.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(filename: str, template_name: str, context: dict, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response
