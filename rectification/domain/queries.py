"""Reads of tasks and measures that views, exports and reports share; scoped to the user."""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from org.permissions import scope

from ..enums import DUE_SOON, ScheduleStatus, TaskGrade, TaskStatus, warning_colour
from ..grading import (
    Grade,
    MeasureFacts,
    MilestoneFacts,
    TaskFacts,
    grade_task,
    schedule_status_of_measure,
)
from ..models import AnnualTarget, Measure, Milestone, ProgressReport, RectificationTask

# Units that work on a task: they read and change it (RectificationTask.unit_ids).
TASK_UNIT_FIELDS = ("lead_unit", "cooperating_units")
# Units that read a task: those plus the accepting unit (验收单位), which must see what it accepts;
# its only write is the accept step (services._check_step_allowed), never an edit.
TASK_READ_UNIT_FIELDS = (*TASK_UNIT_FIELDS, "accepting_unit")
FINISHED_TASK_STATES = frozenset(
    {TaskStatus.COMPLETE, TaskStatus.ACCEPTED, TaskStatus.PUBLICIZED, TaskStatus.CLOSED, TaskStatus.FILED}
)
# Not a ScheduleStatus: "finished or on schedule", the numerator of the 按序时率 figure.
ON_TIME = "on_time"


def tasks_visible_to(user) -> QuerySet:
    """The tasks the user may see (docs/rules.md §9), as the start of every task read: their units'
    tasks as lead or cooperating unit, and the tasks their unit must accept."""
    return scope(RectificationTask.objects.all(), user, unit_fields=TASK_READ_UNIT_FIELDS)


# --- status definitions (docs/status-definitions.md) -------------------------------------------
# Each status of a task is defined here once, as a Q / SQL expression over RectificationTask; the
# badge, the list filter, the dashboard and home-page figures, the reports and the warning sweep
# all use these. A day "today" is still running: what is due today is not late before tomorrow.


def _today(today):
    return today or timezone.localdate()


def finished_task_q() -> Q:
    """已完成: the task's status is 已完成 or a later step (验收、公示、销号、备案)."""
    return Q(status__in=sorted(FINISHED_TASK_STATES))


def open_task_q() -> Q:
    """未完成: every task not finished (重新整改 included)."""
    return ~finished_task_q()


def overdue_task_q(today=None) -> Q:
    """逾期: not finished and the task's own deadline is before ``today``."""
    return open_task_q() & Q(deadline__lt=_today(today))


def due_soon_task_q(days: int | None = None, today=None) -> Q:
    """即将到期 (N日内到期): not finished, deadline from ``today`` to ``today + days`` inclusive."""
    today = _today(today)
    days = settings.DUE_SOON_DAYS if days is None else days
    return open_task_q() & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))


def measure_late_q(today=None) -> Q:
    """A measure (Q over Measure) that is late: not done, and its own deadline is before ``today``
    or one of its milestones was due before ``today`` and is not done by ``today``."""
    today = _today(today)
    late_milestone = Milestone.objects.filter(measure=OuterRef("pk"), due__lt=today).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=today)
    )
    return Q(done=False) & (Q(deadline__lt=today) | Q(Exists(late_milestone)))


def behind_task_q(today=None) -> Q:
    """滞后序时: not finished, not overdue, and at least one of its measures is late
    (measure_late_q). A measure past its own deadline makes the task behind, not overdue: only
    the task's own deadline makes a task overdue."""
    today = _today(today)
    late = Measure.objects.filter(measure_late_q(today), task=OuterRef("pk"))
    return open_task_q() & ~Q(deadline__lt=today) & Q(Exists(late))


def on_schedule_task_q(today=None) -> Q:
    """按序时推进: not finished, not overdue and not behind."""
    today = _today(today)
    return open_task_q() & ~Q(deadline__lt=today) & ~behind_task_q(today)


def on_time_task_q(today=None) -> Q:
    """已完成或按序时 (the numerator of 按序时率): finished, or on schedule."""
    return finished_task_q() | on_schedule_task_q(today)


