"""Field capture: several photos per progress entry, each with its EXIF taken-at time and GPS
position stored and shown beside it; a refused upload keeps what was typed and saves nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.enums import CaseState
from cases.models import Attachment, ProgressEntry
from qianshan.common.exif import photo_facts
from rectification.models import Attachment as TaskAttachment
from tests.factories import CaseFactory, TaskFactory

from .photos import jpeg_with_exif, noisy_png

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_photo_facts_read_taken_at_and_gps():
    facts = photo_facts(jpeg_with_exif())
    assert facts.taken_at == datetime(2026, 11, 28, 14, 3, 5, tzinfo=SHANGHAI)
    assert (facts.latitude, facts.longitude) == (Decimal("41.091667"), Decimal("122.970000"))


def test_photo_facts_use_the_cameras_offset_and_ignore_what_is_missing_or_wrong():
    facts = photo_facts(jpeg_with_exif(offset="+09:00", lat=None))
    assert facts.taken_at.utcoffset().total_seconds() == 9 * 3600
    assert facts.latitude is None and facts.longitude is None
    assert photo_facts(jpeg_with_exif(taken="not a date", lat=(95, 0, 0))).taken_at is None
    assert photo_facts(jpeg_with_exif(lat=(95, 0, 0))).latitude is None  # out of range
    assert photo_facts(b"not an image").taken_at is None


def _photo(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.django_db
def test_progress_entry_takes_several_photos_with_their_facts(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=CaseState.RECTIFYING)
    client.force_login(users["staff"])
    response = client.post(
        reverse("cases:progress", args=[case.pk]),
        {
            "happened_on": timezone.localdate().isoformat(),
            "text": "现场已清理完毕",
            "kind": "photo",
            "photo_stage": "after",
            "pair_label": "东侧",
            "files": [
                _photo("a.jpg", jpeg_with_exif()),
                _photo("b.jpg", jpeg_with_exif(taken="2026:11:27 09:00:00", lat=None)),
            ],
        },
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(case=case)
    files = list(Attachment.objects.filter(progress=entry).order_by("original_name"))
    assert [f.original_name for f in files] == ["a.jpg", "b.jpg"]
    assert files[0].latitude == Decimal("41.091667") and files[1].latitude is None
    assert files[1].taken_at == datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
    # The stored file itself carries no EXIF (re-encoded); the facts live beside it.
    with files[0].file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    assert files[0].history.first().history_user == users["staff"]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "拍摄于 2026-11-28 14:03" in page and "纬度 41.091667，经度 122.970000" in page
    assert "拍摄于 2026-11-27 09:00" in page


@pytest.mark.django_db
def test_refused_photo_keeps_the_text_and_saves_nothing(client, users, unit_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 100_000
    case = CaseFactory(lead_unit=unit_a, state=CaseState.RECTIFYING)
    client.force_login(users["staff"])
    response = client.post(
        reverse("cases:progress", args=[case.pk]),
        {
            "happened_on": timezone.localdate().isoformat(),
            "text": "已拆除违建并复绿",
            "kind": "photo",
            "photo_stage": "after",
            "pair_label": "",
            "is_temporary": "on",
            "files": [
                _photo("big.png", noisy_png(400, 300), "image/png"),
                _photo("ok.jpg", jpeg_with_exif()),
            ],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'action="/cases/%d/progress/#progress-form"' % case.pk in page
    assert '<div class="error" data-field="files">文件“big.png”超过大小限制' in page
    assert "已拆除违建并复绿</textarea>" in page
    assert 'id="id_is_temporary" checked' in page
    assert '<option value="after" selected>' in page
    assert not ProgressEntry.objects.filter(case=case).exists()
    assert not Attachment.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_task_progress_photo_keeps_its_facts(client, users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    response = client.post(
        reverse("rectification:progress", args=[task.pk]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "percent": "40",
            "text": "完成一半",
            "files": [_photo("site.jpg", jpeg_with_exif())],
        },
    )
    assert response.status_code == 302
    stored = TaskAttachment.objects.get(progress_report__task=task)
    assert stored.taken_at == datetime(2026, 11, 28, 14, 3, 5, tzinfo=SHANGHAI)
    assert "纬度 41.091667" in client.get(reverse("rectification:detail", args=[task.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_every_file_of_existing_progress_entries():
    """Entries saved before the photo facts existed keep all their files (no facts, nothing lost)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    after = next(k for k in graph.nodes if k[0] == "cases" and k[1].endswith("_attachment_photo_facts"))
    before = next(p.key for p in graph.node_map[after].parents if p.key[0] == "cases")
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    case = CaseFactory()
    entry = old.get_model("cases", "ProgressEntry").objects.create(
        case_id=case.pk, happened_on=timezone.localdate(), text="旧进展"
    )
    OldAttachment = old.get_model("cases", "Attachment")
    for n in range(2):
        OldAttachment.objects.create(
            case_id=case.pk,
            progress_id=entry.pk,
            kind="photo",
            file=f"evidence/aa/old{n}.jpg",
            original_name=f"old{n}.jpg",
            content_type="image/jpeg",
            extension=".jpg",
            size=10,
            sha256="a" * 64,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    files = Attachment.objects.filter(progress_id=entry.pk).order_by("original_name")
    assert [(f.file.name, f.taken_at, f.latitude) for f in files] == [
        ("evidence/aa/old0.jpg", None, None),
        ("evidence/aa/old1.jpg", None, None),
    ]
