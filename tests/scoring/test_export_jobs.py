"""The scoring downloads (ranking .xlsx/.pdf, sheets .xlsx/.json) as background jobs: on a real
worker above the threshold, progress recorded, owner-only, one job per double press, the owner's
scope kept in the worker."""

import io
import json

import pytest
from openpyxl import load_workbook

from notifications.domain.background import run_job
from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob
from scoring.enums import SheetStatus, SheetVersion
from tests.jobs import assert_only_owner_and_office, download, job_of, wait_for_job
from tests.pdf import pdf_text

from .helpers import case_in, make_sheet


def _sheets(unit_a, unit_b):
    for n in range(3):
        make_sheet(case_in(unit_a, 2025, receipt_no=f"A-2025-{n}"), unit_a)
    make_sheet(case_in(unit_b, 2025, receipt_no="B-2025-0"), unit_b, status=SheetStatus.DRAFT)


@pytest.mark.worker
def test_every_scoring_export_runs_as_a_job_on_a_real_worker(
    celery_worker_live, client, users, unit_a, unit_b, settings, tmp_path
):
    settings.JOB_DIRECT_MAX_ROWS = settings.JOB_DIRECT_MAX_PDF_ROWS = 3  # 4 rows: a job each
    _sheets(unit_a, unit_b)
    client.force_login(users["office"])
    jobs = {
        url: job_of(client.get(f"/scoring/2025/{url}"))
        for url in ("ranking.xlsx", "ranking.pdf", "sheets.xlsx", "sheets.json")
    }
    for url, job in jobs.items():
        jobs[url] = wait_for_job(job.pk)
        assert jobs[url].state == BackgroundJobState.DONE, (url, jobs[url].message)

    # progress: units + case rows for the ranking, sheets for the sheet exports
    assert (jobs["ranking.xlsx"].total, jobs["ranking.xlsx"].processed) == (6, 6)
    assert (jobs["ranking.pdf"].total, jobs["ranking.pdf"].processed) == (6, 6)
    assert (jobs["sheets.xlsx"].total, jobs["sheets.xlsx"].processed) == (4, 4)
    assert (jobs["sheets.json"].total, jobs["sheets.json"].processed) == (4, 4)
    page = client.get(f"/jobs/{jobs['sheets.xlsx'].pk}/").content.decode()
    assert '已处理 <b data-job="processed">4</b> / 共 <b data-job="total">4</b> 份' in page

    ranking = load_workbook(io.BytesIO(download(client, jobs["ranking.xlsx"])), read_only=True)
    assert [r[1] for r in ranking["案件得分"].iter_rows(min_row=2, values_only=True)] == [
        "A-2025-0",
        "A-2025-1",
        "A-2025-2",
        "B-2025-0",
    ]
    out = tmp_path / "ranking.pdf"
    out.write_bytes(download(client, jobs["ranking.pdf"]))
    text = pdf_text(out)
    assert "2025年度信访案件办理考核结果" in text and "甲单位" in text and "A-2025-2" in text
    book = load_workbook(io.BytesIO(download(client, jobs["sheets.xlsx"])), read_only=True)
    summary = list(book["评分表"].iter_rows(values_only=True))
    assert [r[0] for r in summary[1:]] == ["A-2025-0", "A-2025-1", "A-2025-2", "B-2025-0"]
    assert summary[1][-2] == 92.25
    assert len(list(book["评分明细"].iter_rows(values_only=True))) > 4 * 10
    data = json.loads(download(client, jobs["sheets.json"]))
    assert [d["case"] for d in data] == ["A-2025-0", "A-2025-1", "A-2025-2", "B-2025-0"]

    assert_only_owner_and_office(
        client, jobs["sheets.xlsx"], users["office"], users["staff_b"], users["office"]
    )


@pytest.mark.django_db
def test_scoring_job_keeps_the_owners_scope_and_small_exports_stay_direct(
    client, users, unit_a, unit_b, settings
):
    _sheets(unit_a, unit_b)
    client.force_login(users["staff"])
    direct = client.get("/scoring/2025/sheets.xlsx")  # 3 rows < 2 000: the file itself
    assert direct.status_code == 200 and not BackgroundJob.objects.exists()

    settings.JOB_DIRECT_MAX_ROWS = 1
    job = job_of(client.get("/scoring/2025/sheets.json?version=self"))
    assert job.params == {"year": 2025, "version": SheetVersion.SELF}
    assert run_job(job.pk) == BackgroundJobState.DONE
    job.refresh_from_db()
    # the unit's staff get their own unit's sheets only, as in the direct download
    assert [d["case"] for d in json.loads(job.file.read())] == ["A-2025-0", "A-2025-1", "A-2025-2"]
    assert (job.total, job.processed) == (3, 3)
    client.force_login(users["staff_b"])
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_pressing_a_scoring_export_twice_gives_one_job(client, users):
    client.force_login(users["office"])
    first = job_of(client.post("/scoring/2025/ranking.xlsx"))
    second = job_of(client.post("/scoring/2025/ranking.xlsx"))
    assert first.pk == second.pk and BackgroundJob.objects.count() == 1
    job_of(client.post("/scoring/2024/ranking.xlsx"))  # another year is another job
    assert BackgroundJob.objects.count() == 2
