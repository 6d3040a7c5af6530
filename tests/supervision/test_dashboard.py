"""The dashboard: figures, links to the filtered lists, filters, scope and constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseState
from tests.factories import CaseFactory, TaskFactory


def _items(unit_a, unit_b, n=1):
    today = timezone.localdate()
    for _ in range(n):
        CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=3))  # overdue
        CaseFactory(lead_unit=unit_b, state=CaseState.CLOSED, closed_on=today)
        TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=1))  # overdue
        TaskFactory(lead_unit=unit_b)


@pytest.mark.django_db
def test_dashboard_figures_and_overdue_link(users, unit_a, unit_b, login):
    _items(unit_a, unit_b)
    response = login(users["office"]).get(reverse("supervision:index"))
    page = response.content.decode()
    data = response.context["data"]
    assert (data["cases"]["total"], data["cases"]["overdue"], data["cases"]["completion_rate"]) == (
        2,
        1,
        50.0,
    )
    assert (data["tasks"]["total"], data["tasks"]["overdue"]) == (2, 1)
    assert 'href="/cases/?overdue=true" data-testid="fig-cases-overdue"' in page
    assert 'href="/tasks/?overdue=true" data-testid="fig-tasks-overdue"' in page
    assert page.count("<svg") == 4  # no pollution types in this fixture: that chart says 暂无数据
    assert "暂无数据" in page


@pytest.mark.django_db
def test_dashboard_filter_by_unit_narrows_figures_and_links(users, unit_a, unit_b, login):
    _items(unit_a, unit_b)
    response = login(users["leader"]).get(reverse("supervision:index"), {"unit": unit_b.pk})
    data = response.context["data"]
    assert (data["cases"]["total"], data["cases"]["overdue"], data["tasks"]["total"]) == (1, 0, 1)
    assert f'href="/cases/?unit={unit_b.pk}&amp;overdue=true"' in response.content.decode()


@pytest.mark.django_db
def test_dashboard_for_unit_staff_counts_only_own_unit(users, unit_a, unit_b, login):
    _items(unit_a, unit_b)
    data = login(users["staff_b"]).get(reverse("supervision:index")).context["data"]
    assert (data["cases"]["total"], data["tasks"]["total"]) == (1, 1)


@pytest.mark.django_db
def test_dashboard_runs_constant_queries(users, unit_a, unit_b, login, django_assert_num_queries):
    client = login(users["office"])
    _items(unit_a, unit_b)
    client.get(reverse("supervision:index"))  # warm the session
    with django_assert_num_queries(15):
        client.get(reverse("supervision:index"))
    _items(unit_a, unit_b, n=12)
    with django_assert_num_queries(15):
        client.get(reverse("supervision:index"))
