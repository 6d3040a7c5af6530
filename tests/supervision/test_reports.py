"""Weekly/monthly report and daily dispatch figures against hand-counted fixtures; constant queries."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.domain.rechecks import record_rebound_disposition, record_visit
from cases.enums import CaseState, RecheckResult
from cases.models import CaseTransition, ReboundEntry, RecheckDraw, RecheckVisit
from notifications.models import Notification
from qianshan.common.pdf import render_pdf
from rectification.models import ProgressReport
from supervision.domain.reports import build_report, dispatch_data, period_of, report_data
from supervision.enums import ReportKind
from supervision.models import Report
from tests.factories import CaseFactory, InspectionFactory, MeasureFactory, MilestoneFactory, TaskFactory
from tests.pdf import pdf_fonts, pdf_text

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")

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
    # Reopened after a failed acceptance: not a rebound (rebounds are the rebound ledger's entries).
    move = CaseTransition.objects.create(
        case=reopened, from_state=CaseState.CLOSED, to_state=CaseState.REOPENED, reason="验收未通过"
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
    assert data["rebounds"] == {"entries": [], "resolved": 0}
    assert data["rechecks"] == {"visited": 0, "holds": 0, "rebounded": 0, "visits": [], "draws": []}
    enforcement = {r["field"]: r["value"] for r in data["enforcement"]}
    assert enforcement["penalty_cases"] == 2 and enforcement["fine_amount"] == 1.5


def make_rechecks(office, unit_a, unit_b):
    """Re-check visits and rebounds around May 2026; the figures are counted by hand in the tests.

    May draw: R-HOLD-W holds (05-26), R-REB-W rebounded (05-28, ledger entry, disposition, not
    resolved), R-HOLD-M holds (05-10), R-PEND pending. April draw: R-APR holds (04-28). Ledger
    entries without a visit: R-OTHER found 05-05 (resolved 05-20), R-JUNE found 06-01.
    """
    insp = InspectionFactory(code="C1", name="第一轮中央生态环境保护督察")

    def closed(receipt_no, unit):
        return CaseFactory(
            inspection=insp,
            lead_unit=unit,
            receipt_no=receipt_no,
            state=CaseState.CLOSED,
            closed_on=date(2026, 1, 5),
        )

    may = RecheckDraw.objects.create(month=date(2026, 5, 1), seed=1, population_size=40, sample_size=4)
    april = RecheckDraw.objects.create(month=date(2026, 4, 1), seed=2, population_size=40, sample_size=1)
    visits = {
        no: RecheckVisit.objects.create(draw=draw, case=closed(no, unit), order=i, cycle=1)
        for i, (no, draw, unit) in enumerate(
            [
                ("R-HOLD-W", may, unit_a),
                ("R-REB-W", may, unit_b),
                ("R-HOLD-M", may, unit_a),
                ("R-PEND", may, unit_b),
                ("R-APR", april, unit_a),
            ],
            start=1,
        )
    }
    for no, on, result, notes in [
        ("R-HOLD-W", date(2026, 5, 26), RecheckResult.HOLDS, ""),
        ("R-REB-W", date(2026, 5, 28), RecheckResult.REBOUNDED, "油烟直排再现"),
        ("R-HOLD-M", date(2026, 5, 10), RecheckResult.HOLDS, ""),
        ("R-APR", date(2026, 4, 28), RecheckResult.HOLDS, ""),
    ]:
        record_visit(visits[no], actor=office, visited_on=on, visitor="李复查", result=result, notes=notes)
    record_rebound_disposition(
        ReboundEntry.objects.get(visit=visits["R-REB-W"]), actor=office, disposition="责令重新整改"
    )
    other = ReboundEntry.objects.create(
        case=closed("R-OTHER", unit_a),
        found_on=date(2026, 5, 5),
        description="群众反映异味再现",
        recorded_by=office,
    )
    record_rebound_disposition(other, actor=office, disposition="立案处罚", resolved_on=date(2026, 5, 20))
    ReboundEntry.objects.create(
        case=closed("R-JUNE", unit_b), found_on=date(2026, 6, 1), description="六月发现", recorded_by=office
    )


@pytest.mark.django_db
def test_weekly_report_rechecks_and_rebounds_match_hand_count(users, unit_a, unit_b):
    make_rechecks(users["office"], unit_a, unit_b)
    data = report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)
    r = data["rechecks"]
    assert (r["visited"], r["holds"], r["rebounded"]) == (2, 1, 1)
    assert [(v["receipt_no"], v["visited_on"], v["result_label"], v["unit"]) for v in r["visits"]] == [
        ("R-HOLD-W", "2026-05-26", "整改成效巩固", "甲单位"),
        ("R-REB-W", "2026-05-28", "反弹", "乙单位"),
    ]
    # The May draw as of the build: 2 holds (05-26, 05-10), 1 rebounded, 1 pending; April is outside.
    assert r["draws"] == [
        {"month": "2026-05", "population": 40, "sample": 4, "holds": 2, "rebounded": 1, "pending": 1}
    ]
    rb = data["rebounds"]
    assert [
        (e["receipt_no"], e["found_on"], e["source"], e["disposition"], e["resolved_on"])
        for e in rb["entries"]
    ] == [("R-REB-W", "2026-05-28", "2026-05复查回访", "责令重新整改", "")]
    assert rb["resolved"] == 0


@pytest.mark.django_db
def test_monthly_report_rechecks_and_rebounds_match_hand_count(users, unit_a, unit_b):
    make_rechecks(users["office"], unit_a, unit_b)
    data = report_data(date(2026, 5, 1), date(2026, 5, 31), as_of=AS_OF)
    r = data["rechecks"]
    assert (r["visited"], r["holds"], r["rebounded"]) == (3, 2, 1)
    assert [v["receipt_no"] for v in r["visits"]] == ["R-HOLD-M", "R-HOLD-W", "R-REB-W"]
    assert [d["month"] for d in r["draws"]] == ["2026-05"]
    rb = data["rebounds"]
    assert [(e["receipt_no"], e["source"], e["resolved_on"]) for e in rb["entries"]] == [
        ("R-OTHER", "其他途径发现", "2026-05-20"),
        ("R-REB-W", "2026-05复查回访", ""),
    ]
    assert rb["resolved"] == 1


@pytest.mark.django_db
def test_rechecks_shown_in_page_xlsx_and_pdf(users, unit_a, unit_b, login, tmp_path):
    make_rechecks(users["office"], unit_a, unit_b)
    report, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    client = login(users["office"])
    page = client.get(reverse("supervision:report_detail", args=[report.pk])).content.decode()
    assert (
        "本期复查回访 2 件，其中整改成效巩固 1 件、发现反弹 1 件；本期反弹台账新增 1 件，已处置完成 0 件。"
        in page
    )
    assert "R-HOLD-W" in page and "油烟直排再现" in page and "责令重新整改" in page
    book = load_workbook(BytesIO(client.get(reverse("supervision:report_xlsx", args=[report.pk])).content))
    assert list(book["复查回访"].values) == [
        ("项目", "件数"),
        ("本期回访", 2),
        ("整改成效巩固", 1),
        ("发现反弹", 1),
        ("本期新增反弹", 1),
        ("反弹已处置完成", 0),
    ]
    assert list(book["回访抽样"].values)[1] == ("2026-05", 40, 4, 2, 1, 1)
    visits = list(book["回访结果"].values)
    assert [row[0] for row in visits[1:]] == ["R-HOLD-W", "R-REB-W"]
    assert visits[2][4] == datetime(2026, 5, 28) and visits[2][6] == "反弹"
    rebounds = list(book["反弹问题"].values)
    assert rebounds[1][:5] == (
        "R-REB-W",
        "第一轮中央生态环境保护督察",
        "乙单位",
        datetime(2026, 5, 28),
        "2026-05复查回访",
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf("pdf/supervision_report.html", {"report": report, "data": report.data}))
    text = pdf_text(path)
    assert "四、复查回访与问题反弹" in text
    assert "R-REB-W" in text and "R-HOLD-W" in text and "2026-05复查回访" in text


@pytest.mark.django_db
def test_report_data_runs_constant_queries(users, unit_a, unit_b, django_assert_num_queries):
    make_fixture(unit_a, unit_b)
    make_rechecks(users["office"], unit_a, unit_b)
    with django_assert_num_queries(14):
        report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)
    draw = RecheckDraw.objects.get(month=date(2026, 5, 1))
    for i in range(15):
        TaskFactory(lead_unit=unit_a)
        CaseFactory(lead_unit=unit_b, is_key=True)
        visit = RecheckVisit.objects.create(
            draw=draw, case=CaseFactory(lead_unit=unit_a, state=CaseState.CLOSED), order=10 + i, cycle=1
        )
        record_visit(
            visit,
            actor=users["office"],
            visited_on=date(2026, 5, 27),
            visitor="李复查",
            result=RecheckResult.REBOUNDED if i % 2 else RecheckResult.HOLDS,
            notes="反弹",
        )
    with django_assert_num_queries(14):
        data = report_data(date(2026, 5, 25), date(2026, 5, 31), as_of=AS_OF)
    assert (data["rechecks"]["visited"], len(data["rebounds"]["entries"])) == (17, 8)


@pytest.mark.django_db
def test_dispatch_data_per_unit_and_constant_queries(unit_a, unit_b, django_assert_num_queries):
    make_fixture(unit_a, unit_b)
    with django_assert_num_queries(11):
        data = dispatch_data(AS_OF)
    sections = {s["unit"]: s["counts"] for s in data["units"]}
    assert sections["乙单位"]["overdue"] == 2  # T-OVERDUE and KEY-1
    assert data["overall"]["overdue"] == 2
    for _ in range(10):
        TaskFactory(lead_unit=unit_a, deadline=date(2026, 6, 5))
        CaseFactory(lead_unit=unit_b, deadline=date(2026, 6, 3))
    with django_assert_num_queries(11):
        data = dispatch_data(AS_OF)
    assert data["overall"]["due_soon"] == 20


@pytest.mark.django_db
def test_dispatch_no_progress_means_no_progress_report_in_7_days(unit_a):
    """无进展 is rectification's definition: no ProgressReport since day − 7 (the task list's 停滞)."""

    def task(number, reported_on=None, **kw):
        t = TaskFactory(lead_unit=unit_a, number=number, deadline=date(2026, 12, 31), **kw)
        if reported_on:
            ProgressReport.objects.create(task=t, reported_on=reported_on, text="进展", percent=50)
        return t

    fresh = task("T-FRESH", date(2026, 5, 29))
    task("T-EDGE", date(2026, 5, 25))  # exactly 7 days before: still counts as progress
    task("T-STALE", date(2026, 5, 24))
    MeasureFactory(task=task("T-NEVER"))  # a measure edited lately is not a progress report
    task("T-DONE", status="closed")
    # T-FRESH's report was filed yesterday (2026-05-31): that is a change of yesterday.
    ProgressReport.history.filter(task_id=fresh.pk).update(history_date=datetime(2026, 5, 31, 16, tzinfo=TZ))
    data = dispatch_data(AS_OF)
    [section] = data["units"]
    assert (section["tasks"]["no_progress"], section["tasks"]["changed"]) == (2, 1)
    assert [(r["number"], r["situation"]) for r in data["items"]["no_progress"]] == [
        ("T-STALE", "最近进展报告 2026-05-24"),
        ("T-NEVER", "尚无进展报告"),
    ]
    assert [r["number"] for r in data["items"]["changed"]] == ["T-FRESH"]


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
    text = pdf_text(path)
    assert "千山风景区督察整改周报" in text and "2026-05-25 至 2026-05-31" in text
    assert "T-OVERDUE" in text
    fonts = pdf_fonts(path)
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
    # the weekly report opens at the unit's own section only (tests/supervision/test_report_units.py)
    own = reverse("supervision:report_unit", args=[weekly.pk, unit_a.pk])
    assert client.get(reverse("supervision:report_detail", args=[weekly.pk]))["Location"] == own
    assert client.get(reverse("supervision:report_pdf", args=[weekly.pk])).status_code == 404
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_unit_user_gets_own_units_totals_not_the_districts(users, unit_a, unit_b, login):
    make_fixture(unit_a, unit_b)
    for _ in range(3):
        CaseFactory(lead_unit=unit_a, deadline=date(2026, 6, 3))  # due soon in unit A
    daily, _ = build_report(ReportKind.DAILY, day=AS_OF)
    assert daily.data["overall"] == {"changed": 0, "due_soon": 3, "overdue": 2, "no_progress": 3}
    staff = login(users["staff"]).get(reverse("supervision:report_detail", args=[daily.pk]))
    assert staff.context["report"].data["overall"] == {
        "changed": 0,
        "due_soon": 3,
        "overdue": 0,
        "no_progress": 1,
    }
    assert "本单位合计" in staff.content.decode() and "总体情况" not in staff.content.decode()
    book = load_workbook(
        BytesIO(login(users["staff"]).get(reverse("supervision:report_xlsx", args=[daily.pk])).content)
    )
    assert [row[0] for row in book["汇总"].values][1:] == ["甲单位"]
    office = login(users["office"]).get(reverse("supervision:report_detail", args=[daily.pk]))
    assert office.context["report"].data["overall"] == daily.data["overall"]
    assert "总体情况" in office.content.decode()
