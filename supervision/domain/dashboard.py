"""The coordination office's dashboard: totals, rates and chart series from the user's scope.

Every figure is an SQL aggregate over the user's scoped rows, counted with the status
definitions of the owning app (docs/status-definitions.md), so the list a figure links to —
filtered with the same definition — has exactly that many rows. A fixed number of queries
whatever the number of tasks and cases (asserted in tests), no model object per case or task.

At province scale (100 000 cases) each query reads only the rows its figures need, through an
index (cases/migrations: the figures indexes; docs/reports-and-scale.md):
- lead unit × state over every scoped case — the totals, 已办结, the state legend and the unit
  chart (an index-only scan of (lead_unit, state));
- the open cases only — 逾期, N日内到期 and the open part of the overdue trend (the partial index
  of open cases);
- the cases transferred / closed in the twelve weeks of the chart — the weekly columns;
- the moves into 已办结 since the first trend day — the finished-late part of the trend;
- the pollution-type links of the scoped cases.
A unit user's scope is resolved to indexed ``IN`` lists first (cases_for_figures), never
``OR EXISTS``, which would read every case.
"""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from cases.domain import queries as case_q
from cases.domain import tallies
from cases.enums import CaseState
from cases.models import PetitionCase, PollutionType
from org.models import Unit
from rectification.domain import queries as task_q
from rectification.enums import ScheduleStatus, TaskGrade

from ..enums import LetterState, WarningLevel, WarningState
from .queries import letters_visible_to, open_warning_q, tasks_visible_to, warnings_visible_to

WEEKS = 12


def _by_unit(qs, unit):
    """The rows of ``qs`` the unit leads or cooperates on, as indexed ``IN`` lists (one query for
    the cooperating side)."""
    through = qs.model.cooperating_units.through
    fk = "petitioncase_id" if qs.model is PetitionCase else "rectificationtask_id"
    coop = sorted(set(through.objects.filter(unit_id=unit.pk).values_list(fk, flat=True)))
    return qs.filter(Q(lead_unit=unit) | Q(pk__in=coop))


def week_starts(today: date) -> list[date]:
    """The Mondays of the last WEEKS weeks, this week last."""
    week0 = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    return [week0 + timedelta(weeks=i) for i in range(WEEKS)]


def trend_day(start: date, today: date) -> date:
    """The day a week's trend point is taken: its Sunday, or today for this week."""
    return min(start + timedelta(days=6), today)


def dashboard_data(user, *, today: date, inspection=None, unit=None) -> dict:
    # The user's cases twice: filtered on indexed columns (to count the cases themselves), and
    # their ids as a subquery read from indexes alone (None: every case) to count other tables.
    cases, scoped_ids = case_q.cases_for_figures(user), case_q.case_ids_for_figures(user)
    case_ids, tasks = scoped_ids, tasks_visible_to(user)
    if inspection is not None:
        cases, tasks = cases.filter(inspection=inspection), tasks.filter(inspection=inspection)
    if unit is not None:
        cases, tasks = _by_unit(cases, unit), _by_unit(tasks, unit)
    if inspection is not None or unit is not None:
        case_ids = cases.values("pk")
    weeks = week_starts(today)
    case_figures = _case_figures(cases, case_ids, today, weeks)
    task_figures = _task_figures(tasks, today)
    # Open warnings by level and the escalated ones, in one grouped query.
    warnings = {
        level: (n_open, n_escalated)
        for level, n_open, n_escalated in warnings_visible_to(user, case_ids=scoped_ids)
        .order_by()
        .values_list("level")
        .annotate(
            n_open=Count("pk", filter=open_warning_q()),
            n_escalated=Count("pk", filter=Q(state=WarningState.ESCALATED)),
        )
    }
    return {
        "cases": case_figures,
        "tasks": task_figures,
        "warnings": [(lv, warnings.get(lv.value, (0, 0))[0]) for lv in WarningLevel],
        "warnings_escalated": sum(n for _, n in warnings.values()),
        "letters_open": letters_visible_to(user, case_ids=scoped_ids)
        .filter(state=LetterState.ISSUED)
        .count(),
        "weeks": [w.strftime("%m-%d") for w in weeks],
        "week_starts": weeks,
        "trend_days": [trend_day(w, today) for w in weeks],
        "new_per_week": case_figures.pop("new_per_week"),
        "closed_per_week": case_figures.pop("closed_per_week"),
        "overdue_trend": case_figures.pop("overdue_trend"),
        "states": list(CaseState),
    }


