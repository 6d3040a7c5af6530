"""The dashboard: figures, links to the filtered lists, filters, scope and constant queries."""

import datetime as dt
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseState
from cases.models import CaseTransition
from supervision.domain.dashboard import dashboard_data
from tests.factories import CaseFactory, MeasureFactory, MilestoneFactory, TaskFactory


def _items(unit_a, unit_b, n=1):
    today = timezone.localdate()
    for _ in range(n):
        CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=3))  # overdue
        CaseFactory(lead_unit=unit_b, state=CaseState.CLOSED, closed_on=today)
        TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=1))  # overdue
        # On schedule, with a measure and a milestone so every prefetch of the status runs.
        MilestoneFactory(
            measure=MeasureFactory(task=TaskFactory(lead_unit=unit_b)), due=today + timedelta(days=9)
        )


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


@pytest.mark.django_db
def test_dashboard_task_status_and_grades_are_rectifications(users, unit_a, login):
    """Schedule status and this year's grade come from rectification.domain.queries."""
    today = timezone.localdate()

    def task(reached, done, *, target=True):
        t = TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=30))
        if target:
            t.annual_targets.create(year=today.year, target="达标", reached=reached)
        MilestoneFactory(
            measure=MeasureFactory(task=t, done=done, done_on=today if done else None),
            due=today + timedelta(days=9),
        )
        return t

    task(True, True)  # all measures done, target reached: 优秀, and 已完成 although not closed out
    task(True, False)  # on schedule, target reached: 良好
    task(False, False)  # target not reached: 不合格
    task(None, False)  # target not yet assessed: 未评定
    task(None, False, target=False)  # no target this year: 未评定
    response = login(users["office"]).get(reverse("supervision:index"))
    t = response.context["data"]["tasks"]
    assert (t["total"], t["complete"], t["on_schedule"]) == (5, 1, 4)
    assert t["grades"] == [
        ("excellent", "优秀", 1),
        ("good", "良好", 1),
        ("pass", "合格", 0),
        ("fail", "不合格", 1),
        ("none", "未评定", 2),
    ]
    page = response.content.decode()
    client = login(users["office"])
    for value, _, n in t["grades"]:
        assert f'href="/tasks/?grade={value}"' in page
        assert client.get("/tasks/", {"grade": value}).context["total"] == n


@pytest.mark.django_db
def test_case_filter_transferred_and_closed_ranges_are_inclusive(users, unit_a, login):
    for day in (date(2026, 5, 3), date(2026, 5, 4), date(2026, 5, 10), date(2026, 5, 11)):
        CaseFactory(lead_unit=unit_a, transferred_on=day, receipt_no=f"T{day:%d}")
        CaseFactory(lead_unit=unit_a, state=CaseState.CLOSED, closed_on=day, receipt_no=f"C{day:%d}")
    client = login(users["office"])
    week = {"transferred_from": "2026-05-04", "transferred_to": "2026-05-10"}
    page = client.get("/cases/", week)
    assert sorted(c.receipt_no for c in page.context["page"].object_list) == ["T04", "T10"]
    closed = client.get("/cases/", {"closed_from": "2026-05-04", "closed_to": "2026-05-10"})
    assert sorted(c.receipt_no for c in closed.context["page"].object_list) == ["C04", "C10"]
    assert client.get("/cases/", {"transferred_from": "2026-05-32"}).status_code == 200  # bad date: ignored


@pytest.mark.django_db
def test_dashboard_week_bars_link_to_exact_case_lists(users, unit_a, unit_b, login):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for day in (monday, monday + timedelta(days=6), monday - timedelta(days=1)):
        CaseFactory(lead_unit=unit_a, transferred_on=day)
        CaseFactory(lead_unit=unit_b, state=CaseState.CLOSED, closed_on=day, transferred_on=date(2020, 1, 1))
    client = login(users["office"])
    response = client.get(reverse("supervision:index"), {"unit": unit_a.pk})
    data, page = response.context["data"], response.content.decode()
    assert (data["new_per_week"][-2:], data["closed_per_week"][-2:]) == ([1, 2], [0, 0])
    for i, start in enumerate(data["week_starts"][-2:], start=len(data["weeks"]) - 2):
        query = {"unit": unit_a.pk, "transferred_from": start.isoformat()}
        query["transferred_to"] = (start + timedelta(days=6)).isoformat()
        href = "/cases/?" + "&amp;".join(f"{k}={v}" for k, v in query.items())
        assert f'href="{href}"' in page
        assert client.get("/cases/", query).context["total"] == data["new_per_week"][i]
    data = client.get(reverse("supervision:index")).context["data"]
    assert data["closed_per_week"][-2:] == [1, 2]
    start = data["week_starts"][-1]
    closed = {"closed_from": start.isoformat(), "closed_to": (start + timedelta(days=6)).isoformat()}
    assert client.get("/cases/", closed).context["total"] == 2


@pytest.mark.django_db
def test_overdue_trend_counts_a_case_closed_at_0730_shanghai_on_its_local_day(users, unit_a):
    """Closed at 07:30 Shanghai = 23:30 UTC the day before: still overdue on the Shanghai day."""
    day = date(2026, 7, 8)
    case = CaseFactory(lead_unit=unit_a, state=CaseState.CLOSED, deadline=day - timedelta(days=3))
    with time_machine.travel("2026-07-08 07:30:00+08:00", tick=False):
        done = CaseTransition.objects.create(case=case, from_state="publicized", to_state="closed")
    assert done.at.astimezone(dt.UTC).date() == date(2026, 7, 7)
    assert timezone.localdate(done.at) == day
    data = dashboard_data(users["office"], today=day)
    # The last week's point is judged at today: the case was still open when the day began.
    assert data["overdue_trend"][-1] == 1
    assert data["overdue_trend"][-2] == 1  # and at the end of the week before (deadline 07-05)
