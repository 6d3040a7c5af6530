"""Reads of tasks and measures that views, exports and reports share; scoped to the user."""

from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from org.permissions import scope

from ..enums import DUE_SOON, ScheduleStatus, TaskStatus, warning_colour
from ..grading import (
    Grade,
    MeasureFacts,
    MilestoneFacts,
    TaskFacts,
    grade_task,
    schedule_status_of_measure,
    schedule_status_of_task,
)
from ..models import Measure, Milestone, ProgressReport, RectificationTask

# Units that work on a task: they read and change it (RectificationTask.unit_ids).
TASK_UNIT_FIELDS = ("lead_unit", "cooperating_units")
# Units that read a task: those plus the accepting unit (验收单位), which must see what it accepts;
# its only write is the accept step (services._check_step_allowed), never an edit.
TASK_READ_UNIT_FIELDS = (*TASK_UNIT_FIELDS, "accepting_unit")
FINISHED_TASK_STATES = frozenset(
    {TaskStatus.COMPLETE, TaskStatus.ACCEPTED, TaskStatus.PUBLICIZED, TaskStatus.CLOSED, TaskStatus.FILED}
)


def tasks_visible_to(user) -> QuerySet:
    """The tasks the user may see (domain.md §8), as the start of every task read: their units'
    tasks as lead or cooperating unit, and the tasks their unit must accept."""
    return scope(RectificationTask.objects.all(), user, unit_fields=TASK_READ_UNIT_FIELDS)


def open_task_q() -> Q:
    return ~Q(status__in=sorted(FINISHED_TASK_STATES))


def overdue_task_q(today=None) -> Q:
    today = today or timezone.localdate()
    return open_task_q() & Q(deadline__lt=today)


def due_soon_task_q(days: int, today=None) -> Q:
    today = today or timezone.localdate()
    return open_task_q() & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))


def for_list(qs: QuerySet) -> QuerySet:
    """Tasks ready for a list: related rows joined and what schedule status needs prefetched."""
    return with_schedule_data(
        qs.select_related("inspection", "lead_unit").prefetch_related("cooperating_units")
    )


# --- schedule status (computed, never stored) ------------------------------------------------


def with_schedule_data(qs: QuerySet) -> QuerySet:
    """Prefetch what schedule status and grades are computed from: measures, milestones, targets."""
    return qs.prefetch_related(
        Prefetch(
            "measures", queryset=Measure.objects.select_related("responsible_unit").order_by("seq", "id")
        ),
        Prefetch("measures__milestones", queryset=Milestone.objects.order_by("due", "id")),
        "annual_targets",
    )


def measure_facts(measure: Measure, *, as_of: date | None = None) -> MeasureFacts:
    """A measure as plain facts; ``as_of`` hides a completion that happened later."""
    complete = measure.done and (as_of is None or measure.done_on is None or measure.done_on <= as_of)
    return MeasureFacts(
        complete=complete,
        milestones=tuple(MilestoneFacts(due=m.due, done=m.done_on) for m in measure.milestones.all()),
        deadline=measure.deadline,
        label=f"措施{measure.seq}",
    )


def schedule_of_measure(measure: Measure, today: date) -> ScheduleStatus:
    return schedule_status_of_measure(measure_facts(measure), today)


def schedule_of_task(task: RectificationTask, today: date) -> ScheduleStatus:
    """Uses prefetched measures/milestones/targets (see with_schedule_data): no query per task."""
    if task.status in FINISHED_TASK_STATES:
        return ScheduleStatus.COMPLETE
    return schedule_status_of_task(
        [measure_facts(m) for m in task.measures.all()],
        today,
        deadline=task.deadline,
        target_reached=not any(t.reached is False for t in task.annual_targets.all()),
    )


