"""The dashboard: figures, links to the filtered lists, filters, scope and constant queries."""

import datetime as dt
from datetime import date, timedelta
from functools import partial

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseState
from cases.models import CaseTransition
from supervision.domain.dashboard import dashboard_data
from tests.factories import CaseFactory, MeasureFactory, MilestoneFactory, TaskFactory

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")


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
@pytest.mark.parametrize(("who", "queries"), [("office", 17), ("staff", 18)])
def test_dashboard_runs_constant_queries(
    who, queries, users, unit_a, unit_b, login, django_assert_num_queries
):
    """Session and user (3; a unit user +1 for their units, +1 for the cases their units cooperate on), unread
    notifications, the filter's two choice lists, then each over only the rows it needs: unit × state, unit names,
    open cases (overdue, due soon, open part of the trend), finished-late part of the trend, transferred per week,
    closed per week, pollution-type links, pollution-type names, tasks by schedule status × grade, warnings by level,
    letters awaiting a reply."""
    client = login(users[who])
    _items(unit_a, unit_b)
    client.get(reverse("supervision:index"))  # warm the session
    with django_assert_num_queries(queries):
        client.get(reverse("supervision:index"))
    _items(unit_a, unit_b, n=12)
    with django_assert_num_queries(queries):
        response = client.get(reverse("supervision:index"))
    assert response.context["data"]["cases"]["total"] == (13 if who == "staff" else 26)


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

    # All measures done, target reached: 优秀 — but not 已完成 until the task's status says so
    # (finished_task_q: one definition of "finished", the task's workflow status).
    task(True, True)
    task(True, False)  # on schedule, target reached: 良好
    task(False, False)  # target not reached: 不合格
    task(None, False)  # target not yet assessed: 未评定
    task(None, False, target=False)  # no target this year: 未评定
    response = login(users["office"]).get(reverse("supervision:index"))
    t = response.context["data"]["tasks"]
    assert (t["total"], t["complete"], t["on_schedule"]) == (5, 0, 5)
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


def _completed(case, local_at: str, from_state: str = "rectifying"):
    """A transition of ``case`` into completed at a Shanghai wall-clock time."""
    with time_machine.travel(f"{local_at}+08:00", tick=False):
        return CaseTransition.objects.create(case=case, from_state=from_state, to_state="completed")


@pytest.mark.django_db
def test_overdue_trend_judges_completion_on_its_shanghai_day(users, unit_a):
    """Completed at 07:30 Shanghai on Monday 07-06 = 23:30 UTC on Sunday 07-05: still overdue at the
    end of Sunday 07-05, the week's point, by the Shanghai calendar."""
    case = CaseFactory(lead_unit=unit_a, state=CaseState.COMPLETED, deadline=date(2026, 7, 1))
    done = _completed(case, "2026-07-06 07:30:00")
    assert done.at.astimezone(dt.UTC).date() == date(2026, 7, 5)
    data = dashboard_data(users["office"], today=date(2026, 7, 8))
    assert data["week_starts"][-2:] == [date(2026, 6, 29), date(2026, 7, 6)]
    assert data["overdue_trend"][-2:] == [1, 0]


@pytest.mark.django_db
def test_overdue_trend_matches_hand_count_and_leaves_seeded_finished_cases_out(users, unit_a):
    """Week ends (Sundays; the last point is today, Wed 07-08):
    0 04-26 · 1 05-03 · 2 05-10 · 3 05-17 · 4 05-24 · 5 05-31 · 6 06-07 · 7 06-14 · 8 06-21 ·
    9 06-28 · 10 07-05 · 11 07-08."""
    today = date(2026, 7, 8)
    case = partial(CaseFactory, lead_unit=unit_a)
    # A: still rectifying, deadline 06-20: overdue at points 8–11.
    case(state=CaseState.RECTIFYING, deadline=date(2026, 6, 20))
    # B: completed 06-30, deadline 06-10: overdue at 7, 8, 9 (06-14, 06-21, 06-28).
    _completed(
        case(state=CaseState.CLOSED, deadline=date(2026, 6, 10), closed_on=date(2026, 7, 6)),
        "2026-06-30 10:00:00",
    )
    # F: reopened after a completion, deadline 05-05: unfinished now, overdue at 2–11.
    reopened = case(state=CaseState.REOPENED, deadline=date(2026, 5, 5))
    _completed(reopened, "2026-05-20 10:00:00")
    # H: deadline 06-13, completed Monday 06-15 00:10 (Sunday 16:10 UTC): overdue at 7 only.
    _completed(case(state=CaseState.COMPLETED, deadline=date(2026, 6, 13)), "2026-06-15 00:10:00")
    # I: deadline 06-13, completed Sunday 06-14 23:30: finished by the end of 06-14, never overdue.
    _completed(case(state=CaseState.COMPLETED, deadline=date(2026, 6, 13)), "2026-06-14 23:30:00")
    # Seeded/imported finished cases: never overdue, whatever their records' timestamps (seed day).
    seeded_closed = case(
        state=CaseState.CLOSED,
        deadline=date(2018, 8, 30),
        publicity_started_on=date(2018, 9, 9),
        closed_on=date(2018, 9, 19),
    )
    _completed(seeded_closed, "2026-07-08 09:00:00", from_state="received")
    CaseTransition.objects.filter(case=seeded_closed).update(to_state="closed")
    _completed(case(state=CaseState.COMPLETED, deadline=date(2026, 5, 1)), "2026-07-08 09:00:00", "received")
    case(state=CaseState.FILED, deadline=date(2026, 5, 1))  # no transition at all
    case(state=CaseState.RECTIFYING, deadline=today)  # due today: not yet overdue
    case(state=CaseState.RECEIVED, deadline=None)

    data = dashboard_data(users["office"], today=today)
    assert data["week_starts"][0] == date(2026, 4, 20)
    assert data["overdue_trend"] == [0, 0, 1, 1, 1, 1, 1, 3, 3, 3, 2, 2]
    assert data["cases"]["overdue"] == data["overdue_trend"][-1] == 2
