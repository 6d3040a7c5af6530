"""Reading a rendered PDF back with Debian's poppler-utils, for the tests of every app's PDFs."""

import subprocess


def pdf_text(path) -> str:
    """The PDF's extractable text (pdftotext)."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path) -> str:
    """The PDF's font table (pdffonts): name, type, encoding, emb, sub, uni columns."""
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
