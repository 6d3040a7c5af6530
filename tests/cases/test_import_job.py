"""The transfer-sheet 确认导入 as a background job: a real worker writes every row in one
transaction with progress, the job page shows what was created; a failure (a new problem, or an
error while writing) names the row and column in Chinese and leaves nothing saved; one job per
double press; another user gets 404."""

import io

import pytest

import cases.domain.importing as importing
from cases.enums import ImportState
from cases.models import PetitionCase, TransferSheetImport
from notifications.domain.background import retry_job, run_job
from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob
from org.models import Unit
from tests.factories import InspectionFactory, UnitFactory
from tests.jobs import job_of, wait_for_job

from .helpers import sheet_bytes

LEAD = "千山风景区生态环境分局"


def _rows(n):
    return [
        [i + 1, f"R{i:04d}", f"第{i}件 噪声扰民", "大孤山镇", "噪声", "否", "2021-07-16", LEAD, ""]
        for i in range(n)
    ]


def _previewed(client, users, n) -> TransferSheetImport:
    UnitFactory(name="大孤山镇", kind="region")
    UnitFactory(name=LEAD)
    inspection = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    client.force_login(users["office"])
    upload = io.BytesIO(sheet_bytes(_rows(n)))
    upload.name = "第3批.xlsx"
    response = client.post("/cases/import/", {"inspection": inspection.pk, "file": upload}, follow=True)
    record = response.context["record"]
    assert record.state == ImportState.PREVIEWED and record.summary["created"] == n
    return record


@pytest.mark.worker
def test_confirm_runs_on_a_real_worker_and_shows_what_was_created(
    celery_worker_live, client, users, settings
):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 5  # 8 rows to write: a job
    record = _previewed(client, users, 8)
    page = client.get(f"/cases/import/{record.pk}/").content.decode()
    assert "data-submit-once" in page  # the button disables itself on submit
    job = job_of(client.post(f"/cases/import/{record.pk}/confirm/"))
    job = wait_for_job(job.pk)
    assert (job.state, job.total, job.processed) == (BackgroundJobState.DONE, 8, 8)
    assert PetitionCase.objects.count() == 8
    record.refresh_from_db()
    assert record.state == ImportState.CONFIRMED and record.summary["created"] == 8
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "导入完成（第3批.xlsx）：新建 8 件，更新 0 件，未变 0 件。" in page
    assert f"/cases/?inspection={record.inspection_id}" in page  # 查看结果
    assert PetitionCase.objects.first().history.first().history_user == users["office"]

    client.force_login(users["staff_b"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status.json").status_code == 404


@pytest.mark.django_db
def test_confirm_pressed_twice_is_one_job_and_small_sheets_confirm_in_the_request(client, users, settings):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 3
    record = _previewed(client, users, 4)
    first = job_of(client.post(f"/cases/import/{record.pk}/confirm/"))
    second = job_of(client.post(f"/cases/import/{record.pk}/confirm/"))
    assert first.pk == second.pk and BackgroundJob.objects.count() == 1
    assert PetitionCase.objects.count() == 0  # nothing written in the request

    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 200
    response = client.post(f"/cases/import/{record.pk}/confirm/")
    assert response["Location"].startswith("/cases/?inspection=")  # 4 rows: confirmed directly
    assert PetitionCase.objects.count() == 4


@pytest.mark.django_db
def test_confirm_job_refused_by_a_new_problem_names_row_and_column_and_saves_nothing(client, users, settings):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 1
    record = _previewed(client, users, 3)
    Unit.objects.filter(name=LEAD).update(name="已更名的分局")  # after the preview
    job = job_of(client.post(f"/cases/import/{record.pk}/confirm/"))
    assert run_job(job.pk) == BackgroundJobState.FAILED
    job.refresh_from_db()
    assert job.message.startswith("文件有错误，未导入任何内容")
    assert f"第 3 行“牵头责任单位”（{LEAD}）：“{LEAD}”与系统中任何单位的名称或别名都不匹配" in job.message
    assert PetitionCase.objects.count() == 0
    record.refresh_from_db()
    assert record.state == ImportState.PREVIEWED  # may be confirmed again once corrected
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败原因：文件有错误" in page and 'data-testid="job-retry"' in page


@pytest.mark.django_db
def test_an_error_after_every_row_was_written_leaves_nothing_saved(client, users, monkeypatch, settings):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 1
    record = _previewed(client, users, 3)
    written = []

    def fail_at_the_end(cases, **kwargs):  # the last step of the import's transaction
        written.append(PetitionCase.objects.count())
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "facts_changed", fail_at_the_end)
    job = job_of(client.post(f"/cases/import/{record.pk}/confirm/"))
    assert run_job(job.pk) == BackgroundJobState.FAILED
    job.refresh_from_db()
    assert written == [3]  # every row had been written inside the transaction ...
    assert PetitionCase.objects.count() == 0  # ... and none of them stayed
    assert "内部错误（RuntimeError）" in job.message
    record.refresh_from_db()
    assert record.state == ImportState.PREVIEWED

    monkeypatch.undo()
    assert retry_job(job, actor=users["office"]).state == BackgroundJobState.PENDING
    assert run_job(job.pk) == BackgroundJobState.DONE
    assert PetitionCase.objects.count() == 3
