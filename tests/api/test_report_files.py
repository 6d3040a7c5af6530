"""Report files through the API: the report page's workbook and PDF, with the page's scoping."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from api.scopes import Resource
from supervision.domain.reports import build_report
from supervision.enums import ReportKind
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 1)  # a Monday: the weekly report covers 2026-05-25..31


def _sheets(content: bytes) -> dict:
    book = load_workbook(BytesIO(content))
    return {ws.title: list(ws.values) for ws in book.worksheets}


@pytest.fixture
def reports(unit_a, unit_b):
    # overdue cases and tasks of both units: each unit has a section in the daily dispatch
    for unit in (unit_a, unit_b):
        CaseFactory(lead_unit=unit, deadline=date(2026, 5, 20))
        TaskFactory(lead_unit=unit, deadline=date(2026, 5, 20))
    daily, _ = build_report(ReportKind.DAILY, day=AS_OF)
    weekly, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    return {"daily": daily, "weekly": weekly}


def test_the_office_gets_the_weekly_workbook_and_pdf(users, token_for, reports):
    tc = token_for(users["office"])
    weekly = reports["weekly"]
    response = tc.get(f"/api/v1/reports/{weekly.pk}/xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheets(response.content)["整改任务"]
    assert rows[0] == ("督察", "已完成", "按序时推进", "滞后序时", "逾期", "合计")
    assert rows[-1][0] == "合计" and rows[-1][-1] == 2  # both units' tasks
    pdf = tc.get(f"/api/v1/reports/{weekly.pk}/pdf", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    daily = _sheets(tc.get(f"/api/v1/reports/{reports['daily'].pk}/xlsx").content)
    assert {row[0] for row in daily["汇总"][1:]} == {"甲单位", "乙单位"}  # the office reads every unit


def test_a_unit_account_gets_what_its_report_page_gives_it(users, token_for, reports):
    tc = token_for(users["staff"])
    page = Client()
    page.force_login(users["staff"])
    daily = reports["daily"]
    api_book = _sheets(tc.get(f"/api/v1/reports/{daily.pk}/xlsx").content)
    page_book = _sheets(page.get(f"/supervision/reports/{daily.pk}/xlsx/").content)
    assert api_book == page_book
    units = [row[0] for row in api_book["汇总"][1:]]
    assert units and set(units) == {"甲单位"}  # unit B's sections are cut, as on the page
    assert "乙单位" not in str(api_book)
    assert tc.get(f"/api/v1/reports/{daily.pk}/pdf").content.startswith(b"%PDF")
    weekly = reports["weekly"]  # the page answers 404 for a unit account: so does the API
    assert page.get(f"/supervision/reports/{weekly.pk}/xlsx/").status_code == 404
    for suffix in ("xlsx", "pdf"):
        response = tc.get(f"/api/v1/reports/{weekly.pk}/{suffix}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["message"] == "未找到。"
    assert tc.get("/api/v1/reports/999999/xlsx").status_code == 404
    assert tc.get("/api/v1/reports/abc/pdf").status_code == 404


def test_a_token_without_the_reports_scope_gets_no_file(users, token_for, reports):
    tc = token_for(users["office"], scopes={f"{Resource.CASES}:read"})
    response = tc.get(f"/api/v1/reports/{reports['weekly'].pk}/xlsx")
    assert response.status_code == 403


def test_a_unit_account_reads_only_its_own_section_of_a_weekly_report(users, token_for, reports):
    weekly = reports["weekly"]
    data = token_for(users["staff"]).get(f"/api/v1/reports/{weekly.pk}").json()["data"]
    assert [s["unit"] for s in data["unit_sections"]] == ["甲单位"]
    assert "乙单位" not in str(data)
    office = token_for(users["office"]).get(f"/api/v1/reports/{weekly.pk}").json()["data"]
    assert "tasks" in office and "unit_sections" not in office  # the read-all roles get the whole report