def changed_on_task_q(day: date) -> Q:
    """当日有更新: the task's own row, one of its measures or milestones, or a progress report of it
    changed on ``day`` (history rows of that day, Asia/Shanghai) — the daily dispatch's 昨日变化."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    when = {"history_date__gte": start, "history_date__lt": start + timedelta(days=1)}
    # IN (the day's history rows), not EXISTS per task: the day's changes are few, the tasks many.
    milestones = Milestone.history.filter(**when).values("measure_id")
    return (
        Q(pk__in=RectificationTask.history.filter(**when).values("id"))
        | Q(pk__in=Measure.history.filter(**when).values("task_id"))
        | Q(pk__in=Measure.objects.filter(pk__in=milestones).values("task_id"))
        | Q(pk__in=ProgressReport.history.filter(**when).values("task_id"))
    )


def schedule_status_q(status: str, today=None) -> Q:
    """The Q of one schedule status (a ScheduleStatus value, or "on_time")."""
    return {
        ScheduleStatus.COMPLETE: lambda: finished_task_q(),
        ScheduleStatus.OVERDUE: lambda: overdue_task_q(today),
        ScheduleStatus.BEHIND: lambda: behind_task_q(today),
        ScheduleStatus.ON_SCHEDULE: lambda: on_schedule_task_q(today),
        ON_TIME: lambda: on_time_task_q(today),
    }[status]()


def schedule_status_expression(today=None) -> Case:
    """序时进度状态 as one SQL CASE: 已完成, else 逾期, else 滞后序时, else 按序时推进."""
    today = _today(today)
    return Case(
        When(finished_task_q(), then=Value(ScheduleStatus.COMPLETE.value)),
        When(Q(deadline__lt=today), then=Value(ScheduleStatus.OVERDUE.value)),
        When(behind_task_q(today), then=Value(ScheduleStatus.BEHIND.value)),
        default=Value(ScheduleStatus.ON_SCHEDULE.value),
        output_field=CharField(),
    )


def annotate_schedule_status(qs: QuerySet, today=None) -> QuerySet:
    """Each task with ``schedule_status`` (see schedule_status_expression), computed in SQL."""
    return qs.annotate(schedule_status=schedule_status_expression(today))


def for_list(qs: QuerySet, today: date | None = None) -> QuerySet:
    """Tasks ready for a list: related rows joined, ``schedule_status`` annotated (SQL) and the
    measures, milestones and targets prefetched."""
    return with_schedule_data(
        annotate_schedule_status(
            qs.select_related("inspection", "lead_unit").prefetch_related("cooperating_units"), today
        )
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


def warning_of(status: str, deadline: date | None, today: date) -> tuple[str, str]:
    """(label, colour) of the badge in the 三单预警 palette: red overdue, yellow behind, blue on
    schedule and due within DUE_SOON_DAYS (due_soon_task_q), green on schedule, grey finished."""
    if (
        status == ScheduleStatus.ON_SCHEDULE
        and deadline
        and deadline <= today + timedelta(days=settings.DUE_SOON_DAYS)
    ):
        return "即将到期", warning_colour[DUE_SOON]
    return ScheduleStatus(status).label, warning_colour[status]


def tasks_with_status(qs: QuerySet, today: date | None = None) -> list[RectificationTask]:
    """The tasks of ``qs`` with ``schedule_status`` (from SQL), ``warning`` and ``warning_colour``
    set, their measures, milestones and targets prefetched (one query per relation)."""
    today = _today(today)
    tasks = list(with_schedule_data(annotate_schedule_status(qs, today)))
    for task in tasks:
        annotate_task(task, today)
    return tasks


def annotate_task(task: RectificationTask, today: date) -> RectificationTask:
    """Set the badge (``warning``, ``warning_colour``) of a task fetched with annotate_schedule_status."""
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


GRADE_NONE = "none"  # not a TaskGrade: the task cannot be graded yet (未评定)


def grade_expression(year: int, today: date | None = None) -> Case:
    """This ``year``'s four-level grade of a task as one SQL CASE, the same rules as grade_of /
    grading.grade_task (docs/rules.md §6) with "none" (未评定) where grade_of gives a reason instead:
    no measures, no target for the year, or the target not yet assessed."""
    as_of = grade_as_of(year, today)
    target = AnnualTarget.objects.filter(task=OuterRef("pk"), year=year)
    measures = Measure.objects.filter(task=OuterRef("pk"))
    # Complete as of the cut-off: done, and not done after it (measure_facts with as_of).
    incomplete = measures.filter(Q(done=False) | Q(done_on__gt=as_of))
    late = Milestone.objects.filter(measure__task=OuterRef("pk"), due__year=year, due__lte=as_of).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=F("due"))
    )
    return Case(
        When(~Q(Exists(measures)), then=Value(GRADE_NONE)),
        When(~Q(Exists(target.filter(reached__isnull=False))), then=Value(GRADE_NONE)),
        When(Exists(target.filter(reached=False)), then=Value(TaskGrade.FAIL.value)),
        When(~Q(Exists(incomplete)), then=Value(TaskGrade.EXCELLENT.value)),
        When(Exists(late), then=Value(TaskGrade.PASS.value)),
        default=Value(TaskGrade.GOOD.value),
        output_field=CharField(),
    )


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
