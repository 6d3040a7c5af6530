"""The 整改清单 upload as a background job for a big file: a real worker saves every task in one
transaction with progress; the job page shows what was created, or every problem by row and column
with nothing saved; one job per double press; the upload is kept for a retry and then deleted."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

import rectification.domain.imports as imports
from notifications.domain.background import purge_expired, run_job
from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob
from rectification.exporters import COLUMNS
from rectification.models import Measure, RectificationTask
from tests.factories import InspectionFactory
from tests.jobs import job_of, wait_for_job

from .test_import_export import row, xlsx


def _file(n_tasks, **last):
    rows = [row(f"R2-{i:02d}") for i in range(1, n_tasks)] + [row(f"R2-{n_tasks:02d}", **last)]
    upload = xlsx([COLUMNS, *rows])
    upload.name = "整改清单.xlsx"
    return upload


def _post(client, inspection, upload):
    return client.post("/tasks/import/", {"inspection": inspection.pk, "file": upload})


@pytest.mark.worker
def test_big_task_list_is_imported_by_a_real_worker(celery_worker_live, client, users, settings):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 5  # title + header + 6 rows: a job
    inspection = InspectionFactory(code="C2")
    client.force_login(users["office"])
    job = job_of(_post(client, inspection, _file(6)))
    upload = job.params["upload"]
    job = wait_for_job(job.pk)
    assert (job.state, job.total, job.processed) == (BackgroundJobState.DONE, 6, 6)
    assert RectificationTask.objects.filter(inspection=inspection).count() == 6
    assert Measure.objects.count() == 6
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "导入完成：新建任务 6 项，更新 0 项，未变 0 项；新建措施 6 项，更新 0 项。" in page
    assert f"/tasks/?inspection={inspection.pk}" in page
    assert not default_storage.exists(upload)  # the upload is not kept after success
    client.force_login(users["staff_b"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_refused_task_list_job_lists_each_row_and_saves_nothing(client, users, settings):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 5
    inspection = InspectionFactory(code="C2")
    client.force_login(users["office"])
    job = job_of(_post(client, inspection, _file(6, 牵头单位="不存在的局")))
    assert run_job(job.pk) == BackgroundJobState.FAILED
    job.refresh_from_db()
    assert job.message.startswith("导入失败，未保存任何数据：")
    assert "第8行“牵头单位”：找不到单位“不存在的局”" in job.message
    assert RectificationTask.objects.count() == 0
    # the upload stays for a retry, then the hourly purge deletes it with the expired files
    upload = job.params["upload"]
    assert default_storage.exists(upload)
    purge_expired(now=timezone.now() + timedelta(hours=settings.JOB_FILE_TTL_HOURS + 1))
    assert not default_storage.exists(upload)
    job.refresh_from_db()
    assert job.params["upload"] == ""


@pytest.mark.django_db
def test_a_failure_while_saving_the_last_task_leaves_none_saved(client, users, settings, monkeypatch):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 5
    inspection = InspectionFactory(code="C2")
    client.force_login(users["office"])
    real_save, saved = imports._save_task, []

    def save_then_fail_on_the_last(inspection, number, group, result, actor):
        real_save(inspection, number, group, result, actor)
        saved.append(number)
        if len(saved) == 6:
            raise RuntimeError("connection lost")

    monkeypatch.setattr(imports, "_save_task", save_then_fail_on_the_last)
    job = job_of(_post(client, inspection, _file(6)))
    assert run_job(job.pk) == BackgroundJobState.FAILED
    assert len(saved) == 6 and RectificationTask.objects.count() == 0 and Measure.objects.count() == 0


@pytest.mark.django_db
def test_same_file_pressed_twice_is_one_job_and_a_small_file_imports_directly(client, users, settings):
    inspection = InspectionFactory(code="C2")
    client.force_login(users["office"])
    page = client.get("/tasks/import/").content.decode()
    assert "data-submit-once" in page
    response = _post(client, inspection, _file(2))  # 4 rows < 200: imported in the request
    assert response.status_code == 200 and "导入完成：新建任务 2 项" in response.content.decode()
    assert not BackgroundJob.objects.exists()

    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 3
    content = _file(3).getvalue()  # one workbook: openpyxl stamps the time into each new one

    def same_file():
        upload = io.BytesIO(content)
        upload.name = "整改清单.xlsx"
        return upload

    first, second = (job_of(_post(client, inspection, same_file())) for _ in range(2))
    assert first.pk == second.pk and BackgroundJob.objects.count() == 1
    assert Path(default_storage.path(first.params["upload"])).exists()
