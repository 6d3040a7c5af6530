"""Case evidence through the API: the page's upload checks and domain verb, its access check."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from api.scopes import Resource
from cases.models import Attachment
from tests.cases.helpers import png_bytes
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(unit_a):
    return CaseFactory(lead_unit=unit_a)


def _upload(tc, case, name, data, *, kind="photo", key=None, **fields):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return tc.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {"file": SimpleUploadedFile(name, data), "kind": kind, **fields},
        **extra,
    )


def test_a_png_is_uploaded_checked_listed_and_downloaded_with_the_client_in_history(users, token_for, case):
    tc = token_for(users["staff"])
    response = _upload(tc, case, "现场.png", png_bytes(), title="整改后现场", photo_stage="after")
    assert response.status_code == 201, response.content
    [row] = response.json()
    attachment = Attachment.objects.get(case=case)
    assert row["id"] == attachment.pk and row["kind_label"] == "现场照片" and row["photo_stage"] == "after"
    assert (attachment.content_type, attachment.original_name) == ("image/jpeg", "现场.png")  # re-encoded
    assert attachment.uploaded_by == users["staff"] and attachment.unit_id == case.lead_unit_id
    assert attachment.history.get().history_user == users["staff"]

    listed = tc.get(f"/api/v1/cases/{case.pk}/evidence").json()
    assert [r["id"] for r in listed] == [attachment.pk]
    download = tc.get(listed[0]["download"])
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == attachment.sha256
    assert Image.open(io.BytesIO(body)).format == "JPEG"
    assert download["X-Content-Type-Options"] == "nosniff"
    # the path with a trailing slash is the same endpoint
    assert tc.get(f"/api/v1/cases/{case.pk}/evidence/").json() == listed


def test_a_refused_file_names_the_field_in_chinese_and_saves_nothing(users, token_for, case):
    tc = token_for(users["staff"])
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    response = _upload(tc, case, "x.png", fake)
    assert response.status_code == 400
    [err] = response.json()["errors"]
    assert err == {"field": "file", "code": "refused", "message": "文件“x.png”不是有效的图片。"}
    response = _upload(tc, case, "a.html", b"<html></html>", kind="handling_material")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert "格式不受支持" in response.json()["errors"][0]["message"]
    response = tc.post(f"/api/v1/cases/{case.pk}/evidence", {"kind": "photo"})  # no file at all
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"
    assert not Attachment.objects.exists()


def test_a_retried_upload_with_the_same_key_stores_one_file(users, token_for, case):
    tc = token_for(users["staff"])
    first = _upload(tc, case, "现场.png", png_bytes(), key="up-1")
    again = _upload(tc, case, "现场.png", png_bytes(), key="up-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Attachment.objects.count() == 1
    other = _upload(tc, case, "别的.png", png_bytes(color=(0, 0, 255)), key="up-1")
    assert other.status_code == 422 and other.json()["errors"][0]["code"] == "idempotency_mismatch"
    assert Attachment.objects.count() == 1


def test_another_units_case_and_evidence_are_404(users, token_for, case, unit_b):
    tc_a = token_for(users["staff"])
    _upload(tc_a, case, "现场.png", png_bytes())
    attachment = Attachment.objects.get()
    tc_b = token_for(users["staff_b"])
    assert tc_b.get(f"/api/v1/cases/{case.pk}/evidence").status_code == 404
    assert tc_b.get(f"/api/v1/cases/{case.pk}/evidence/{attachment.pk}/file").status_code == 404
    response = _upload(tc_b, case, "现场.png", png_bytes())
    assert response.status_code == 404 and response.json()["errors"][0]["message"] == "未找到。"
    # b's own case does not open a's evidence by id either
    own = CaseFactory(lead_unit=unit_b)
    assert tc_b.get(f"/api/v1/cases/{own.pk}/evidence/{attachment.pk}/file").status_code == 404
    assert tc_a.get(f"/api/v1/cases/{case.pk}/evidence/abc/file").status_code == 404
    assert Attachment.objects.count() == 1


def test_a_read_only_token_cannot_upload_and_a_reader_role_is_refused_as_on_the_page(users, token_for, case):
    read_only = token_for(users["staff"], scopes={f"{Resource.CASES}:read"})
    response = _upload(read_only, case, "现场.png", png_bytes())
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "此令牌为只读或没有该资源的写入权限。"
    assert read_only.get(f"/api/v1/cases/{case.pk}/evidence").status_code == 200
    leader = token_for(users["leader"])  # sees every case, changes none
    response = _upload(leader, case, "现场.png", png_bytes())
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"field": None, "code": "refused", "message": "您无权修改此案件。"}
    assert not Attachment.objects.exists()


def test_the_page_serves_the_file_uploaded_through_the_api(users, token_for, case, client):
    _upload(token_for(users["staff"]), case, "现场.png", png_bytes())
    attachment = Attachment.objects.get()
    client.force_login(users["head"])
    assert client.get(f"/cases/files/{attachment.pk}/").status_code == 200
