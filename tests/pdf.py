"""Reading a rendered PDF back with Debian's poppler-utils, for the tests of every app's PDFs."""

import io
import subprocess
from functools import cache


def pdf_text(path) -> str:
    """The PDF's extractable text (pdftotext)."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path) -> str:
    """The PDF's font table (pdffonts): name, type, encoding, emb, sub, uni columns."""
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@cache
def tiny_pdf() -> bytes:
    """A real one-page PDF (pypdf's blank page), for tests that upload a PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