def warning_of(status: str, deadline: date | None, today: date) -> tuple[str, str]:
    """(label, colour) in the 三单预警 palette: red overdue, yellow behind, blue due within DUE_SOON_DAYS."""
    if (
        status == ScheduleStatus.ON_SCHEDULE
        and deadline
        and deadline <= today + timedelta(days=settings.DUE_SOON_DAYS)
    ):
        return "即将到期", warning_colour[DUE_SOON]
    return ScheduleStatus(status).label, warning_colour[status]


def tasks_with_status(qs: QuerySet, today: date | None = None) -> list[RectificationTask]:
    """The tasks of ``qs`` with ``schedule_status``, ``warning`` and ``warning_colour`` set, in a
    constant number of queries (one per prefetched relation)."""
    today = today or timezone.localdate()
    tasks = list(with_schedule_data(qs))
    for task in tasks:
        annotate_task(task, today)
    return tasks


def annotate_task(task: RectificationTask, today: date) -> RectificationTask:
    task.schedule_status = schedule_of_task(task, today)
    task.warning, task.warning_colour = warning_of(task.schedule_status, task.deadline, today)
    return task


def with_latest_progress(qs: QuerySet) -> QuerySet:
    """Annotate ``last_report_on`` and ``last_percent`` from the latest progress report (subqueries)."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-id")
    return qs.annotate(
        last_report_on=Subquery(latest.values("reported_on")[:1]),
        last_percent=Subquery(latest.values("percent")[:1]),
    )


def tasks_without_progress_since(qs: QuerySet, since: date) -> QuerySet:
    """Open tasks of ``qs`` whose latest progress report is older than ``since`` (or none at all)."""
    return (
        with_latest_progress(qs.filter(open_task_q()))
        .filter(Q(last_report_on__lt=since) | Q(last_report_on__isnull=True))
        .order_by("deadline", "pk")
    )


# --- annual grade ------------------------------------------------------------------------------


def grade_as_of(year: int, today: date | None = None) -> date:
    """The assessment cut-off for ``year``: 31 December, or today while the year is running."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


def grade_of(task: RectificationTask, year: int, *, today: date | None = None) -> Grade | str:
    """The task's grade for ``year`` from prefetched data, or a Chinese reason why it cannot be graded."""
    measures = list(task.measures.all())
    if not measures:
        return "无措施，无法评定"
    target = next((t for t in task.annual_targets.all() if t.year == year), None)
    if target is None:
        return f"无{year}年度目标，无法评定"
    if target.reached is None:
        return f"{year}年度目标尚未评定是否达到"
    as_of = grade_as_of(year, today)
    return grade_task(
        TaskFacts(
            task=task.number,
            year=year,
            as_of=as_of,
            target_reached=target.reached,
            measures=tuple(measure_facts(m, as_of=as_of) for m in measures),
        )
    )


def graded_tasks(qs: QuerySet, year: int, *, today: date | None = None) -> list[RectificationTask]:
    """The tasks of ``qs`` with ``grade`` (a Grade or a reason string) for ``year``; constant queries."""
    tasks = list(with_schedule_data(qs.select_related("lead_unit")))
    for task in tasks:
        task.grade = grade_of(task, year, today=today)
    return tasks


def task_grades_for_year(year: int, *, units=None, today: date | None = None) -> dict[int, Counter]:
    """{lead unit id: Counter(TaskGrade)} of the tasks that have a target for ``year``; constant queries.

    ``units`` (ids or Unit objects) limits the result to those lead units. Tasks that cannot be
    graded (no measures, target not yet assessed) are left out.
    """
    qs = RectificationTask.objects.filter(annual_targets__year=year).distinct()
    if units is not None:
        qs = qs.filter(lead_unit__in=[getattr(u, "pk", u) for u in units])
    result: dict[int, Counter] = {}
    for task in graded_tasks(qs, year, today=today):
        if isinstance(task.grade, Grade):
            result.setdefault(task.lead_unit_id, Counter())[task.grade.grade] += 1
    return result
