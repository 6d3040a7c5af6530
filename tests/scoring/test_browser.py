"""In a real browser: a unit assessor changes a prefilled item with a reason and submits; the
reviewer sees that item highlighted beside the case record, then reviews it."""

from datetime import date

import pytest

from org.enums import LeaderLevel
from scoring.enums import SheetStatus, SheetVersion
from scoring.models import ScoringSheet
from tests.factories import CaseFactory

PATH = "territorial[0].case_leader"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_assessor_changes_prefilled_item_and_reviewer_sees_it_highlighted(
    users, unit_a, page, browser_login, screenshot
):
    case = CaseFactory(
        lead_unit=unit_a,
        receipt_no="D2LN202507010001",
        complaint="甲单位辖区石材厂粉尘扰民",
        deadline=date(2025, 6, 30),
        case_leader="王镇长",
        case_leader_level=LeaderLevel.PRINCIPAL,
        handler="李负责人",
        points_resolved=True,
    )
    browser_login(users["staff"].username)
    page.goto(f"{page.base_url}/scoring/?year=2025")
    page.locator("[data-testid=todo] >> text=开始自评").click()
    page.wait_for_url("**/edit/")
    row = page.locator(f'tr[data-path="{PATH}"]')
    assert "案件记录：包案领导 王镇长（主要领导）" in row.inner_text()
    reason = row.locator("input.reason")
    assert not reason.is_visible()
    before = page.locator("#sheet-total").inner_text()
    screenshot("scoring-1-prefilled-sheet")

    row.locator("select").select_option("deputy")
    assert reason.is_visible()
    # The running total comes from the server's scoring module: one point less for a deputy.
    page.wait_for_function(
        "before => document.querySelector('#sheet-total').textContent.trim() !== before", arg=before
    )
    assert float(page.locator("#sheet-total").inner_text()) == pytest.approx(float(before) - 1)

    # Submitting without the reason is refused with a message naming the item.
    page.click("[data-testid=submit-sheet]")
    assert "已修改预填值，请填写修改理由" in page.locator(f'tr[data-path="{PATH}"]').inner_text()
    page.locator(f'tr[data-path="{PATH}"] input.reason').fill("包案领导实为分管副镇长")
    screenshot("scoring-2-changed-with-reason")
    page.click("[data-testid=submit-sheet]")
    page.wait_for_url("**/sheets/*/")
    own = ScoringSheet.objects.get(case=case, version=SheetVersion.SELF)
    assert own.status == SheetStatus.SUBMITTED
    assert own.reasons == {PATH: "包案领导实为分管副镇长"}

    page.click("form[action='/logout/'] button")
    browser_login(users["reviewer"].username)
    page.goto(f"{page.base_url}/scoring/sheets/{own.pk}/")
    highlighted = page.locator("[data-testid=compare] td.diff")
    assert highlighted.count() == 1
    assert highlighted.first.inner_text() == "分管领导"
    changed_row = page.locator(f'[data-testid=compare] tr[data-path="{PATH}"]')
    assert "包案领导实为分管副镇长" in changed_row.inner_text()
    assert "主要领导" in changed_row.inner_text()
    screenshot("scoring-3-reviewer-sees-highlight")

    page.click("[data-testid=start-review]")
    page.wait_for_url("**/edit/")
    review_row = page.locator(f'tr[data-path="{PATH}"]')
    assert review_row.locator("td.self-cell.diff").count() == 1
    # The reviewer changes another item; that row is marked as differing from the self-assessment.
    other = page.locator('tr[data-path="plan_reviewed"]')
    assert "diff" not in (other.get_attribute("class") or "")
    other.locator("select").select_option("1")
    other.locator("input.reason").fill("经核实方案已由监管部门签字盖章")
    assert "diff" in other.get_attribute("class")
    page.wait_for_function("() => document.querySelector('#sheet-total').textContent.trim() === '33.00'")
    screenshot("scoring-4-review-form")
    page.click("[data-testid=submit-sheet]")
    page.wait_for_url("**/sheets/*/")
    review = ScoringSheet.objects.get(case=case, version=SheetVersion.REVIEW)
    assert review.status == SheetStatus.SUBMITTED
    assert review.data["plan_reviewed"] is True
    assert page.locator("[data-testid=compare] td.review-cell.diff").count() == 1
    screenshot("scoring-5-review-side-by-side")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_office_sees_ranking_with_override_last_and_unit_page(
    users, unit_a, unit_b, page, browser_login, screenshot
):
    from datetime import date

    from scoring.domain.records import record_event

    from .helpers import case_in, make_sheet

    make_sheet(case_in(unit_a, 2025, receipt_no="A-2025-1"), unit_a)
    make_sheet(case_in(unit_b, 2025, receipt_no="B-2025-1"), unit_b, plan_reviewed=False)
    record_event(
        unit=unit_a,
        year=2025,
        kind="exposed",
        occurred_on=date(2025, 5, 1),
        description="被重要媒体曝光",
        evidence_url="https://example.invalid/news/2",
        actor=users["office"],
    )
    browser_login(users["office"].username)
    page.goto(f"{page.base_url}/scoring/?year=2025")
    rows = page.locator("[data-testid=ranking] tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:4] == ["1", "乙单位", "良好", "86.25"]
    assert "不合格" in rows.nth(1).inner_text()
    screenshot("scoring-6-ranking")
    page.click("[data-testid=ranking] >> text=甲单位")
    assert page.locator("[data-testid=unit-average]").inner_text() == "92.25"
    assert page.locator("[data-testid=unit-rank]").inner_text() == "2"
    screenshot("scoring-7-unit-assessment")
