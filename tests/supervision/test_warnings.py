"""Warning thresholds at their boundaries, the sweep's idempotency and who is told."""

from datetime import date, timedelta

import pytest

from cases.enums import CaseState
from notifications.models import Notification
from supervision.domain.warnings import sweep_warnings, warning_for
from supervision.enums import WarningLevel, WarningState
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, MeasureFactory, MilestoneFactory, TaskFactory

DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DEADLINE - timedelta(days=8), None),
        (DEADLINE - timedelta(days=7), WarningLevel.BLUE),
        (DEADLINE - timedelta(days=1), WarningLevel.BLUE),
        (DEADLINE, WarningLevel.YELLOW),
        (DEADLINE + timedelta(days=6), WarningLevel.YELLOW),
        (DEADLINE + timedelta(days=7), WarningLevel.RED),
    ],
)
def test_warning_for_thresholds_at_boundaries(today, expected):
    verdict = warning_for(DEADLINE, today)
    assert (verdict.level if verdict else None) == expected


def test_warning_for_thresholds_follow_settings(settings):
    settings.WARNING_BLUE_DAYS_BEFORE = 3
    settings.WARNING_RED_DAYS_OVERDUE = 1
    assert warning_for(DEADLINE, DEADLINE - timedelta(days=4)) is None
    assert warning_for(DEADLINE, DEADLINE - timedelta(days=3)).level == WarningLevel.BLUE
    assert warning_for(DEADLINE, DEADLINE + timedelta(days=1)).level == WarningLevel.RED


def test_warning_for_behind_schedule_far_from_deadline_is_yellow():
    verdict = warning_for(DEADLINE, DEADLINE - timedelta(days=30), behind=True)
    assert verdict.level == WarningLevel.YELLOW
    assert verdict.reason == "时间节点未按期完成，滞后序时进度"


@pytest.mark.parametrize(
    ("days_left", "behind", "expected"),
    [
        (8, True, WarningLevel.YELLOW),
        (7, True, WarningLevel.YELLOW),  # within the blue window, but behind: yellow, not blue
        (1, True, WarningLevel.YELLOW),
        (7, False, WarningLevel.BLUE),
        (1, False, WarningLevel.BLUE),
        (8, False, None),
        (0, True, WarningLevel.YELLOW),
        (-7, True, WarningLevel.RED),
    ],
)
def test_warning_for_behind_schedule_is_yellow_however_near_the_deadline(days_left, behind, expected):
    verdict = warning_for(DEADLINE, DEADLINE - timedelta(days=days_left), behind=behind)
    assert (verdict.level if verdict else None) == expected


@pytest.mark.django_db
def test_sweep_gives_a_behind_task_due_within_the_blue_window_a_yellow_warning(users, unit_a):
    """The sweep takes "behind" from the schedule status (behind_task_q): a task 1 and 7 days from
    its deadline with a late milestone is yellow; the same task without the late milestone is blue."""
    today = date(2026, 5, 10)
    near = TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=1))
    edge = TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=7))
    on_time = TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=7))
    for task in (near, edge):
        MilestoneFactory(measure=MeasureFactory(task=task), due=today - timedelta(days=1))
    MilestoneFactory(measure=MeasureFactory(task=on_time), due=today + timedelta(days=1))
    levels = {w.task_id: w.level for w in sweep_warnings(today=today)}
    assert levels == {
        near.pk: WarningLevel.YELLOW,
        edge.pk: WarningLevel.YELLOW,
        on_time.pk: WarningLevel.BLUE,
    }


@pytest.mark.django_db
def test_sweep_raises_once_and_notifies_unit_heads_and_office(users, unit_a):
    case = CaseFactory(lead_unit=unit_a, deadline=DEADLINE)
    CaseFactory(lead_unit=unit_a, deadline=DEADLINE, state=CaseState.COMPLETED)  # finished: no warning
    created = sweep_warnings(today=DEADLINE)
    assert [(w.case_id, w.level, w.reason) for w in created] == [
        (case.pk, "yellow", "今日到达整改时限，尚未完成")
    ]
    assert sweep_warnings(today=DEADLINE) == []
    assert EarlyWarning.objects.count() == 1
    notes = Notification.objects.filter(kind="warning")
    assert sorted(n.recipient.username for n in notes) == ["head_u", "office_u"]
    assert {n.reason for n in notes} == {
        "您是该事项牵头责任单位的负责人",
        "您是协调组办公室成员，负责督办预警事项",
    }


@pytest.mark.django_db
def test_sweep_warns_task_behind_schedule_and_resolves_when_finished(users, unit_a):
    task = TaskFactory(lead_unit=unit_a, deadline=DEADLINE)
    milestone = MilestoneFactory(measure=MeasureFactory(task=task), due=date(2026, 5, 1))
    today = date(2026, 5, 10)
    [warning] = sweep_warnings(today=today)
    assert (warning.task_id, warning.level) == (task.pk, WarningLevel.YELLOW)
    milestone.done_on = date(2026, 5, 11)
    milestone.save()
    task.status = "complete"
    task.save()
    sweep_warnings(today=date(2026, 5, 12))
    warning.refresh_from_db()
    assert (warning.state, warning.resolved_on) == (WarningState.RESOLVED, date(2026, 5, 12))


@pytest.mark.django_db
def test_sweep_on_moved_deadline_resolves_old_warning(users, unit_a):
    case = CaseFactory(lead_unit=unit_a, deadline=DEADLINE)
    [old] = sweep_warnings(today=DEADLINE)
    case.deadline = DEADLINE + timedelta(days=60)
    case.save()
    assert sweep_warnings(today=DEADLINE + timedelta(days=1)) == []
    old.refresh_from_db()
    assert old.state == WarningState.RESOLVED


@pytest.mark.django_db
def test_resolved_warning_has_a_history_row_with_the_reason(users, unit_a):
    done = CaseFactory(lead_unit=unit_a, deadline=DEADLINE)
    moved = CaseFactory(lead_unit=unit_a, deadline=DEADLINE)
    first, second = sweep_warnings(today=DEADLINE)
    done.state = CaseState.COMPLETED
    done.save()
    moved.deadline = DEADLINE + timedelta(days=60)
    moved.save()
    sweep_warnings(today=DEADLINE + timedelta(days=1))
    by_case = {w.case_id: w for w in (first, second)}
    for case, reason in ((done, "事项已完成，预警自动解除"), (moved, "整改时限已调整，预警自动解除")):
        history = list(by_case[case.pk].history.order_by("-history_date", "-history_id"))
        assert [h.state for h in history] == [WarningState.RESOLVED, WarningState.OPEN]
        assert (history[0].resolved_on, history[0].history_change_reason, history[0].history_user) == (
            DEADLINE + timedelta(days=1),
            reason,
            None,
        )
    # a second sweep resolves nothing again and adds no history row
    sweep_warnings(today=DEADLINE + timedelta(days=2))
    assert EarlyWarning.history.filter(state=WarningState.RESOLVED).count() == 2
