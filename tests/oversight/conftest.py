import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.domain.records import save_assignments

TODAY = date(2026, 7, 8)


def pdf_upload(name="纪要.pdf"):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def assign(users):
    """assign(unit, leader=users['leader'], starts_on=..., ends_on=None) → the assignment rows."""

    def _assign(unit, leader=None, starts_on=date(2026, 1, 1), ends_on=None):
        return save_assignments(
            actor=users["office"],
            leader=leader or users["leader"],
            units=[unit],
            starts_on=starts_on,
            ends_on=ends_on,
            duty="分管副主任",
        )

    return _assign
