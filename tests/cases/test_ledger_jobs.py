"""The ledger export as a background job: real worker, progress, owner-only download, one job per
double press, failure in Chinese with retry, expired files deleted."""

import io
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from cases.exporters import LEDGER_HEADERS
from notifications.domain.background import purge_expired, run_job, start_job
from notifications.enums import BackgroundJobState, NotificationKind
from notifications.models import BackgroundJob, Notification
from tests.factories import InspectionFactory, UnitFactory

from .helpers import bulk_cases


def _wait_until_finished(job_id: int, seconds: float = 60) -> BackgroundJob:
    """Wait for the worker (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = BackgroundJob.objects.get(pk=job_id)
        if job.state not in (BackgroundJobState.PENDING, BackgroundJobState.RUNNING):
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish: {BackgroundJob.objects.get(pk=job_id).state}")


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


@pytest.mark.worker
def test_ledger_job_runs_on_real_worker_with_progress_and_owner_only_download(
    celery_worker_live, client, users, unit_a
):
    inspection = InspectionFactory()
    bulk_cases(2100, inspection=inspection, lead_unit=unit_a, cooperating=UnitFactory(name="丙单位"))
    client.force_login(users["staff"])
    response = client.get("/cases/export.xlsx?sort=-receipt_no")  # 2 100 ≥ 2 000: a job, not a file
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"

    job = _wait_until_finished(job.pk)
    assert (job.state, job.total, job.processed, job.attempts) == (BackgroundJobState.DONE, 2100, 2100, 1)
    assert job.expires_at > timezone.now() and Path(default_storage.path(job.file.name)).exists()
    note = Notification.objects.get(recipient=users["staff"], kind=NotificationKind.JOB_DONE)
    assert note.link == f"/jobs/{job.pk}/download/"

    page = client.get(f"/jobs/{job.pk}/")
    assert (
        '已处理 <b data-job="processed">2100</b> / 共 <b data-job="total">2100</b> 行'
        in page.content.decode()
    )
    status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert (status["state"], status["percent"], status["download"]) == ("done", 100, True)

    download = client.get(f"/jobs/{job.pk}/download/")
    rows = _rows(b"".join(download.streaming_content))
    assert rows[0] == tuple(LEDGER_HEADERS) and len(rows) == 2101
    # the list's sort (?sort=-receipt_no) holds in the file
    assert rows[1][1] == "Q0002099" and rows[-1][1] == "Q0000000"
    assert "filename*=UTF-8''" in download["Content-Disposition"]

    # another unit's staff: 404 on every job URL; the office may download it
    client.force_login(users["staff_b"])
    for url in ("", "status.json", "download/"):
        assert client.get(f"/jobs/{job.pk}/{url}").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    client.force_login(users["office"])
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200


@pytest.mark.django_db
def test_pressing_export_twice_gives_one_job(client, users):
    client.force_login(users["office"])
    first = client.post("/cases/export.xlsx?state=rectifying", {"state": "rectifying"})
    second = client.post("/cases/export.xlsx?state=rectifying", {"state": "rectifying"})
    job = BackgroundJob.objects.get()
    assert first["Location"] == second["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"query": "state=rectifying"} and job.state == BackgroundJobState.PENDING
    # other filters are another job
    client.post("/cases/export.xlsx", {"state": "closed"})
    assert BackgroundJob.objects.count() == 2


@pytest.mark.django_db
def test_small_list_still_downloads_directly(client, users, unit_a):
    bulk_cases(3, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory())
    client.force_login(users["office"])
    response = client.get("/cases/export.xlsx")
    assert len(_rows(response.content)) == 4 and not BackgroundJob.objects.exists()


@pytest.mark.django_db
def test_failed_job_says_why_in_chinese_and_can_be_retried(client, users, unit_a):
    client.force_login(users["office"])
    # the list page refuses a bad filter before any job exists ...
    response = client.post("/cases/export.xlsx", {"batch": "x"})
    assert response.status_code == 302 and not BackgroundJob.objects.exists()
    # ... so make one whose parameters no longer hold (as when a filtered inspection is deleted)
    job, _ = start_job("case_ledger", owner=users["office"], params={"query": "batch=x"})
    # an id rolled back by an earlier test may have left its file in this job's folder
    shutil.rmtree(default_storage.path(f"jobs/{job.pk}"), ignore_errors=True)
    assert run_job(job.pk) == BackgroundJobState.FAILED
    job.refresh_from_db()
    assert job.message == "筛选条件有误（交办批次：输入一个数字。），请返回列表修改后重新导出。"
    assert not list(Path(default_storage.path(f"jobs/{job.pk}")).glob("*"))  # no half file left
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败原因：筛选条件有误" in page and 'data-testid="job-retry"' in page
    assert Notification.objects.get(kind=NotificationKind.JOB_FAILED).body == job.message

    assert client.post(f"/jobs/{job.pk}/retry/")["Location"] == f"/jobs/{job.pk}/"
    client.post(f"/jobs/{job.pk}/retry/")  # a second press changes nothing
    job.refresh_from_db()
    assert (job.state, job.message, BackgroundJob.objects.count()) == (BackgroundJobState.PENDING, "", 1)
    # a job already claimed is never run twice
    assert run_job(job.pk) == BackgroundJobState.FAILED  # same bad filter, second attempt
    assert run_job(job.pk) == BackgroundJobState.FAILED
    job.refresh_from_db()
    assert job.attempts == 2


@pytest.mark.django_db
def test_expired_file_is_deleted_and_download_says_so(client, users, unit_a):
    bulk_cases(5, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory())
    client.force_login(users["office"])
    client.post("/cases/export.xlsx", {})
    job = BackgroundJob.objects.get()
    assert run_job(job.pk) == BackgroundJobState.DONE
    job.refresh_from_db()
    path = Path(default_storage.path(job.file.name))
    assert path.exists() and (job.total, job.processed) == (5, 5)

    assert purge_expired(now=job.expires_at - timedelta(minutes=1)) == 0  # not yet
    assert path.exists()
    assert purge_expired(now=job.expires_at + timedelta(seconds=1)) == 1
    assert not path.exists()
    job.refresh_from_db()
    assert (job.state, job.file.name) == (BackgroundJobState.EXPIRED, "")
    gone = client.get(f"/jobs/{job.pk}/download/")
    assert gone.status_code == 410 and "文件已过期并被删除" in gone.content.decode()
    assert purge_expired(now=timezone.now() + timedelta(days=2)) == 0  # nothing twice


@pytest.mark.django_db
def test_job_left_running_by_a_dead_worker_is_failed_with_a_reason(users):
    job = BackgroundJob.objects.create(
        owner=users["office"], kind="case_ledger", title="信访案件台账导出", dedupe_key="k", params={}
    )
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=BackgroundJobState.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )
    purge_expired()
    job.refresh_from_db()
    assert job.state == BackgroundJobState.FAILED and "后台服务曾重启" in job.message
