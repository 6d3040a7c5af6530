"""Foundation in a real browser: unit staff see their unit's cases only, and a case's history."""

import pytest

from cases.domain.services import update_case
from tests.factories import CaseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_staff_sees_own_cases_and_opens_history(users, unit_a, unit_b, browser_login, screenshot):
    own = CaseFactory(lead_unit=unit_a, receipt_no="D2LN202107160001", complaint="甲单位辖区油烟扰民")
    other = CaseFactory(lead_unit=unit_b, receipt_no="D2LN202107160002", complaint="乙单位辖区噪声扰民")
    update_case(own, actor=users["office"], values={"handler": "王负责人"}, reason="明确具体负责人")

    page = browser_login(users["staff"].username)
    screenshot("foundation-home-staff")
    page.click("nav.mainnav >> text=信访案件")
    table = page.locator("[data-testid=case-table]")
    assert table.locator("text=D2LN202107160001").count() == 1
    assert table.locator("text=D2LN202107160002").count() == 0
    screenshot("foundation-case-list-staff")

    page.click("text=D2LN202107160001")
    history = page.locator("[data-testid=history]")
    assert "明确具体负责人" in history.inner_text()
    assert "王负责人" in history.inner_text()
    assert users["office"].display_name in history.inner_text()
    screenshot("foundation-case-detail-staff")

    # another unit's case by guessed id: the page says not found and shows nothing of it
    response = page.goto(f"{page.base_url}/cases/{other.pk}/")
    assert response.status == 404
    assert "乙单位辖区噪声扰民" not in page.content()
