"""The office delivers the monthly report (报送 record with the PDF's SHA-256 shown); a unit user
opens their own section of it from the notification."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.domain.reports import build_report
from supervision.enums import ReportKind
from supervision.models import ReportDelivery
from tests.factories import CaseFactory, TaskFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_office_delivers_monthly_report_and_unit_opens_its_section(
    users, unit_a, unit_b, browser_login, screenshot
):
    today = timezone.localdate()
    TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=40), number="甲-逾期-1")
    CaseFactory(lead_unit=unit_b, deadline=today - timedelta(days=9), receipt_no="乙-逾期-1")
    report, _ = build_report(ReportKind.MONTHLY, day=today)

    page = browser_login(users["office"].username)
    page.goto(f"{page.base_url}/supervision/reports/{report.pk}/")
    page.click("#deliveries a:has-text('登记报送')")
    page.wait_for_url("**/deliver/")
    form = page.locator("[data-testid=delivery-form]")
    for name in ("市委", "市政府", "市督改办"):  # the plan's three readers are ticked already
        assert form.locator(f"input[name=recipients][value={name}]").is_checked()
    page.fill("#id_method", "机要交换")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=delivery-sha256]")
    delivery = ReportDelivery.objects.get()
    shown = page.locator("[data-testid=delivery-sha256]").inner_text().strip()
    assert shown == delivery.sha256 == hashlib.sha256(delivery.file.read()).hexdigest()
    assert "市委、市政府、市督改办" in page.locator("[data-testid=deliveries]").inner_text()
    screenshot("report-delivered")

    page.context.clear_cookies()
    page = browser_login(users["staff"].username)
    page.goto(page.base_url + "/notifications/")
    page.click(f"text={report.get_kind_display()}（{report.period_label}）：甲单位")
    page.wait_for_selector("[data-testid=unit-section]")
    assert page.url.endswith(f"/supervision/reports/{report.pk}/units/{unit_a.pk}/")
    section = page.locator("[data-testid=unit-section]").inner_text()
    assert "甲-逾期-1" in section and "乙-逾期-1" not in section
    screenshot("report-unit-section")
