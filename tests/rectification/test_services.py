from collections import Counter
from datetime import date, timedelta

import pytest

from cases.domain.errors import DomainError
from rectification.domain.queries import (
    task_grades_for_year,
    tasks_with_status,
    tasks_without_progress_since,
)
from rectification.domain.services import advance_task, record_look_back, report_progress, update_task
from rectification.enums import LookBackResult, ScheduleStatus, TaskGrade, TaskStatus, TaskStep
from rectification.models import AnnualTarget, ProgressReport, RectificationTask, TaskStepRecord
from tests.factories import MeasureFactory, MilestoneFactory, TaskFactory

D = date(2021, 7, 1)


@pytest.fixture
def done_task(unit_a, unit_b):
    task = TaskFactory(lead_unit=unit_a, accepting_unit=unit_b, status=TaskStatus.FILED)
    MeasureFactory(task=task, seq=1, done=True, done_on=date(2021, 5, 1))
    MeasureFactory(task=task, seq=2, done=True, done_on=date(2021, 5, 1))
    return task


def test_look_back_rebound_reopens_task_and_measure(users, done_task):
    measure = done_task.measures.get(seq=2)
    record_look_back(
        measure,
        actor=users["office"],
        checked_on=D,
        inspector="张检查",
        result=LookBackResult.REBOUNDED,
        notes="油烟直排复发",
        today=D,
    )
    measure.refresh_from_db()
    done_task.refresh_from_db()
    assert (measure.done, measure.done_on) == (False, None)
    assert done_task.measures.get(seq=1).done is True
    assert done_task.status == TaskStatus.REOPENED
    step = TaskStepRecord.objects.get(task=done_task)
    assert (step.step, step.from_status, step.to_status, step.actor) == (
        TaskStep.REOPEN,
        TaskStatus.FILED,
        TaskStatus.REOPENED,
        users["office"],
    )
    assert step.note == "回头看检查（2021-07-01）发现问题反弹：油烟直排复发"


def test_look_back_holds_changes_nothing(users, done_task):
    record_look_back(
        done_task.measures.get(seq=1),
        actor=users["office"],
        checked_on=D,
        inspector="张检查",
        result=LookBackResult.HOLDS,
        today=D,
    )
    done_task.refresh_from_db()
    assert done_task.status == TaskStatus.FILED
    assert TaskStepRecord.objects.count() == 0


def test_look_back_by_unit_staff_refused(users, done_task):
    with pytest.raises(DomainError) as refused:
        record_look_back(
            done_task.measures.first(),
            actor=users["staff"],
            checked_on=D,
            inspector="x",
            result="holds",
            today=D,
        )
    assert refused.value.message == "只有协调组办公室可以记录回头看检查。"


def test_close_out_in_order_with_publicity_period(users, unit_a, unit_b, settings):
    settings.TASK_PUBLICITY_DAYS = 7
    task = TaskFactory(lead_unit=unit_a, accepting_unit=unit_b)
    MeasureFactory(task=task, done=True, done_on=D)
    AnnualTarget.objects.create(task=task, year=2021, target="达标", reached=True, evidence="监测报告")
    acceptor = users["staff_b"]  # a member of the accepting unit
    advance_task(task, TaskStep.COMPLETE, actor=users["staff"], today=D)
    with pytest.raises(DomainError) as refused:
        advance_task(task, TaskStep.ACCEPT, actor=users["head"], today=D)
    assert refused.value.message == "只有验收单位或协调组办公室可以验收该任务。"
    advance_task(task, TaskStep.ACCEPT, actor=acceptor, today=D)
    advance_task(task, TaskStep.PUBLICIZE, actor=users["office"], today=D)
    with pytest.raises(DomainError) as refused:
        advance_task(task, TaskStep.CLOSE, actor=users["office"], today=D + timedelta(days=6))
    assert refused.value.message == "公示期至 2021-07-07 结束，期满后方可销号。"
    advance_task(task, TaskStep.CLOSE, actor=users["office"], today=D + timedelta(days=7))
    advance_task(task, TaskStep.FILE, actor=users["office"], today=D + timedelta(days=8))
    task.refresh_from_db()
    assert task.status == TaskStatus.FILED
    assert list(task.steps.values_list("step", "actor__username", "on_date")) == [
        ("complete", "staff_u", D),
        ("accept", "staff_b_u", D),
        ("publicize", "office_u", D),
        ("close", "office_u", D + timedelta(days=7)),
        ("file", "office_u", D + timedelta(days=8)),
    ]


