"""Report downloads (PDF and workbook) as background jobs above the thresholds: a real worker,
the file read back, progress, owner only (a unit user's dispatch stays their own in the worker),
one job per double press, small reports still answered directly."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from notifications.models import BackgroundJob
from supervision.domain.reports import build_report
from supervision.enums import ReportKind
from supervision.jobs import report_row_count
from tests.factories import CaseFactory, InspectionFactory, TaskFactory
from tests.jobs import assert_only_owner_and_office, download, job_of, wait_for_job
from tests.pdf import pdf_text

AS_OF = date(2026, 6, 1)


def _reports(unit_a, unit_b):
    insp = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    TaskFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 5, 20), number="T-A-LATE")
    TaskFactory(inspection=insp, lead_unit=unit_b, deadline=date(2026, 5, 21), number="T-B-LATE")
    CaseFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 5, 15), receipt_no="CASE-A")
    CaseFactory(inspection=insp, lead_unit=unit_b, deadline=date(2026, 5, 15), receipt_no="CASE-B")
    daily, _ = build_report(ReportKind.DAILY, day=AS_OF)
    weekly, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    return daily, weekly


@pytest.mark.worker
def test_report_pdf_and_xlsx_jobs_on_a_real_worker(
    celery_worker_live, client, users, unit_a, unit_b, settings, tmp_path
):
    settings.JOB_DIRECT_MAX_ROWS = settings.JOB_DIRECT_MAX_PDF_ROWS = 1  # every report: a job
    daily, weekly = _reports(unit_a, unit_b)
    client.force_login(users["office"])
    pdf_job = job_of(client.get(reverse("supervision:report_pdf", args=[weekly.pk])))
    xlsx_job = job_of(client.get(reverse("supervision:report_xlsx", args=[weekly.pk])))
    client.force_login(users["staff"])
    own_daily = job_of(client.get(reverse("supervision:report_pdf", args=[daily.pk])))

    pdf_job, xlsx_job, own_daily = (wait_for_job(j.pk) for j in (pdf_job, xlsx_job, own_daily))
    rows = report_row_count(weekly.data)
    assert (pdf_job.state, pdf_job.total, pdf_job.processed) == ("done", rows, rows)
    assert (xlsx_job.state, xlsx_job.total) == ("done", rows) and xlsx_job.processed > 0
    assert pdf_job.filename == "周报_2026-05-25.pdf"

    client.force_login(users["office"])
    out = tmp_path / "weekly.pdf"
    out.write_bytes(download(client, pdf_job))
    text = pdf_text(out)
    assert "千山风景区督察整改周报" in text and "T-A-LATE" in text and "T-B-LATE" in text
    book = load_workbook(io.BytesIO(download(client, xlsx_job)), read_only=True)
    assert [r[0] for r in book["滞后及逾期任务"].iter_rows(min_row=2, values_only=True)] == [
        "T-A-LATE",
        "T-B-LATE",
    ]
    # the unit user's dispatch, rendered by the worker, holds their own unit only
    client.force_login(users["staff"])
    out = tmp_path / "daily.pdf"
    out.write_bytes(download(client, own_daily))
    text = pdf_text(out)
    assert "甲单位" in text and "乙单位" not in text

    assert_only_owner_and_office(client, own_daily, users["staff"], users["staff_b"], users["office"])


@pytest.mark.django_db
def test_small_report_is_answered_directly_and_a_double_press_gives_one_job(client, users, unit_a, unit_b):
    _daily, weekly = _reports(unit_a, unit_b)
    client.force_login(users["office"])
    assert report_row_count(weekly.data) < 100  # below JOB_DIRECT_MAX_PDF_ROWS
    response = client.get(reverse("supervision:report_pdf", args=[weekly.pk]))
    assert response["Content-Type"] == "application/pdf" and not BackgroundJob.objects.exists()
    url = reverse("supervision:report_pdf", args=[weekly.pk])
    assert job_of(client.post(url)).pk == job_of(client.post(url)).pk  # 后台生成, pressed twice
    assert BackgroundJob.objects.count() == 1
    # a report the user may not read is a 404 before any job exists
    client.force_login(users["staff"])
    assert client.post(url).status_code == 404 and BackgroundJob.objects.count() == 1
