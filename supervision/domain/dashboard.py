"""The coordination office's dashboard: totals, rates and chart series from the user's scope.

Loads in a fixed number of queries whatever the number of tasks and cases (asserted in tests).
"""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from cases.domain.queries import cases_visible_to
from cases.domain.transitions import TRANSITIONS
from cases.enums import FINISHED_STATES, CaseState
from cases.models import CaseTransition, PetitionCase, PollutionType
from rectification.domain.queries import grade_of, tasks_with_status
from rectification.enums import ScheduleStatus, TaskGrade
from rectification.grading import Grade

from ..enums import LetterState, WarningLevel, WarningState
from .queries import letters_visible_to, tasks_visible_to, warnings_visible_to

WEEKS = 12
# The states a case reaches 已办结 from in the workflow (cases.domain.transitions.TRANSITIONS).
COMPLETION_SOURCES = sorted(f for f, t in TRANSITIONS if t == CaseState.COMPLETED)


def _by_unit(qs, unit):
    through = qs.model.cooperating_units.through
    fk = "petitioncase_id" if qs.model is PetitionCase else "rectificationtask_id"
    coop = through.objects.filter(**{fk: OuterRef("pk"), "unit_id": unit.pk})
    return qs.filter(Q(lead_unit=unit) | Q(Exists(coop)))


def dashboard_data(user, *, today: date, inspection=None, unit=None) -> dict:
    cases = cases_visible_to(user)
    tasks_qs = tasks_visible_to(user)
    if inspection is not None:
        cases, tasks_qs = cases.filter(inspection=inspection), tasks_qs.filter(inspection=inspection)
    if unit is not None:
        cases, tasks_qs = _by_unit(cases, unit), _by_unit(tasks_qs, unit)

    rows = list(
        cases.values_list(
            "pk", "state", "deadline", "lead_unit_id", "lead_unit__name", "transferred_on", "closed_on"
        )
    )
    # When each case really reached 已办结: its last workflow transition into completed (see
    # _overdue_at). A transition straight from received into a finished state is how seeded and
    # imported cases record the state they arrived in, not a finish date, so it is left out.
    completed_at = dict(
        CaseTransition.objects.filter(
            case__in=cases.values("pk"), to_state=CaseState.COMPLETED, from_state__in=COMPLETION_SOURCES
        )
        .order_by()
        .values_list("case_id")
        .annotate(last=Max("at"))
    )
    finished_on = {pk: timezone.localdate(at) for pk, at in completed_at.items()}
    pollution = list(
        PollutionType.objects.annotate(
            n=Count("petitioncase", filter=Q(petitioncase__in=cases.values("pk")))
        ).filter(n__gt=0)
    )
    case_total = len(rows)
    case_done = sum(1 for r in rows if r[1] in FINISHED_STATES)
    case_overdue = sum(1 for r in rows if r[1] not in FINISHED_STATES and r[2] and r[2] < today)
    by_unit_state: dict[tuple, Counter] = {}
    for _, state, _, unit_id, unit_name, _, _ in rows:
        by_unit_state.setdefault((unit_id, unit_name or "未定单位"), Counter())[state] += 1

    # Schedule status and this year's grade, both as rectification computes them (4 queries).
    tasks = tasks_with_status(
        tasks_qs.select_related("lead_unit").only("pk", "number", "status", "deadline", "lead_unit__name"),
        today,
    )
    status_counts = Counter(t.schedule_status for t in tasks)
    grades = Counter()
    for task in tasks:
        grade = grade_of(task, today.year, today=today)
        grades[grade.grade if isinstance(grade, Grade) else "none"] += 1
    task_total = len(tasks)

    open_warnings = Counter(
        dict(
            warnings_visible_to(user)
            .filter(state__in=[WarningState.OPEN, WarningState.ESCALATED])
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        )
    )
    letters_open = letters_visible_to(user).filter(state=LetterState.ISSUED).count()

    week0 = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    weeks = [week0 + timedelta(weeks=i) for i in range(WEEKS)]
    new_per_week, closed_per_week, overdue_trend = [0] * WEEKS, [0] * WEEKS, []
    for _, _, _, _, _, transferred_on, closed_on in rows:
        for i, start in enumerate(weeks):
            if transferred_on and start <= transferred_on < start + timedelta(days=7):
                new_per_week[i] += 1
            if closed_on and start <= closed_on < start + timedelta(days=7):
                closed_per_week[i] += 1
    for start in weeks:
        end = min(start + timedelta(days=6), today)  # the week's Sunday; this week: today
        overdue_trend.append(
            sum(
                1
                for pk, state, deadline, *_ in rows
                if _overdue_at(end, state, deadline, finished_on.get(pk))
            )
        )

    return {
        "cases": {
            "total": case_total,
            "done": case_done,
            "overdue": case_overdue,
            "key": None,
            "completion_rate": _rate(case_done, case_total),
            "on_time_rate": _rate(case_total - case_overdue, case_total),
            "by_state": Counter(r[1] for r in rows),
            "by_unit_state": sorted(by_unit_state.items(), key=lambda kv: -sum(kv[1].values())),
            "pollution": [(p, p.n) for p in sorted(pollution, key=lambda p: -p.n)],
        },
        "tasks": {
            "total": task_total,
            "complete": status_counts[ScheduleStatus.COMPLETE],
            "on_schedule": status_counts[ScheduleStatus.ON_SCHEDULE],
            "behind": status_counts[ScheduleStatus.BEHIND],
            "overdue": status_counts[ScheduleStatus.OVERDUE],
            "completion_rate": _rate(status_counts[ScheduleStatus.COMPLETE], task_total),
            "on_time_rate": _rate(
                status_counts[ScheduleStatus.COMPLETE] + status_counts[ScheduleStatus.ON_SCHEDULE], task_total
            ),
            # (grade value for the task list's ?grade= filter, label, count)
            "grades": [(g.value, g.label, grades[g.value]) for g in TaskGrade]
            + [("none", "未评定", grades["none"])],
        },
        "warnings": [(lv, open_warnings[lv.value]) for lv in WarningLevel],
        "letters_open": letters_open,
        "weeks": [w.strftime("%m-%d") for w in weeks],
        "week_starts": weeks,
        "new_per_week": new_per_week,
        "closed_per_week": closed_per_week,
        "overdue_trend": overdue_trend,
        "states": list(CaseState),
    }


def _overdue_at(end: date, state: str, deadline: date | None, finished_on: date | None) -> bool:
    """Was the case overdue at the end of day ``end``: deadline passed and not finished by then?

    - a case not in a finished state now (open or 重新整改) is unfinished: overdue once its
      deadline has passed, so the trend's last point (today) equals the headline figure;
    - a finished case with a recorded completion (rectifying/investigating → completed) was
      finished on that transition's local (Asia/Shanghai) date;
    - a finished case with no such record (imported, or seeded straight into its state) has no
      known finish date; it reached its state before it came into this system, so it is taken as
      finished by the earliest of its deadline, publicity and closing dates — i.e. never overdue.
    """
    if not deadline or deadline >= end:
        return False
    if state not in FINISHED_STATES:
        return True
    return finished_on is not None and finished_on > end


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