def test_complete_task_with_open_measure_refused(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    MeasureFactory(task=task, seq=1, done=True, done_on=D)
    MeasureFactory(task=task, seq=2)
    with pytest.raises(DomainError) as refused:
        advance_task(task, TaskStep.COMPLETE, actor=users["staff"], today=D)
    assert refused.value.message == "措施2尚未完成，任务不能标记整改完成。"


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({2021: None}, "2021年度目标尚未评定是否达到，任务不能标记整改完成。"),
        ({2021: False}, "2021年度目标未达到，任务不能标记整改完成。"),
        ({2020: True, 2022: True}, "该任务没有2021年度目标，须先设定并评定为达到，方可标记整改完成。"),
    ],
)
def test_complete_task_without_this_years_target_reached_refused(users, unit_a, targets, message):
    task = TaskFactory(lead_unit=unit_a, deadline=date(2022, 12, 31))
    MeasureFactory(task=task, done=True, done_on=D)
    for year, reached in targets.items():
        AnnualTarget.objects.create(task=task, year=year, target="达标", reached=reached)
    with pytest.raises(DomainError) as refused:
        advance_task(task, TaskStep.COMPLETE, actor=users["staff"], today=D)
    assert refused.value.message == message
    task.refresh_from_db()
    assert (task.status, task.steps.count()) == (TaskStatus.IN_PROGRESS, 0)


def test_complete_task_with_this_years_target_reached_even_if_last_years_failed(users, unit_a):
    task = TaskFactory(lead_unit=unit_a, deadline=date(2022, 12, 31))
    MeasureFactory(task=task, done=True, done_on=D)
    AnnualTarget.objects.create(task=task, year=2020, target="达标", reached=False)
    AnnualTarget.objects.create(task=task, year=2021, target="达标", reached=True, evidence="监测报告")
    advance_task(task, TaskStep.COMPLETE, actor=users["staff"], today=D)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE


@pytest.mark.parametrize(
    ("reached", "status", "message"),
    [
        (True, TaskStatus.COMPLETE, None),
        (None, TaskStatus.IN_PROGRESS, "2020年度目标尚未评定是否达到，任务不能标记整改完成。"),
    ],
)
def test_complete_late_task_uses_the_deadline_years_target(users, unit_a, reached, status, message):
    # Deadline in 2020, completed in 2021, no 2021 target: the 2020 target decides.
    task = TaskFactory(lead_unit=unit_a, deadline=date(2020, 12, 31))
    MeasureFactory(task=task, done=True, done_on=D)
    AnnualTarget.objects.create(task=task, year=2020, target="达标", reached=reached)
    try:
        advance_task(task, TaskStep.COMPLETE, actor=users["staff"], today=D)
    except DomainError as refused:
        assert refused.message == message
    else:
        assert message is None
    task.refresh_from_db()
    assert task.status == status


