"""Boundary tests of the task status definitions (rectification/domain/queries.py,
docs/status-definitions.md): due today / tomorrow, a measure past its own deadline, milestones
done late, finished late — the badge, the list filters and the SQL grade."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rectification.domain.queries import (
    annotate_schedule_status,
    due_soon_task_q,
    grade_expression,
    grade_of,
    overdue_task_q,
    tasks_with_status,
    with_schedule_data,
)
from rectification.enums import ScheduleStatus, TaskStatus
from rectification.grading import Grade
from rectification.models import AnnualTarget, RectificationTask
from tests.factories import MeasureFactory, MilestoneFactory, TaskFactory

D = date(2026, 11, 30)


def status_of(task, today=D) -> str:
    return annotate_schedule_status(RectificationTask.objects.filter(pk=task.pk), today).get().schedule_status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("deadline", "status", "overdue", "due_soon"),
    [
        (D - timedelta(days=1), ScheduleStatus.OVERDUE, True, False),
        (D, ScheduleStatus.ON_SCHEDULE, False, True),  # due today: not overdue yet
        (D + timedelta(days=1), ScheduleStatus.ON_SCHEDULE, False, True),
        (D + timedelta(days=7), ScheduleStatus.ON_SCHEDULE, False, True),
        (D + timedelta(days=8), ScheduleStatus.ON_SCHEDULE, False, False),
    ],
)
def test_task_deadline_boundaries(unit_a, deadline, status, overdue, due_soon):
    task = TaskFactory(lead_unit=unit_a, deadline=deadline)
    assert status_of(task) == status
    assert RectificationTask.objects.filter(overdue_task_q(D), pk=task.pk).exists() is overdue
    assert RectificationTask.objects.filter(due_soon_task_q(7, D), pk=task.pk).exists() is due_soon


@pytest.mark.django_db
def test_measure_past_its_own_deadline_makes_the_task_behind_not_overdue(unit_a):
    """The R2-01 case: the task's deadline is 5 days ahead, one measure's deadline has passed."""
    task = TaskFactory(lead_unit=unit_a, deadline=D + timedelta(days=5))
    MeasureFactory(task=task, deadline=D - timedelta(days=1))
    (row,) = tasks_with_status(RectificationTask.objects.all(), D)
    assert (row.schedule_status, row.warning, row.warning_colour) == (
        ScheduleStatus.BEHIND,
        "滞后序时",
        "yellow",
    )
    assert not RectificationTask.objects.filter(overdue_task_q(D)).exists()
    assert RectificationTask.objects.filter(due_soon_task_q(7, D)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "done_on", "measure_done", "expected"),
    [
        (D, None, False, ScheduleStatus.ON_SCHEDULE),  # milestone due today
        (D - timedelta(days=1), None, False, ScheduleStatus.BEHIND),  # due yesterday, not done
        (D - timedelta(days=1), D - timedelta(days=1), False, ScheduleStatus.ON_SCHEDULE),
        (D - timedelta(days=3), D, False, ScheduleStatus.ON_SCHEDULE),  # done late: caught up
        (D - timedelta(days=3), D + timedelta(days=1), False, ScheduleStatus.BEHIND),  # not done by today
        (D - timedelta(days=1), None, True, ScheduleStatus.ON_SCHEDULE),  # the measure is done
    ],
)
def test_milestone_boundaries(unit_a, due, done_on, measure_done, expected):
    task = TaskFactory(lead_unit=unit_a, deadline=D + timedelta(days=90))
    measure = MeasureFactory(task=task, deadline=D + timedelta(days=60), done=measure_done)
    MilestoneFactory(measure=measure, due=due, done_on=done_on)
    assert status_of(task) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("status", [TaskStatus.COMPLETE, TaskStatus.CLOSED])
def test_finished_late_task_is_complete_not_overdue(unit_a, status):
    task = TaskFactory(lead_unit=unit_a, deadline=D - timedelta(days=30), status=status)
    MeasureFactory(task=task, deadline=D - timedelta(days=40))
    assert status_of(task) == ScheduleStatus.COMPLETE
    reopened = TaskFactory(lead_unit=unit_a, deadline=D - timedelta(days=1), status=TaskStatus.REOPENED)
    assert status_of(reopened) == ScheduleStatus.OVERDUE


@pytest.mark.django_db
def test_task_list_filters_partition_and_match_the_badges(users, unit_a, login):
    today = timezone.localdate()
    TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=1))  # overdue
    MeasureFactory(
        task=TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=3)),
        deadline=today - timedelta(days=2),
    )  # behind
    TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=3))  # on schedule, due soon
    TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=30))  # on schedule
    TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=9), status=TaskStatus.CLOSED)
    client = login(users["office"])

    def total(**params):
        return client.get(reverse("rectification:list"), params).context["total"]

    counts = {s: total(schedule=s) for s in ScheduleStatus.values}
    assert counts == {"on_schedule": 2, "behind": 1, "overdue": 1, "complete": 1}
    assert (total(schedule="on_time"), total(overdue="true"), total(due_soon="true")) == (3, 1, 2)
    page = client.get(reverse("rectification:list"), {"schedule": "behind"}).content.decode()
    # The legend shows each colour once; the one row wears yellow, none red.
    assert (page.count("tag-yellow"), page.count("tag-red")) == (2, 1)


@pytest.mark.django_db
def test_sql_grade_equals_the_python_grade_on_a_generated_set(unit_a):
    rng = random.Random(7)
    year = D.year
    for _ in range(40):
        task = TaskFactory(lead_unit=unit_a, deadline=D + timedelta(days=rng.randint(-30, 60)))
        for _ in range(rng.randint(0, 3)):
            done = rng.random() < 0.5
            measure = MeasureFactory(
                task=task, done=done, done_on=D + timedelta(days=rng.randint(-60, 5)) if done else None
            )
            for _ in range(rng.randint(0, 3)):
                due = D + timedelta(days=rng.randint(-400, 30))
                MilestoneFactory(
                    measure=measure,
                    due=due,
                    done_on=due + timedelta(days=rng.randint(-5, 5)) if rng.random() < 0.6 else None,
                )
        if rng.random() < 0.85:
            AnnualTarget.objects.create(
                task=task, year=year, target="达标", reached=rng.choice([True, False, None])
            )
    tasks = with_schedule_data(RectificationTask.objects.annotate(sql_grade=grade_expression(year, D)))
    seen = set()
    for task in tasks:
        python = grade_of(task, year, today=D)
        expected = python.grade.value if isinstance(python, Grade) else "none"
        assert task.sql_grade == expected, task.number
        seen.add(expected)
    assert seen == {"excellent", "good", "pass", "fail", "none"}