def _case_figures(cases, case_ids, today: date, weeks: list[date]) -> dict:
    """The case cards and charts in seven queries, each over only the rows it needs (module doc).
    Each count counts a NOT NULL column of the index the query reads (COUNT(*) takes no filter in
    Django, and COUNT(id) would make PostgreSQL read every row from the table as well)."""
    days = [trend_day(start, today) for start in weeks]

    by_unit_state: dict[int | None, Counter] = {}
    by_state: Counter = Counter()
    total = done = 0
    # Every case (the office, no filter): the trigger-kept tallies (cases.domain.tallies).
    for (unit_id, state), n in tallies.unit_state_counts(cases).items():
        by_unit_state.setdefault(unit_id, Counter())[state] += n
        by_state[state] += n
        total += n
        if case_q.is_finished_state(state):
            done += n
    names = dict(Unit.objects.values_list("pk", "name"))  # every unit: one query even with no cases

    # Only the open cases: overdue_q and due_soon_q are open_case_q and a deadline range, and the
    # open part of overdue_as_of_q(day) is "open, deadline before the day" (+ finished_late_counts).
    # Grouped by deadline and state first (a few thousand groups whatever the number of cases),
    # then each figure sums the groups its definition selects: the fourteen filters are tested on
    # the groups, not on every open case.
    open_figures = (
        cases.filter(case_q.open_case_q())
        .order_by()
        .values("deadline", "state")
        .annotate(n=Count("state"))
        .aggregate(
            overdue=Sum("n", filter=case_q.overdue_q(today), default=0),
            due_soon=Sum("n", filter=case_q.due_soon_q(None, today), default=0),
            **{
                f"due_before_{i}": Sum("n", filter=Q(deadline__lt=day), default=0)
                for i, day in enumerate(days)
            },
        )
    )
    finished_late = case_q.finished_late_counts(cases, days, case_ids=case_ids)
    # Cases transferred / closed per day of the twelve weeks (at most 84 grouped rows each), put
    # into their week here: the chart's columns and the lists they open use the same date ranges.
    new = _per_week(cases, "transferred_on", weeks)
    closed = _per_week(cases, "closed_on", weeks)
    # A case has each pollution type once: its links of a type are its cases of that type.
    per_type = tallies.pollution_counts(case_ids)  # case_ids None: every case
    pollution = sorted(
        (
            (pk, name, per_type[pk])
            for pk, name in PollutionType.objects.values_list("pk", "name")  # a short vocabulary
            if pk in per_type
        ),
        key=lambda row: (-row[2], row[1]),
    )
    overdue = open_figures["overdue"]
    return {
        "total": total,
        "done": done,
        "overdue": overdue,
        # on_time_q is ~overdue_q: every case in scope but the overdue ones.
        "on_time": total - overdue,
        "due_soon": open_figures["due_soon"],
        "completion_rate": _rate(done, total),
        "on_time_rate": _rate(total - overdue, total),
        "by_state": by_state,
        "by_unit_state": sorted(
            (((u, names.get(u, "未定单位")), counts) for u, counts in by_unit_state.items()),
            key=lambda kv: (-sum(kv[1].values()), kv[0][1]),
        ),
        # (pollution type id, name, cases)
        "pollution": pollution,
        "new_per_week": new,
        "closed_per_week": closed,
        "overdue_trend": [open_figures[f"due_before_{i}"] + finished_late[i] for i in range(len(weeks))],
    }


def _per_week(cases, field: str, weeks: list[date]) -> list[int]:
    """How many of ``cases`` have ``field`` (a date) in each week starting on ``weeks`` (one query
    grouped by day)."""
    end = weeks[-1] + timedelta(days=6)
    counts = [0] * len(weeks)
    for day, n in (
        cases.filter(**{f"{field}__gte": weeks[0], f"{field}__lte": end})
        .order_by()
        .values_list(field)
        .annotate(n=Count(field))
    ):
        counts[(day - weeks[0]).days // 7] += n
    return counts


def _task_figures(tasks, today: date) -> dict:
    """Schedule-status cards, 即将到期 and this year's grades in one query grouped by schedule
    status × grade (both SQL CASE expressions of rectification.domain.queries)."""
    by_status: Counter = Counter()
    grades: Counter = Counter()
    due_soon = 0
    for status, grade, n, n_due_soon in (
        tasks.order_by()
        .annotate(
            status_now=task_q.schedule_status_expression(today),
            grade_now=task_q.grade_expression(today.year, today),
        )
        .values_list("status_now", "grade_now")
        .annotate(n=Count("pk"), due_soon=Count("pk", filter=task_q.due_soon_task_q(None, today)))
    ):
        by_status[status] += n
        grades[grade] += n
        due_soon += n_due_soon
    total = sum(by_status.values())
    figures = {
        "total": total,
        "complete": by_status[ScheduleStatus.COMPLETE.value],
        "on_schedule": by_status[ScheduleStatus.ON_SCHEDULE.value],
        "behind": by_status[ScheduleStatus.BEHIND.value],
        "overdue": by_status[ScheduleStatus.OVERDUE.value],
        "due_soon": due_soon,
    }
    # on_time_task_q: finished, or on schedule.
    figures["on_time"] = figures["complete"] + figures["on_schedule"]
    return {
        **figures,
        "completion_rate": _rate(figures["complete"], total),
        "on_time_rate": _rate(figures["on_time"], total),
        # (grade value for the task list's ?grade= filter, label, count)
        "grades": [(g.value, g.label, grades[g.value]) for g in TaskGrade]
        + [(task_q.GRADE_NONE, "未评定", grades[task_q.GRADE_NONE])],
        "statuses": [
            (s.value, s.label, figures[key])
            for s, key in (
                (ScheduleStatus.COMPLETE, "complete"),
                (ScheduleStatus.ON_SCHEDULE, "on_schedule"),
                (ScheduleStatus.BEHIND, "behind"),
                (ScheduleStatus.OVERDUE, "overdue"),
            )
        ],
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
