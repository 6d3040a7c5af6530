"""Four-level annual grade and schedule status: every rule of the order and every date boundary."""

from datetime import date

import pytest

from rectification.enums import DUE_SOON, ScheduleStatus, TaskGrade, warning_colour
from rectification.grading import (
    Grade,
    MeasureFacts,
    MilestoneFacts,
    TaskFacts,
    grade_task,
    late_milestones_in_year,
    milestone_is_behind,
    schedule_status_of_measure,
)

D = date.fromisoformat
AS_OF = D("2021-12-31")


def ms(due: str, done: str | None = None) -> MilestoneFacts:
    return MilestoneFacts(due=D(due), done=D(done) if done else None)


def measure(complete: bool, *milestones: MilestoneFacts, label: str = "", deadline: str | None = None):
    return MeasureFacts(
        complete=complete,
        milestones=milestones,
        label=label,
        deadline=D(deadline) if deadline else None,
    )


def task(*measures: MeasureFacts, reached: bool = True, year: int = 2021, as_of: date = AS_OF):
    return TaskFacts(task="R1-07", year=year, as_of=as_of, target_reached=reached, measures=measures)


ON_TIME = ms("2021-06-30", "2021-06-30")
A_DAY_LATE = ms("2021-06-30", "2021-07-01")
NOT_DONE = ms("2021-06-30")


# --- grade order ---------------------------------------------------------------------

GRADE_CASES = [
    pytest.param(
        task(measure(True, ON_TIME), reached=False),
        TaskGrade.FAIL,
        "不合格：年度目标未达到",
        id="target_not_reached_while_all_complete_fails",
    ),
    pytest.param(
        task(measure(False, NOT_DONE), reached=False),
        TaskGrade.FAIL,
        "不合格：年度目标未达到",
        id="target_not_reached_and_behind_fails",
    ),
    pytest.param(
        task(measure(True, ON_TIME), measure(True), measure(True)),
        TaskGrade.EXCELLENT,
        "优秀：全部3项措施已完成，年度目标已达到",
        id="all_complete_is_excellent",
    ),
    pytest.param(
        task(measure(True, A_DAY_LATE)),
        TaskGrade.EXCELLENT,
        "优秀：全部1项措施已完成，年度目标已达到",
        id="all_complete_with_late_milestone_is_excellent_rule_2_first",
    ),
    pytest.param(
        task(measure(True), measure(True, ON_TIME), measure(False, ms("2022-03-31"))),
        TaskGrade.GOOD,
        "良好：措施3未完成，但均按序时推进，年度目标已达到",
        id="not_all_complete_none_behind_is_good",
    ),
    pytest.param(
        task(measure(False, ON_TIME), measure(True), measure(False)),
        TaskGrade.GOOD,
        "良好：措施1、措施3未完成，但均按序时推进，年度目标已达到",
        id="good_names_every_unfinished_measure",
    ),
    pytest.param(
        task(measure(True), measure(False, label="拆除违建")),
        TaskGrade.GOOD,
        "良好：拆除违建未完成，但均按序时推进，年度目标已达到",
        id="good_names_measure_by_label",
    ),
    pytest.param(
        task(measure(False, ms("2021-06-30", "2021-07-02"), ms("2022-03-31"))),
        TaskGrade.PASS,
        "合格：措施1滞后序时（时间节点2021-06-30于2021-07-02完成）",
        id="issue_example_done_late_is_pass",
    ),
    pytest.param(
        task(
            measure(False, NOT_DONE, ms("2021-09-30", "2021-10-08")), measure(True), measure(False, NOT_DONE)
        ),
        TaskGrade.PASS,
        "合格：措施1滞后序时（时间节点2021-06-30未完成，时间节点2021-09-30于2021-10-08完成）；"
        "措施3滞后序时（时间节点2021-06-30未完成）",
        id="pass_lists_every_late_milestone_of_every_measure",
    ),
    pytest.param(
        task(measure(False, NOT_DONE, label="关停搬迁")),
        TaskGrade.PASS,
        "合格：关停搬迁滞后序时（时间节点2021-06-30未完成）",
        id="pass_names_measure_by_label",
    ),
]


@pytest.mark.parametrize(("facts", "grade", "reason"), GRADE_CASES)
def test_grade_task_follows_the_order(facts, grade, reason):
    assert grade_task(facts) == Grade(grade=grade, label=grade.label, reason=reason)


def test_grade_task_labels_and_values():
    assert [(g.value, g.label) for g in TaskGrade] == [
        ("excellent", "优秀"),
        ("good", "良好"),
        ("pass", "合格"),
        ("fail", "不合格"),
    ]


def test_grade_task_without_measures_raises():
    with pytest.raises(ValueError, match="没有整改措施"):
        grade_task(task())


# --- which milestones count for the year ----------------------------------------------

