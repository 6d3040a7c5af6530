"""Evidence: checked by content, re-encoded, hashed, served only through the access check."""

import hashlib
import io

import pytest
from PIL import Image

from cases.domain.archive import archive_catalogue, photo_pairs
from cases.domain.errors import DomainError
from cases.domain.evidence import Upload, add_attachments, add_progress
from cases.enums import AttachmentKind, PhotoStage
from cases.models import Attachment, ProgressEntry
from tests.factories import CaseFactory
from tests.pdf import tiny_pdf

from .helpers import png_bytes

PDF = tiny_pdf()


@pytest.fixture
def case(db, unit_a):
    return CaseFactory(lead_unit=unit_a)


def test_photo_is_decoded_reencoded_and_hashed(case, users):
    [a] = add_attachments(case, [Upload("现场.png", png_bytes(), AttachmentKind.PHOTO)], actor=users["staff"])
    stored = a.file.read()
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert (a.content_type, a.extension, a.size) == ("image/jpeg", ".jpg", len(stored))
    assert a.sha256 == hashlib.sha256(stored).hexdigest()
    assert a.unit_id == case.lead_unit_id and a.original_name == "现场.png"


def test_html_with_png_header_is_refused(case, users):
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    with pytest.raises(DomainError, match="不是有效的图片"):
        add_attachments(case, [Upload("x.png", fake, AttachmentKind.PHOTO)], actor=users["staff"])
    assert Attachment.objects.count() == 0


def test_pdf_accepted_and_fake_pdf_refused(case, users):
    [a] = add_attachments(case, [Upload("笔录.pdf", PDF, AttachmentKind.SITE_RECORD)], actor=users["staff"])
    assert (a.content_type, a.kind) == ("application/pdf", AttachmentKind.SITE_RECORD)
    with pytest.raises(DomainError, match="不是完整的 PDF"):
        add_attachments(
            case, [Upload("坏.pdf", b"%PDF-1.4 truncated", AttachmentKind.SITE_RECORD)], actor=users["staff"]
        )
    with pytest.raises(DomainError, match="格式不受支持"):
        add_attachments(
            case, [Upload("a.html", b"<html></html>", AttachmentKind.HANDLING_MATERIAL)], actor=users["staff"]
        )


def test_photo_kind_must_be_an_image(case, users):
    with pytest.raises(DomainError, match="不是有效的图片"):
        add_attachments(case, [Upload("照片.pdf", PDF, AttachmentKind.PHOTO)], actor=users["staff"])


