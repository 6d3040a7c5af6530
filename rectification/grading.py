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

from collections.abc import Iterable, Sequence
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
    "schedule_status_of_task",
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


# Worst first: a task shows the worst status among its unfinished measures.
_SEVERITY = (
    ScheduleStatus.OVERDUE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.COMPLETE,
)


# --- annual grade (考核办法 评分标准一) -------------------------------------------------


def grade_task(facts: TaskFacts) -> Grade:
    """Grade a task for ``facts.year`` in the order of domain.md §3; the first rule that holds wins.

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
    """Complete, else overdue (past its deadline), else behind (a milestone late), else on schedule."""
    if measure.complete:
        return ScheduleStatus.COMPLETE
    if measure.deadline is not None and today > measure.deadline:
        return ScheduleStatus.OVERDUE
    if any(milestone_is_behind(milestone, today) for milestone in measure.milestones):
        return ScheduleStatus.BEHIND
    return ScheduleStatus.ON_SCHEDULE


def schedule_status_of_task(
    measures: Sequence[MeasureFacts],
    today: date,
    *,
    deadline: date | None = None,
    target_reached: bool = True,
) -> ScheduleStatus:
    """Status of a task: complete when all measures are (and the target is reached), else the
    worst status of its measures, raised to overdue once the task's own deadline has passed.

    A task without measures is not complete: nothing has been done yet.
    """
    statuses = [schedule_status_of_measure(measure, today) for measure in measures]
    if statuses and target_reached and all(s == ScheduleStatus.COMPLETE for s in statuses):
        return ScheduleStatus.COMPLETE
    if deadline is not None and today > deadline:
        return ScheduleStatus.OVERDUE
    worst = min(statuses, key=_SEVERITY.index, default=ScheduleStatus.ON_SCHEDULE)
    # Every measure complete but the target not reached: the task is still open, not "complete".
    return ScheduleStatus.ON_SCHEDULE if worst == ScheduleStatus.COMPLETE else worst