MILESTONE_CASES = [
    pytest.param(ms("2021-12-31"), D("2021-12-31"), True, id="due_on_as_of_not_done_is_behind"),
    pytest.param(ms("2021-12-31", "2021-12-31"), D("2021-12-31"), False, id="due_on_as_of_done_that_day"),
    pytest.param(ON_TIME, AS_OF, False, id="done_on_due_date_is_on_time"),
    pytest.param(A_DAY_LATE, AS_OF, True, id="done_a_day_late_is_behind"),
    pytest.param(NOT_DONE, AS_OF, True, id="due_and_never_done_is_behind"),
    pytest.param(ms("2021-06-30", "2021-06-01"), AS_OF, False, id="done_early_is_on_time"),
    pytest.param(ms("2021-07-01"), D("2021-06-30"), False, id="due_after_as_of_does_not_count"),
    pytest.param(ms("2022-01-31"), D("2022-03-01"), False, id="due_next_year_does_not_count"),
    pytest.param(ms("2020-12-31"), AS_OF, False, id="due_last_year_does_not_count"),
    pytest.param(ms("2021-12-31"), D("2022-03-01"), True, id="as_of_after_year_end_counts_whole_year"),
    pytest.param(ms("2021-06-30", "2022-01-10"), AS_OF, True, id="done_after_as_of_is_behind"),
]


@pytest.mark.parametrize(("milestone", "as_of", "late"), MILESTONE_CASES)
def test_late_milestones_in_year_boundaries(milestone, as_of, late):
    facts = measure(False, milestone)
    assert late_milestones_in_year(facts, year=2021, as_of=as_of) == ((milestone,) if late else ())
    expected = TaskGrade.PASS if late else TaskGrade.GOOD
    assert grade_task(task(facts, as_of=as_of)).grade == expected


def test_grade_task_reason_calls_completion_after_as_of_not_done():
    facts = task(measure(False, ms("2021-06-30", "2022-01-10")))
    assert grade_task(facts).reason == "合格：措施1滞后序时（时间节点2021-06-30未完成）"


def test_grade_task_ignores_lateness_of_other_years():
    facts = task(measure(False, ms("2020-06-30", "2020-08-01"), ms("2021-06-30", "2021-06-30")))
    assert grade_task(facts).grade == TaskGrade.GOOD


# --- schedule status ------------------------------------------------------------------

TODAY = D("2021-06-30")

MEASURE_STATUS_CASES = [
    pytest.param(measure(False, ms("2021-06-30")), ScheduleStatus.ON_SCHEDULE, id="due_today_not_done"),
    pytest.param(measure(False, ms("2021-06-29")), ScheduleStatus.BEHIND, id="due_yesterday_not_done"),
    pytest.param(
        measure(False, ms("2021-06-29", "2021-06-29")), ScheduleStatus.ON_SCHEDULE, id="done_on_due"
    ),
    pytest.param(
        measure(False, ms("2021-06-29", "2021-06-30")),
        ScheduleStatus.ON_SCHEDULE,
        id="done_a_day_late_has_caught_up",
    ),
    pytest.param(
        measure(False, ms("2021-06-29", "2021-07-01")),
        ScheduleStatus.BEHIND,
        id="done_after_today_is_not_done_yet",
    ),
    pytest.param(measure(False, ms("2021-07-31")), ScheduleStatus.ON_SCHEDULE, id="due_later"),
    pytest.param(measure(False), ScheduleStatus.ON_SCHEDULE, id="no_milestones"),
    pytest.param(measure(False, deadline="2021-06-30"), ScheduleStatus.ON_SCHEDULE, id="deadline_today"),
    pytest.param(measure(False, deadline="2021-06-29"), ScheduleStatus.OVERDUE, id="deadline_yesterday"),
    pytest.param(
        measure(False, ms("2021-06-01"), deadline="2021-06-29"),
        ScheduleStatus.OVERDUE,
        id="overdue_outranks_behind",
    ),
    pytest.param(
        measure(True, ms("2021-06-01"), deadline="2021-06-29"),
        ScheduleStatus.COMPLETE,
        id="complete_outranks_everything",
    ),
]


@pytest.mark.parametrize(("facts", "status"), MEASURE_STATUS_CASES)
def test_schedule_status_of_measure_boundaries(facts, status):
    assert schedule_status_of_measure(facts, TODAY) == status


def test_milestone_is_behind_only_after_due_day():
    assert not milestone_is_behind(ms("2021-06-30"), D("2021-06-30"))
    assert milestone_is_behind(ms("2021-06-30"), D("2021-07-01"))


COMPLETE = measure(True)
ON_SCHEDULE = measure(False, ms("2021-07-31"))
BEHIND = measure(False, ms("2021-06-01"))
OVERDUE = measure(False, deadline="2021-06-01")

# A task's schedule status is SQL now: tests/rectification/test_status_definitions.py.


def test_schedule_status_labels_and_warning_colours():
    assert [(s.value, s.label, warning_colour[s]) for s in ScheduleStatus] == [
        ("on_schedule", "按序时推进", "green"),
        ("behind", "滞后序时", "yellow"),
        ("overdue", "逾期", "red"),
        ("complete", "已完成", "grey"),
    ]
    assert warning_colour[DUE_SOON] == "blue"
