"""qianshan.common.uploads: the content decides the type; images re-encoded, PDFs and Office files checked whole."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qianshan.common import uploads
from qianshan.common.errors import DomainError
from tests.pdf import tiny_pdf

PDF = tiny_pdf()
IMAGES_AND_PDF = {uploads.IMAGE, uploads.PDF}


def refusal(check, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as refused:
        check(*args, **kwargs)
    return refused.value


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (41.0, 6.0, 0.0)}  # GPS IFD: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims width × height (a decompression bomb's header)."""
    data = bytearray(png_bytes())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def office_zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def test_check_file_jpeg_reencoded_without_exif_and_hashed():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    checked = uploads.check_file("现场.jpg", original)
    stored = Image.open(io.BytesIO(checked.data))
    assert (checked.kind, checked.content_type, checked.extension) == ("image", "image/jpeg", ".jpg")
    assert (stored.format, stored.size, dict(stored.getexif())) == ("JPEG", (40, 30), {})
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert checked.stored_name == checked.sha256 + ".jpg"
    assert checked.content().read() == checked.data


def test_check_file_html_after_png_header_is_refused_with_the_name():
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    assert refusal(uploads.check_file, "x.png", fake).message == "文件“x.png”不是有效的图片。"


def test_check_file_polyglot_png_loses_what_follows_the_pixels():
    checked = uploads.check_file("a.png", png_bytes() + b"<script>alert(1)</script>")
    assert checked.kind == "image" and b"<script>" not in checked.data


def test_check_file_image_whose_header_claims_too_many_pixels_is_refused_before_decoding():
    assert (
        refusal(uploads.check_file, "大.png", png_claiming(8000, 8000)).message
        == "图片“大.png”像素过大（8000×8000），最多 60 百万像素。"
    )


def test_check_file_pdf_needs_start_and_end_marks():
    checked = uploads.check_file("笔录.pdf", PDF)
    assert (checked.kind, checked.data, checked.extension) == ("pdf", PDF, ".pdf")
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (
        refusal(uploads.check_file, "坏.pdf", b"%PDF-1.4 truncated").message
        == "文件“坏.pdf”不是完整的 PDF 文件。"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # marks right, no document inside
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n",  # no page
        PDF[:200] + b"\x00" * 200 + b"\n%%EOF\n",  # a real start, garbage after
    ],
    ids=["html-wrapped", "empty-objects", "no-pages", "garbled"],
)
def test_check_file_pdf_must_parse_as_a_pdf(data):
    assert (
        refusal(uploads.check_file, "报告.pdf", data).message
        == "文件“报告.pdf”不是有效的 PDF 文件，无法读取，请上传可正常打开的 PDF。"
    )


def test_check_file_office_zip_with_content_types_is_word_or_excel():
    docx = uploads.check_file("方案.docx", office_zip("[Content_Types].xml", "word/document.xml"))
    xlsx = uploads.check_file("台账.xlsx", office_zip("[Content_Types].xml", "xl/workbook.xml"))
    assert (docx.kind, docx.extension, xlsx.extension) == ("office", ".docx", ".xlsx")
    assert (
        refusal(uploads.check_file, "a.docx", office_zip("word/document.xml")).message
        == "文件“a.docx”不是 Word 或 Excel 文件。"
    )
    assert (
        refusal(uploads.check_file, "b.xlsx", b"PK\x03\x04 not really a zip").message
        == "文件“b.xlsx”已损坏，无法作为 Word 或 Excel 文件打开。"
    )


def test_check_file_allowed_kinds_name_what_may_be_uploaded():
    docx = office_zip("[Content_Types].xml", "word/document.xml")
    assert (
        refusal(uploads.check_file, "方案.docx", docx, allowed=IMAGES_AND_PDF).message
        == "文件“方案.docx”的格式不受支持：请上传图片（JPG/PNG）或 PDF 文件。"
    )
    assert (
        refusal(uploads.check_file, "a.html", b"<html></html>").message
        == "文件“a.html”的格式不受支持：请上传图片（JPG/PNG）、PDF 文件或 Word/Excel 文件。"
    )
    assert (
        refusal(uploads.check_file, "照片.pdf", PDF, allowed={uploads.IMAGE}).message
        == "文件“照片.pdf”不是有效的图片。"
    )


def test_check_file_size_limit_from_settings_and_empty_file(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    assert (
        refusal(uploads.check_file, "大.pdf", PDF + b" " * (2 * 1024 * 1024)).message
        == "文件“大.pdf”超过大小限制（2 MB），请压缩后再上传。"
    )
    assert refusal(uploads.check_file, "空.pdf", b"").message == "文件“空.pdf”是空文件。"


def test_check_uploads_refuses_by_size_before_reading_and_counts_files(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("C:\\照片\\大.png", b"x" * 2048)
    refused = refusal(uploads.check_uploads, [big], field="files")
    assert refused.message == "文件“大.png”超过大小限制（1 KB），请压缩后再上传。"
    assert refused.field == "files" and big.tell() == 0
    assert (
        refusal(
            uploads.check_uploads, [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(3)], max_files=2
        ).message
        == "一次最多上传 2 个文件。"
    )
    [checked] = uploads.check_uploads([SimpleUploadedFile("/tmp/../笔录.pdf", PDF)])
    assert checked.name == "笔录.pdf"
