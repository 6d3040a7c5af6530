"""The coordination office's dashboard: totals, rates and chart series from the user's scope.

Every figure is an SQL aggregate over the user's scoped rows, counted with the status
definitions of the owning app (docs/status-definitions.md), so the list a figure links to —
filtered with the same definition — has exactly that many rows. One query per chart or row of
cards: a fixed number of queries whatever the number of tasks and cases (asserted in tests), and
no model object per case or task.
"""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from cases.domain import queries as case_q
from cases.enums import CaseState
from cases.models import PetitionCase
from rectification.domain import queries as task_q
from rectification.enums import ScheduleStatus, TaskGrade

from ..enums import WarningLevel, WarningState
from .queries import open_warning_q, tasks_visible_to, warnings_visible_to

WEEKS = 12


def _by_unit(qs, unit):
    through = qs.model.cooperating_units.through
    fk = "petitioncase_id" if qs.model is PetitionCase else "rectificationtask_id"
    coop = through.objects.filter(**{fk: OuterRef("pk"), "unit_id": unit.pk})
    return qs.filter(Q(lead_unit=unit) | Q(Exists(coop)))


def week_starts(today: date) -> list[date]:
    """The Mondays of the last WEEKS weeks, this week last."""
    week0 = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    return [week0 + timedelta(weeks=i) for i in range(WEEKS)]


def trend_day(start: date, today: date) -> date:
    """The day a week's trend point is taken: its Sunday, or today for this week."""
    return min(start + timedelta(days=6), today)


def dashboard_data(user, *, today: date, inspection=None, unit=None) -> dict:
    cases = case_q.cases_visible_to(user)
    tasks = tasks_visible_to(user)
    if inspection is not None:
        cases, tasks = cases.filter(inspection=inspection), tasks.filter(inspection=inspection)
    if unit is not None:
        cases, tasks = _by_unit(cases, unit), _by_unit(tasks, unit)
    weeks = week_starts(today)
    case_figures = _case_figures(cases, today, weeks)
    task_figures = _task_figures(tasks, today)
    open_warnings = Counter(
        dict(
            warnings_visible_to(user)
            .filter(open_warning_q())
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        )
    )
    escalated = warnings_visible_to(user).filter(state=WarningState.ESCALATED).count()
    return {
        "cases": case_figures,
        "tasks": task_figures,
        "warnings": [(lv, open_warnings[lv.value]) for lv in WarningLevel],
        "warnings_escalated": escalated,
        "weeks": [w.strftime("%m-%d") for w in weeks],
        "week_starts": weeks,
        "trend_days": [trend_day(w, today) for w in weeks],
        "new_per_week": case_figures.pop("new_per_week"),
        "closed_per_week": case_figures.pop("closed_per_week"),
        "overdue_trend": case_figures.pop("overdue_trend"),
        "states": list(CaseState),
    }


def _case_figures(cases, today: date, weeks: list[date]) -> dict:
    """Cards and weekly series in one aggregate query; unit × state and pollution types in one
    grouped query each (3 queries)."""
    counts = {
        "total": Count("pk"),
        "done": Count("pk", filter=case_q.finished_case_q()),
        "overdue": Count("pk", filter=case_q.overdue_q(today)),
        "on_time": Count("pk", filter=case_q.on_time_q(today)),
        "due_soon": Count("pk", filter=case_q.due_soon_q(None, today)),
    }
    for i, start in enumerate(weeks):
        end = start + timedelta(days=6)
        counts[f"new_{i}"] = Count("pk", filter=Q(transferred_on__gte=start, transferred_on__lte=end))
        counts[f"closed_{i}"] = Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end))
        counts[f"trend_{i}"] = Count(
            "pk",
            filter=case_q.overdue_as_of_q(trend_day(start, today), last_completed="last_completed_at"),
        )
    figures = case_q.annotate_last_completed(cases.order_by()).aggregate(**counts)

    by_unit_state: dict[tuple, Counter] = {}
    by_state: Counter = Counter()
    for unit_id, unit_name, state, n in (
        cases.order_by().values_list("lead_unit_id", "lead_unit__name", "state").annotate(n=Count("pk"))
    ):
        by_unit_state.setdefault((unit_id, unit_name or "未定单位"), Counter())[state] += n
        by_state[state] += n
    pollution = [
        row
        for row in cases.order_by()
        .values_list("pollution_types", "pollution_types__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "pollution_types__name")
        if row[0] is not None  # the cases without a pollution type
    ]
    total, done, overdue = figures["total"], figures["done"], figures["overdue"]
    return {
        "total": total,
        "done": done,
        "overdue": overdue,
        "on_time": figures["on_time"],
        "due_soon": figures["due_soon"],
        "completion_rate": _rate(done, total),
        "on_time_rate": _rate(figures["on_time"], total),
        "by_state": by_state,
        "by_unit_state": sorted(by_unit_state.items(), key=lambda kv: (-sum(kv[1].values()), kv[0][1])),
        # (pollution type id, name, cases)
        "pollution": pollution,
        "new_per_week": [figures[f"new_{i}"] for i in range(len(weeks))],
        "closed_per_week": [figures[f"closed_{i}"] for i in range(len(weeks))],
        "overdue_trend": [figures[f"trend_{i}"] for i in range(len(weeks))],
    }


def _task_figures(tasks, today: date) -> dict:
    """Schedule-status cards in one aggregate query, this year's grades in one grouped query."""
    figures = tasks.order_by().aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=task_q.finished_task_q()),
        on_schedule=Count("pk", filter=task_q.on_schedule_task_q(today)),
        behind=Count("pk", filter=task_q.behind_task_q(today)),
        overdue=Count("pk", filter=task_q.overdue_task_q(today)),
        on_time=Count("pk", filter=task_q.on_time_task_q(today)),
        due_soon=Count("pk", filter=task_q.due_soon_task_q(None, today)),
    )
    grades = Counter(
        dict(
            tasks.order_by()
            .annotate(grade_now=task_q.grade_expression(today.year, today))
            .values_list("grade_now")
            .annotate(n=Count("pk"))
        )
    )
    total = figures["total"]
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
