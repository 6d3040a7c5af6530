"""Annual grade and schedule status of rectification tasks, as pure functions over plain data.

Nothing here touches the database or Django settings: callers (views, reports, the
``grade_task`` command) turn model rows into the frozen ``*Facts`` below and get back a
``Grade`` or a ``ScheduleStatus``.

Two readings of a date are in play, on purpose:

* Schedule status looks at ``today``, a day still in progress: a milestone or deadline due
  today is not late yet, it is late from tomorrow on. It is a snapshot: a milestone done late
  is done, so the measure is back on schedule once it has caught up.
* The annual grade looks at ``as_of``, the assessment cut-off, taken as the end of that day:
  a milestone due on or before ``as_of`` in the assessment year counts, and it is behind when
  it was not done by its due date. Lateness is a fact of the year, so catching up later does
  not undo it (done one day late is behind).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rectification.enums import ScheduleStatus, TaskGrade

__all__ = [
    "Grade",
    "MeasureFacts",
    "MilestoneFacts",
    "TaskFacts",
    "grade_task",
    "late_milestones_in_year",
    "measure_name",
    "milestone_is_behind",
    "schedule_status_of_measure",
]


@dataclass(frozen=True)
class MilestoneFacts:
    """时间节点: when a step of a measure is due and when it was done (None = not yet)."""

    due: date
    done: date | None = None


@dataclass(frozen=True)
class MeasureFacts:
    """整改措施: whether it is complete, its milestones and its own deadline."""

    complete: bool
    milestones: tuple[MilestoneFacts, ...] = ()
    deadline: date | None = None
    label: str = ""


@dataclass(frozen=True)
class TaskFacts:
    """整改任务 in one assessment year: what the four-level grade is computed from."""

    task: str
    year: int
    as_of: date
    target_reached: bool
    measures: tuple[MeasureFacts, ...]


@dataclass(frozen=True)
class Grade:
    """The annual grade of a task, with its Chinese label and the reason in words."""

    grade: TaskGrade
    label: str
    reason: str


# --- annual grade (考核办法 评分标准一) -------------------------------------------------


def grade_task(facts: TaskFacts) -> Grade:
    """Grade a task for ``facts.year`` in the order of docs/rules.md §6; the first rule that holds wins.

    Raises ValueError for a task without measures: "all measures complete" would be vacuously
    true and grade an empty task 优秀, which the assessment cannot have meant.
    """
    if not facts.measures:
        raise ValueError(f"任务 {facts.task} 没有整改措施，无法评定等次")
    if not facts.target_reached:
        return _grade(TaskGrade.FAIL, "年度目标未达到")
    if all(measure.complete for measure in facts.measures):
        count = len(facts.measures)
        return _grade(TaskGrade.EXCELLENT, f"全部{count}项措施已完成，年度目标已达到")
    late = _late_measures(facts)
    if not late:
        unfinished = "、".join(
            measure_name(measure, position)
            for position, measure in enumerate(facts.measures, start=1)
            if not measure.complete
        )
        return _grade(TaskGrade.GOOD, f"{unfinished}未完成，但均按序时推进，年度目标已达到")
    return _grade(TaskGrade.PASS, "；".join(_describe_late(name, ms, facts.as_of) for name, ms in late))


def late_milestones_in_year(measure: MeasureFacts, *, year: int, as_of: date) -> tuple[MilestoneFacts, ...]:
    """The milestones of ``measure`` due in ``year`` on or before ``as_of`` and not done by their due date."""
    return tuple(
        milestone
        for milestone in measure.milestones
        if milestone.due.year == year
        and milestone.due <= as_of
        and (milestone.done is None or milestone.done > milestone.due)
    )


def measure_name(measure: MeasureFacts, position: int) -> str:
    """How a reason text names a measure: its label, else 措施N by 1-based position."""
    return measure.label or f"措施{position}"


def _late_measures(facts: TaskFacts) -> list[tuple[str, tuple[MilestoneFacts, ...]]]:
    """(name, late milestones) of every measure behind schedule in the assessment year."""
    late = []
    for position, measure in enumerate(facts.measures, start=1):
        milestones = late_milestones_in_year(measure, year=facts.year, as_of=facts.as_of)
        if milestones:
            late.append((measure_name(measure, position), milestones))
    return late


def _describe_late(name: str, milestones: Iterable[MilestoneFacts], as_of: date) -> str:
    """E.g. 措施1滞后序时（时间节点2021-06-30于2021-07-02完成）."""
    parts = []
    for milestone in milestones:
        # A completion after the cut-off was not known at the cut-off.
        if milestone.done is not None and milestone.done <= as_of:
            parts.append(f"时间节点{milestone.due.isoformat()}于{milestone.done.isoformat()}完成")
        else:
            parts.append(f"时间节点{milestone.due.isoformat()}未完成")
    return f"{name}滞后序时（{'，'.join(parts)}）"


def _grade(grade: TaskGrade, why: str) -> Grade:
    return Grade(grade=grade, label=grade.label, reason=f"{grade.label}：{why}")


# --- schedule status (序时进度) --------------------------------------------------------


def milestone_is_behind(milestone: MilestoneFacts, today: date) -> bool:
    """True when the milestone was due before ``today`` and is still not done as of ``today``."""
    done_by_today = milestone.done is not None and milestone.done <= today
    return milestone.due < today and not done_by_today


def schedule_status_of_measure(measure: MeasureFacts, today: date) -> ScheduleStatus:
    """Complete, else overdue (past its deadline), else behind (a milestone late), else on schedule.

    The badge of one measure on a task's page. A task's own status is SQL
    (rectification.domain.queries.schedule_status_expression); a measure that is overdue or behind
    here is exactly a measure that ``measure_late_q`` finds late.
    """
    if measure.complete:
        return ScheduleStatus.COMPLETE
    if measure.deadline is not None and today > measure.deadline:
        return ScheduleStatus.OVERDUE
    if any(milestone_is_behind(milestone, today) for milestone in measure.milestones):
        return ScheduleStatus.BEHIND
    return ScheduleStatus.ON_SCHEDULE
