import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from tests.pdf import pdf_fonts, pdf_text

from .conftest import sign_all

pytestmark = pytest.mark.django_db


def test_render_acceptance_opinion_unsigned_has_title_case_no_cjk_font_and_draft_mark(
    acceptance_form, tmp_path
):
    out = tmp_path / "a.pdf"
    call_command("render_form", "acceptance", "D2LN202107160012", str(out), stdout=io.StringIO())
    text = pdf_text(out)
    assert "验收意见" in text and "D2LN202107160012" in text and "验收组成员表" in text
    assert "草稿：签字未全" in text
    fonts = pdf_fonts(out)
    assert "NotoSansCJK" in fonts.replace("-", "") and " yes " in fonts


def test_render_review_letter_signed_has_no_draft_mark(review_form, acceptance_form, tmp_path):
    sign_all(review_form)
    out = tmp_path / "r.pdf"
    call_command("render_form", "review", "D2LN202107160012", str(out), stdout=io.StringIO())
    text = pdf_text(out)
    assert "环境信访案件验收复核责任书" in text and "D2LN202107160012" in text
    assert "草稿" not in text
    reader = PdfReader(str(out))
    font = reader.pages[0]["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in font.values()]
    assert any("Noto-Sans-CJK-SC" in n for n in names)


def test_render_summary_sheet(review_form, tmp_path):
    out = tmp_path / "s.pdf"
    call_command("render_form", "summary", "D2LN202107160012", str(out), stdout=io.StringIO())
    text = pdf_text(out)
    assert "验收复核情况事项单" in text and "D2LN202107160012" in text


def test_render_form_unknown_receipt_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="没有受理编号为 NOPE 的案件"):
        call_command("render_form", "acceptance", "NOPE", str(tmp_path / "x.pdf"))


def test_render_review_before_review_step_is_a_clear_error(acceptance_form, tmp_path):
    with pytest.raises(CommandError, match="尚无复核环节"):
        call_command("render_form", "review", "D2LN202107160012", str(tmp_path / "x.pdf"))