def test_size_limit(case, users, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(DomainError, match=r"文件“大\.pdf”超过大小限制（100 字节）"):
        add_attachments(
            case, [Upload("大.pdf", PDF + b" " * 200, AttachmentKind.OTHER)], actor=users["staff"]
        )


def test_one_bad_file_saves_none(case, users):
    uploads = [
        Upload("好.png", png_bytes(), AttachmentKind.PHOTO),
        Upload("坏.png", b"nope", AttachmentKind.PHOTO),
    ]
    with pytest.raises(DomainError):
        add_attachments(case, uploads, actor=users["staff"])
    assert Attachment.objects.count() == 0


def test_other_unit_cannot_add_evidence(case, users):
    with pytest.raises(DomainError, match="您无权修改此案件"):
        add_attachments(case, [Upload("a.png", png_bytes(), AttachmentKind.PHOTO)], actor=users["staff_b"])


def test_progress_with_photo(case, users):
    entry = add_progress(
        case,
        actor=users["staff"],
        happened_on=case.transferred_on,
        text="已现场核查",
        uploads=[Upload("p.png", png_bytes(), AttachmentKind.PHOTO)],
    )
    assert ProgressEntry.objects.get().text == "已现场核查"
    assert entry.attachments.get().kind == AttachmentKind.PHOTO


def test_file_served_only_to_who_may_see_the_case(client, case, users):
    [a] = add_attachments(case, [Upload("a.png", png_bytes(), AttachmentKind.PHOTO)], actor=users["staff"])
    client.force_login(users["staff"])
    response = client.get(f"/cases/files/{a.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == a.file.open("rb").read()
    client.force_login(users["staff_b"])
    assert client.get(f"/cases/files/{a.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/cases/files/{a.pk}/").status_code == 302


def test_catalogue_and_before_after_pairs(case, users):
    add_attachments(
        case,
        [
            Upload("前.png", png_bytes(), AttachmentKind.PHOTO, PhotoStage.BEFORE, "1号点位"),
            Upload("后.png", png_bytes((0, 200, 0)), AttachmentKind.PHOTO, PhotoStage.AFTER, "1号点位"),
            Upload("笔录.pdf", PDF, AttachmentKind.SITE_RECORD),
        ],
        actor=users["staff"],
    )
    catalogue = archive_catalogue(case)
    assert catalogue.missing == ["交办通知", "办理材料", "群众认可材料"]
    assert [(u.has_handling_materials, u.has_site_records_and_photos) for u in catalogue.units] == [
        (False, True)
    ]
    [(label, before, after)] = photo_pairs(case)
    assert (label, [a.original_name for a in before], [a.original_name for a in after]) == (
        "1号点位",
        ["前.png"],
        ["后.png"],
    )


def test_upload_view_keeps_what_was_typed_when_refused(client, case, users):
    client.force_login(users["staff"])
    fake = io.BytesIO(b"GIF89a<script>")
    fake.name = "x.gif"
    response = client.post(
        f"/cases/{case.pk}/progress/",
        {
            "happened_on": "2021-07-20",
            "text": "我写的进展",
            "files": fake,
            "kind": "photo",
            "photo_stage": "none",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "文件“x.gif”不是有效的图片。" in body and "我写的进展" in body
    assert ProgressEntry.objects.count() == 0


def test_upload_view_stores_the_file_from_the_case_page_form(client, case, users):
    client.force_login(users["staff"])
    photo = io.BytesIO(png_bytes())
    photo.name = "现场.png"
    response = client.post(
        f"/cases/{case.pk}/attachments/",
        {"att-file": photo, "att-kind": "photo", "att-photo_stage": "none", "att-title": "现场照片"},
    )
    assert response.status_code == 302
    stored = Attachment.objects.get(case=case)
    assert (
        stored.kind == AttachmentKind.PHOTO
        and stored.sha256 == hashlib.sha256(stored.file.read()).hexdigest()
    )


def test_upload_view_refuses_a_renamed_text_file(client, case, users):
    client.force_login(users["staff"])
    fake = io.BytesIO(b"just text, not a picture")
    fake.name = "伪装.png"
    response = client.post(
        f"/cases/{case.pk}/attachments/",
        {"att-file": fake, "att-kind": "photo", "att-photo_stage": "none"},
    )
    assert response.status_code == 400
    assert "伪装.png" in response.content.decode()
    assert Attachment.objects.filter(case=case).count() == 0


def test_progress_dated_today_saves_and_tomorrow_is_refused(case, users):
    from datetime import date

    today = date(2021, 8, 10)
    add_progress(case, actor=users["staff"], happened_on=today, text="今天的进展", today=today)
    with pytest.raises(DomainError) as refused:
        add_progress(
            case,
            actor=users["staff"],
            happened_on=date(2021, 8, 11),
            text="明天的进展",
            uploads=[Upload("p.png", png_bytes(), AttachmentKind.PHOTO)],
            today=today,
        )
    assert (refused.value.message, refused.value.field) == ("进展日期不能晚于今天。", "happened_on")
    assert list(ProgressEntry.objects.values_list("text", flat=True)) == ["今天的进展"]
    assert Attachment.objects.count() == 0


def test_progress_view_refuses_a_future_date_and_keeps_the_text(client, case, users):
    client.force_login(users["staff"])
    response = client.post(
        f"/cases/{case.pk}/progress/",
        {"happened_on": "2099-01-01", "text": "未来的进展", "kind": "photo", "photo_stage": "none"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "进展日期不能晚于今天。" in body and "未来的进展" in body
    assert ProgressEntry.objects.count() == 0