def test_step_out_of_order_refused(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        advance_task(task, TaskStep.CLOSE, actor=users["office"], today=D)
    assert refused.value.message == "任务当前为“整改中”，不能进行“销号”。"


def test_progress_percent_over_100_refused(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        report_progress(task, actor=users["staff"], reported_on=D, text="x", percent=101, today=D)
    assert refused.value.message == "完成比例须在 0 到 100 之间。"


@pytest.mark.parametrize(
    ("due", "done_on", "expected"),
    [
        (D, None, ScheduleStatus.ON_SCHEDULE),  # due today
        (D - timedelta(days=1), D - timedelta(days=1), ScheduleStatus.ON_SCHEDULE),  # done on the due date
        (D - timedelta(days=1), None, ScheduleStatus.BEHIND),  # due yesterday, not done
        (D - timedelta(days=2), D, ScheduleStatus.ON_SCHEDULE),  # done a day late: caught up now
    ],
)
def test_tasks_with_status_from_database_at_boundaries(
    unit_a, due, done_on, expected, django_assert_num_queries
):
    task = TaskFactory(lead_unit=unit_a, deadline=D + timedelta(days=90))
    MilestoneFactory(
        measure=MeasureFactory(task=task, deadline=D + timedelta(days=60)), due=due, done_on=done_on
    )
    with django_assert_num_queries(4):
        (row,) = tasks_with_status(RectificationTask.objects.all(), D)
    assert row.schedule_status == expected


def test_tasks_without_progress_since(unit_a):
    recent, stale, never = (TaskFactory(lead_unit=unit_a) for _ in range(3))
    closed = TaskFactory(lead_unit=unit_a, status=TaskStatus.CLOSED)
    ProgressReport.objects.create(task=recent, reported_on=D, text="x", percent=1)
    ProgressReport.objects.create(task=stale, reported_on=D - timedelta(days=8), text="x", percent=1)
    rows = tasks_without_progress_since(RectificationTask.objects.all(), D - timedelta(days=7))
    assert {t.pk: t.last_report_on for t in rows} == {stale.pk: D - timedelta(days=8), never.pk: None}
    assert closed.pk not in {t.pk for t in rows}


def test_task_grades_for_year_per_unit_constant_queries(unit_a, unit_b, django_assert_num_queries):
    def task(unit, *, reached, complete, late=False):
        t = TaskFactory(lead_unit=unit)
        t.annual_targets.create(year=2021, target="t", reached=reached)
        m = MeasureFactory(task=t, done=complete, done_on=date(2021, 6, 1) if complete else None)
        MilestoneFactory(
            measure=m, due=date(2021, 6, 30), done_on=date(2021, 7, 2) if late else date(2021, 6, 1)
        )

    task(unit_a, reached=True, complete=True)
    task(unit_a, reached=True, complete=False)
    task(unit_a, reached=True, complete=False, late=True)
    task(unit_b, reached=False, complete=True)
    task(unit_b, reached=None, complete=True)  # not yet assessed: left out
    TaskFactory(lead_unit=unit_b).annual_targets.create(year=2021, target="t", reached=True)  # no measures
    with django_assert_num_queries(4):
        grades = task_grades_for_year(2021, today=date(2022, 1, 15))
    assert grades == {
        unit_a.pk: Counter({TaskGrade.EXCELLENT: 1, TaskGrade.GOOD: 1, TaskGrade.PASS: 1}),
        unit_b.pk: Counter({TaskGrade.FAIL: 1}),
    }
    assert task_grades_for_year(2021, units=[unit_b], today=date(2022, 1, 15)) == {
        unit_b.pk: Counter({TaskGrade.FAIL: 1})
    }


def test_update_task_with_stale_loaded_at_refused_and_saves_nothing(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    loaded_at = task.updated_at
    update_task(task, actor=users["staff"], values={"standard": "新标准"}, expected_updated_at=loaded_at)
    stale = RectificationTask.objects.get(pk=task.pk)
    with pytest.raises(DomainError) as refused:
        update_task(
            stale, actor=users["head"], values={"standard": "另一个标准"}, expected_updated_at=loaded_at
        )
    assert refused.value.message == "整改任务已被他人修改，请刷新页面查看最新内容后再保存。"
    task.refresh_from_db()
    assert (task.standard, task.history.count()) == ("新标准", 2)


def test_update_task_after_a_close_out_step_with_the_old_form_refused(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    MeasureFactory(task=task, done=True, done_on=D)
    AnnualTarget.objects.create(task=task, year=2021, target="达标", reached=True, evidence="报告")
    loaded_at = task.updated_at
    advance_task(task, TaskStep.COMPLETE, actor=users["office"], today=D)
    with pytest.raises(DomainError) as refused:
        update_task(task, actor=users["staff"], values={"standard": "x"}, expected_updated_at=loaded_at)
    assert refused.value.message == "整改任务已被他人修改，请刷新页面查看最新内容后再保存。"


def test_update_task_by_another_units_staff_refused(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        update_task(task, actor=users["staff_b"], values={"standard": "x"})
    assert refused.value.message == "您没有修改该整改任务的权限。"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("lead_unit", "只有协调组办公室可以指定或调整牵头单位。"),
        ("supervising_unit", "只有协调组办公室可以指定或调整督导单位。"),
        ("accepting_unit", "只有协调组办公室可以指定或调整验收单位。"),
    ],
)
def test_update_task_unit_staff_changing_a_unit_refused_and_saves_nothing(
    users, unit_a, unit_b, field, message
):
    task = TaskFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        update_task(task, actor=users["staff"], values={field: unit_b, "standard": "新标准"})
    assert (refused.value.message, refused.value.field) == (message, field)
    fresh = RectificationTask.objects.get(pk=task.pk)
    assert (fresh.lead_unit_id, fresh.supervising_unit_id, fresh.accepting_unit_id) == (unit_a.pk, None, None)
    assert (fresh.standard, fresh.history.count()) == (task.standard, 1)


def test_update_task_unit_staff_changing_cooperating_units_refused(users, unit_a, unit_b):
    task = TaskFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        update_task(task, actor=users["head"], values={}, m2m={"cooperating_units": [unit_b]})
    assert (refused.value.message, refused.value.field) == (
        "只有协调组办公室可以指定或调整配合单位。",
        "cooperating_units",
    )
    assert list(task.cooperating_units.all()) == []


def test_update_task_unit_staff_keeping_the_units_saves(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    update_task(
        task,
        actor=users["staff"],
        values={"lead_unit": unit_a, "supervising_unit": None, "accepting_unit": None, "standard": "新标准"},
        m2m={"cooperating_units": []},
    )
    assert RectificationTask.objects.get(pk=task.pk).standard == "新标准"


def test_update_task_office_assigns_every_unit(users, unit_a, unit_b):
    task = TaskFactory(lead_unit=unit_a)
    update_task(
        task,
        actor=users["office"],
        values={"lead_unit": unit_b, "supervising_unit": unit_a, "accepting_unit": unit_a},
        m2m={"cooperating_units": [unit_a]},
    )
    fresh = RectificationTask.objects.get(pk=task.pk)
    assert (fresh.lead_unit_id, fresh.supervising_unit_id, fresh.accepting_unit_id) == (
        unit_b.pk,
        unit_a.pk,
        unit_a.pk,
    )
    assert [u.pk for u in fresh.cooperating_units.all()] == [unit_a.pk]
