"""Weekly/monthly report and daily dispatch figures against hand-counted fixtures; constant queries."""

import subprocess
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.enums import CaseState
from cases.models import CaseTransition
from notifications.models import Notification
from qianshan.common.pdf import render_pdf
from supervision.domain.reports import build_report, dispatch_data, period_of, report_data
from supervision.enums import ReportKind
from supervision.models import Report
from tests.factories import CaseFactory, InspectionFactory, MeasureFactory, MilestoneFactory, TaskFactory

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = date(2026, 6, 1)  # Monday: the weekly report covers 2026-05-25..31, the monthly May


def test_period_of_each_kind():
    assert period_of(ReportKind.DAILY, AS_OF) == (AS_OF, AS_OF)
    assert period_of(ReportKind.WEEKLY, date(2026, 6, 3)) == (date(2026, 5, 25), date(2026, 5, 31))
    assert period_of(ReportKind.MONTHLY, date(2026, 6, 1)) == (date(2026, 5, 1), date(2026, 5, 31))
    assert period_of(ReportKind.MONTHLY, date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))


def make_fixture(unit_a, unit_b, n_extra=0):
    insp = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    TaskFactory(inspection=insp, lead_unit=unit_a, status="complete", deadline=date(2026, 5, 1))
    TaskFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 12, 31))  # on schedule
    TaskFactory(inspection=insp, lead_unit=unit_b, deadline=date(2026, 5, 20), number="T-OVERDUE")
    behind = TaskFactory(inspection=insp, lead_unit=unit_b, deadline=date(2026, 12, 31), number="T-BEHIND")
    MilestoneFactory(measure=MeasureFactory(task=behind), due=date(2026, 5, 10))
    CaseFactory(inspection=insp, lead_unit=unit_a, state=CaseState.CLOSED, closed_on=date(2026, 5, 28))
    CaseFactory(inspection=insp, lead_unit=unit_a, state=CaseState.CLOSED, closed_on=date(2026, 4, 2))
    CaseFactory(
        inspection=insp, lead_unit=unit_b, is_key=True, deadline=date(2026, 5, 15), receipt_no="KEY-1"
    )
    reopened = CaseFactory(
        inspection=insp,
        lead_unit=unit_b,
        state=CaseState.REOPENED,
        penalty_cases=2,
        fine_amount=Decimal("1.50"),
    )
    move = CaseTransition.objects.create(
        case=reopened, from_state=CaseState.CLOSED, to_state=CaseState.REOPENED, reason="群众再次反映"
    )
    CaseTransition.objects.filter(pk=move.pk).update(at=datetime(2026, 5, 27, 10, tzinfo=TZ))
    for _ in range(n_extra):
        TaskFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 12, 31))
        CaseFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 12, 31), is_key=True)


@pytest.mark.django_db
def test_weekly_report_figures_match_hand_count(unit_a, unit_b):
    make_fixture(unit_a, unit_b)
    data = report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)
    assert data["tasks"]["totals"] == {"complete": 1, "on_schedule": 1, "behind": 1, "overdue": 1, "total": 4}
    assert [r["number"] for r in data["tasks"]["slow"]] == ["T-OVERDUE", "T-BEHIND"]
    [row] = data["cases"]["by_inspection"]
    assert (row["inspection"], row["total"]) == ("第二轮中央生态环境保护督察", 4)
    assert {k: v for k, v in row["states"].items() if v} == {"closed": 2, "investigating": 1, "reopened": 1}
    assert len(data["cases"]["closed"]) == 1  # only the one closed in the week
    assert [(r["receipt_no"], r["overdue"]) for r in data["cases"]["key"]] == [("KEY-1", True)]
    assert [(r["at"], r["reason"]) for r in data["cases"]["rebounds"]] == [("2026-05-27", "群众再次反映")]
    enforcement = {r["field"]: r["value"] for r in data["enforcement"]}
    assert enforcement["penalty_cases"] == 2 and enforcement["fine_amount"] == 1.5


@pytest.mark.django_db
def test_report_data_runs_constant_queries(unit_a, unit_b, django_assert_num_queries):
    make_fixture(unit_a, unit_b)
    with django_assert_num_queries(14):
        report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)
    for _ in range(15):
        TaskFactory(lead_unit=unit_a)
        CaseFactory(lead_unit=unit_b, is_key=True)
    with django_assert_num_queries(14):
        report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)


@pytest.mark.django_db
def test_dispatch_data_per_unit_and_constant_queries(unit_a, unit_b, django_assert_num_queries):
    make_fixture(unit_a, unit_b)
    with django_assert_num_queries(13):
        data = dispatch_data(AS_OF)
    sections = {s["unit"]: s["counts"] for s in data["units"]}
    assert sections["乙单位"]["overdue"] == 2  # T-OVERDUE and KEY-1
    assert data["overall"]["overdue"] == 2
    for _ in range(10):
        TaskFactory(lead_unit=unit_a, deadline=date(2026, 6, 5))
        CaseFactory(lead_unit=unit_b, deadline=date(2026, 6, 3))
    with django_assert_num_queries(13):
        data = dispatch_data(AS_OF)
    assert data["overall"]["due_soon"] == 20


@pytest.mark.django_db
def test_build_report_second_run_creates_nothing_and_notifies_once(users, unit_a, unit_b):
    make_fixture(unit_a, unit_b)
    report, created = build_report(ReportKind.DAILY, day=AS_OF)
    assert created is True
    again, created_again = build_report(ReportKind.DAILY, day=AS_OF)
    assert (again.pk, created_again) == (report.pk, False)
    notes = Notification.objects.filter(kind="daily_dispatch")
    assert sorted(n.recipient.username for n in notes) == ["head_u", "office_u"]
    assert notes.get(recipient=users["head"]).reason == "您是责任单位负责人，接收本单位的按日调度"


@pytest.mark.django_db
def test_report_pdf_and_xlsx_have_chinese_content(users, unit_a, unit_b, login, tmp_path):
    make_fixture(unit_a, unit_b)
    report, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf("pdf/supervision_report.html", {"report": report, "data": report.data}))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "千山风景区督察整改周报" in text and "2026-05-25 至 2026-05-31" in text
    assert "T-OVERDUE" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    response = login(users["office"]).get(reverse("supervision:report_xlsx", args=[report.pk]))
    book = load_workbook(BytesIO(response.content))
    rows = list(book["整改任务"].values)
    assert rows[0] == ("督察", "已完成", "按序时推进", "滞后序时", "逾期", "合计")
    assert rows[-1] == ("合计", 1, 1, 1, 1, 4)


@pytest.mark.django_db
def test_unit_user_sees_only_own_units_dispatch_and_no_weekly(users, unit_a, unit_b, login):
    make_fixture(unit_a, unit_b)
    daily, _ = build_report(ReportKind.DAILY, day=AS_OF)
    weekly, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    client = login(users["staff"])
    page = client.get(reverse("supervision:report_detail", args=[daily.pk])).content.decode()
    assert "甲单位" in page and "乙单位" not in page
    assert client.get(reverse("supervision:report_detail", args=[weekly.pk])).status_code == 404
    assert client.get(reverse("supervision:report_pdf", args=[weekly.pk])).status_code == 404
    assert Report.objects.count() == 2
