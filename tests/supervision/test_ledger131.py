"""The “131” ledger: one workbook of every task and case with responsibility, standard, deadline,
status, every chain date and grade/score — read back with openpyxl; scoped; constant queries; big
ones through the background job. And the task export's status, completion and grade columns."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.enums import CaseState
from cases.models import CaseTransition
from notifications.domain.background import run_job, start_job
from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob
from rectification.enums import TaskStatus, TaskStep
from rectification.exporters import EXPORT_COLUMNS
from rectification.models import AnnualTarget, TaskStepRecord
from supervision.ledger131 import DATE_COLUMNS, HEADERS, ledger_rows
from tests.factories import CaseFactory, InspectionFactory, MeasureFactory, TaskFactory


def _book(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _items(unit_a, unit_b, extra=0):
    today = timezone.localdate()
    insp = InspectionFactory(code="C2")
    filed = TaskFactory(
        inspection=insp,
        lead_unit=unit_a,
        number="T-FILED",
        contact_phone="0412-5550001",
        status=TaskStatus.FILED,
        cooperating_units=[unit_b],
    )
    MeasureFactory(task=filed, done=True, done_on=today - timedelta(days=30))
    AnnualTarget.objects.create(task=filed, year=today.year, target="达标", reached=True)
    now = timezone.now()
    steps = [
        (TaskStep.COMPLETE, 20),
        (TaskStep.ACCEPT, 15),
        (TaskStep.PUBLICIZE, 12),
        (TaskStep.CLOSE, 5),
        (TaskStep.FILE, 2),
    ]
    for step, days_ago in steps:
        TaskStepRecord.objects.create(
            task=filed,
            step=step,
            from_status=TaskStatus.IN_PROGRESS,
            to_status=TaskStatus.FILED,
            at=now - timedelta(days=days_ago),
            on_date=today - timedelta(days=days_ago),
        )
    TaskFactory(inspection=insp, lead_unit=unit_b, number="T-LATE", deadline=today - timedelta(days=3))
    case = CaseFactory(
        inspection=insp,
        lead_unit=unit_a,
        receipt_no="X-FILED",
        state=CaseState.FILED,
        handler="王经办",
        handler_phone="13800000001",
        standard="群众认可",
        deadline=today - timedelta(days=40),
        publicity_started_on=today - timedelta(days=9),
        closed_on=today - timedelta(days=3),
    )
    for state in (CaseState.COMPLETED, CaseState.ACCEPTED, CaseState.REVIEWED, CaseState.FILED):
        CaseTransition.objects.create(case=case, from_state=CaseState.RECTIFYING, to_state=state)
    CaseFactory(inspection=insp, lead_unit=unit_b, receipt_no="X-OPEN", deadline=today - timedelta(days=1))
    for i in range(extra):
        TaskFactory(inspection=insp, lead_unit=unit_a, number=f"T-X{i}", cooperating_units=[unit_b])
        CaseFactory(inspection=insp, lead_unit=unit_a, receipt_no=f"X-X{i}")
    return today


@pytest.mark.django_db
def test_ledger_read_back_has_every_item_column_and_real_dates(users, unit_a, unit_b, login):
    today = _items(unit_a, unit_b)
    response = login(users["office"]).get(reverse("supervision:ledger_131"))
    assert response.status_code == 200
    rows = _book(response.content)
    assert list(rows[0]) == HEADERS
    for name in (
        "责任单位",
        "责任人",
        "联系电话",
        "整改标准",
        "整改时限",
        "当前状态",
        "验收日期",
        "复核日期",
        "公示日期",
        "销号日期",
        "备案日期",
        "考核等次或得分",
    ):
        assert name in rows[0]
    body = [dict(zip(HEADERS, r, strict=True)) for r in rows[1:]]
    assert len(body) == 4  # one row per item: 2 tasks + 2 cases
    assert [r["序号"] for r in body] == [1, 2, 3, 4]
    by_no = {r["编号"]: r for r in body}
    task = by_no["T-FILED"]
    assert (task["类别"], task["责任单位"], task["配合单位"], task["联系电话"]) == (
        "整改任务",
        "甲单位",
        "乙单位",
        "0412-5550001",
    )
    assert task["当前状态"] == "已备案" and task["完成情况"].startswith("措施完成 1/1")
    assert task["考核等次或得分"] == f"{today.year}年度 优秀"
    for column, days_ago in zip(
        ("完成（办结）日期", "验收日期", "公示日期", "销号日期", "备案日期"), (20, 15, 12, 5, 2), strict=True
    ):
        assert isinstance(task[column], datetime) and task[column].date() == today - timedelta(days=days_ago)
    assert task["复核日期"] in (None, "")
    case = by_no["X-FILED"]
    assert (case["类别"], case["责任人"], case["联系电话"], case["整改标准"]) == (
        "信访案件",
        "王经办",
        "13800000001",
        "群众认可",
    )
    assert case["整改时限"].date() == today - timedelta(days=40)
    for column in ("完成（办结）日期", "验收日期", "复核日期", "备案日期"):
        assert case[column].date() == today
    assert case["公示日期"].date() == today - timedelta(days=9) and case[
        "销号日期"
    ].date() == today - timedelta(days=3)
    assert case["考核等次或得分"] == "未评分"
    assert by_no["T-LATE"]["是否逾期"] == "是" and by_no["X-OPEN"]["是否逾期"] == "是"
    assert set(DATE_COLUMNS) <= set(HEADERS)


@pytest.mark.django_db
def test_ledger_is_scoped_to_the_users_units(users, unit_a, unit_b, login):
    _items(unit_a, unit_b)
    rows = _book(login(users["staff_b"]).get(reverse("supervision:ledger_131")).content)
    # unit B leads T-LATE and X-OPEN and cooperates on T-FILED
    assert sorted(r[2] for r in rows[1:]) == ["T-FILED", "T-LATE", "X-OPEN"]


@pytest.mark.django_db
def test_ledger_queries_do_not_grow_with_rows(users, unit_a, unit_b):
    _items(unit_a, unit_b)
    list(ledger_rows(users["office"]))  # the user's roles are read once and cached
    with CaptureQueriesContext(connection) as few:
        assert len(list(ledger_rows(users["office"]))) == 4
    insp = InspectionFactory(code="MORE")
    for i in range(30):
        TaskFactory(inspection=insp, lead_unit=unit_a, cooperating_units=[unit_b])
        CaseFactory(inspection=insp, lead_unit=unit_b, receipt_no=f"M-{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(list(ledger_rows(users["office"]))) == 64
    assert len(many) == len(few) <= 8


@pytest.mark.django_db
def test_big_ledger_goes_through_the_background_job(users, unit_a, unit_b, login, settings):
    _items(unit_a, unit_b)
    settings.JOB_DIRECT_MAX_ROWS = 3
    client = login(users["office"])
    response = client.get(reverse("supervision:ledger_131"))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "ledger_131"
    assert run_job(job.pk) == BackgroundJobState.DONE
    job.refresh_from_db()
    assert (job.total, job.processed) == (4, 4)
    rows = _book(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content))
    assert list(rows[0]) == HEADERS and len(rows) == 5
    # pressing twice before the worker runs gives one job (the machinery's dedupe)
    first, _ = start_job("ledger_131", owner=users["office"], params={})
    second, created = start_job("ledger_131", owner=users["office"], params={})
    assert second == first and not created


@pytest.mark.django_db
def test_task_export_has_status_completion_and_grade(users, unit_a, unit_b, login):
    today = _items(unit_a, unit_b)
    rows = _book(login(users["office"]).get(reverse("rectification:export")).content)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    head = list(rows[0])
    by_no = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    filed, late = by_no["T-FILED"], by_no["T-LATE"]
    assert (filed["任务状态"], filed["序时进度"], filed["年度等次"]) == (
        "已备案",
        "已完成",
        f"{today.year}年度 优秀",
    )
    assert filed["完成情况"] == "措施完成 1/1"
    assert (late["任务状态"], late["序时进度"], late["完成情况"]) == ("整改中", "逾期", "措施完成 0/0")
    assert late["年度等次"].startswith(f"{today.year}年度 未评定")
    assert isinstance(filed["整改时限"], datetime) and date.today()
