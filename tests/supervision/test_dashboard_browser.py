"""The office opens the dashboard, clicks the overdue figure and lands on the filtered list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.enums import CaseState
from cases.models import PollutionType
from supervision.domain.warnings import sweep_warnings
from tests.factories import CaseFactory, MeasureFactory, MilestoneFactory, TaskFactory, UnitFactory

STATES = [
    CaseState.INVESTIGATING,
    CaseState.RECTIFYING,
    CaseState.COMPLETED,
    CaseState.ACCEPTED,
    CaseState.CLOSED,
    CaseState.CLOSED,
    CaseState.RECTIFYING,
]


def _demo_like_data(unit_a, unit_b):
    today = timezone.localdate()
    units = [unit_a, unit_b, UnitFactory(name="综合执法局"), UnitFactory(name="自然资源分局")]
    types = [
        PollutionType.objects.get_or_create(name=name, defaults={"code": code})[0]
        for code, name in [
            ("air", "大气"),
            ("water", "水"),
            ("noise", "噪声"),
            ("waste", "固废"),
            ("fume", "油烟"),
        ]
    ]
    n = 0
    for u_index, unit in enumerate(units):
        for k in range(6 - u_index):
            state = STATES[(n + u_index) % len(STATES)]
            case = CaseFactory(
                lead_unit=unit,
                state=state,
                transferred_on=today - timedelta(days=7 * (n % 11) + 1),
                deadline=today + timedelta(days=(n % 5) * 9 - 12),
                closed_on=today - timedelta(days=7 * (n % 6)) if state == CaseState.CLOSED else None,
                is_key=k == 0,
            )
            case.pollution_types.set(types[n % len(types) : n % len(types) + 1 + n % 2])
            n += 1
        for k in range(3):
            task = TaskFactory(lead_unit=unit, deadline=today + timedelta(days=40 * k - 20 + u_index * 10))
            measure = MeasureFactory(task=task, done=k == 2)
            MilestoneFactory(
                measure=measure, due=today - timedelta(days=5), done_on=None if k == 1 else today
            )
    sweep_warnings(today=today)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_office_clicks_overdue_figure_and_lands_on_filtered_list(
    users, unit_a, unit_b, browser_login, screenshot
):
    _demo_like_data(unit_a, unit_b)
    page = browser_login(users["office"].username)
    page.click("nav.mainnav >> text=调度督办")
    page.wait_for_selector("[data-testid=fig-cases-overdue]")
    assert page.locator("svg.chart").count() == 5
    screenshot("supervision-dashboard")

    overdue_shown = int(page.locator("[data-testid=fig-cases-overdue] .num").inner_text())
    page.click("[data-testid=fig-cases-overdue]")
    page.wait_for_url("**/cases/?overdue=true")
    rows = page.locator("[data-testid=case-table] tbody tr")
    assert overdue_shown > 0
    assert rows.count() == overdue_shown
    screenshot("supervision-dashboard-overdue-cases")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_office_filters_dashboard_by_unit(users, unit_a, unit_b, browser_login, screenshot):
    _demo_like_data(unit_a, unit_b)
    page = browser_login(users["office"].username)
    page.goto(page.base_url + "/supervision/")
    page.select_option("select[name=unit]", label="乙单位")
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    page.wait_for_url(f"**/supervision/?*unit={unit_b.pk}*")
    assert page.locator("[data-testid=fig-cases-total] .num").inner_text() == "5"
    page.click("[data-testid=fig-tasks-overdue]")
    page.wait_for_url(f"**/tasks/?unit={unit_b.pk}&overdue=true")
