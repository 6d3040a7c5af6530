"""Reads of the supervision app, and the schedule-status reads it needs from other apps.

The rectification app does not (yet) offer schedule status on querysets, so ``task_statuses``
computes it here with ``rectification.grading`` on prefetched measures and milestones: three
queries whatever the number of tasks. Every read that shows records to a person starts from
the user's scoped tasks and cases.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.domain.queries import cases_visible_to
from org.enums import Role
from org.models import User
from org.permissions import access_of
from rectification.domain.queries import FINISHED_TASK_STATES, tasks_visible_to
from rectification.enums import ScheduleStatus
from rectification.grading import MeasureFacts, MilestoneFacts, schedule_status_of_task
from rectification.models import Measure, Milestone, RectificationTask

from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, Report, SupervisionLetter


def measure_facts(tasks: list[RectificationTask]) -> dict[int, list[MeasureFacts]]:
    """The measures (with milestones) of each task as grading facts (2 queries)."""
    ids = [t.pk for t in tasks]
    milestones: dict[int, list[MilestoneFacts]] = {}
    for measure_id, due, done_on in Milestone.objects.filter(measure__task_id__in=ids).values_list(
        "measure_id", "due", "done_on"
    ):
        milestones.setdefault(measure_id, []).append(MilestoneFacts(due=due, done=done_on))
    measures: dict[int, list[MeasureFacts]] = {}
    for pk, task_id, seq, done, deadline in Measure.objects.filter(task_id__in=ids).values_list(
        "pk", "task_id", "seq", "done", "deadline"
    ):
        measures.setdefault(task_id, []).append(
            MeasureFacts(
                complete=done, milestones=tuple(milestones.get(pk, ())), deadline=deadline, label=f"措施{seq}"
            )
        )
    return measures


def status_from_facts(task: RectificationTask, measures: list[MeasureFacts], today: date) -> ScheduleStatus:
    if task.status in FINISHED_TASK_STATES:
        return ScheduleStatus.COMPLETE
    status = schedule_status_of_task(measures, today, deadline=task.deadline)
    # An open task is not "complete" before its close-out has begun: all measures done means on schedule.
    return ScheduleStatus.ON_SCHEDULE if status == ScheduleStatus.COMPLETE else status


def task_statuses(tasks: list[RectificationTask], today: date) -> dict[int, ScheduleStatus]:
    """序时进度 of each task (pk → status), from its measures and milestones (2 queries)."""
    facts = measure_facts(tasks)
    return {t.pk: status_from_facts(t, facts.get(t.pk, []), today) for t in tasks}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The aware start and end of a calendar day in Asia/Shanghai."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def task_ids_changed_between(task_ids, start: datetime, end: datetime) -> set[int]:
    """Tasks whose own row, a measure or a milestone changed in [start, end) (3 queries)."""
    ids = list(task_ids)
    changed = set(
        RectificationTask.history.filter(
            id__in=ids, history_date__gte=start, history_date__lt=end
        ).values_list("id", flat=True)
    )
    changed |= set(
        Measure.history.filter(task_id__in=ids, history_date__gte=start, history_date__lt=end).values_list(
            "task_id", flat=True
        )
    )
    measure_ids = Milestone.history.filter(history_date__gte=start, history_date__lt=end).values_list(
        "measure_id", flat=True
    )
    changed |= set(
        Measure.objects.filter(pk__in=measure_ids, task_id__in=ids).values_list("task_id", flat=True)
    )
    return changed


def tasks_without_progress_since(task_ids, since: date) -> set[int]:
    """Open tasks with no change to the task, its measures or milestones from ``since`` on."""
    start, _ = day_bounds(since)
    ids = set(task_ids)
    return ids - task_ids_changed_between(ids, start, timezone.now() + timedelta(days=3650))


def unit_heads(unit_ids) -> dict[int, list[User]]:
    """Active unit heads of each unit (1 query)."""
    by_unit: dict[int, list[User]] = {}
    rows = User.objects.filter(
        is_active=True, role_assignments__role=Role.UNIT_HEAD, role_assignments__unit_id__in=list(unit_ids)
    ).values_list("role_assignments__unit_id", "pk")
    pairs = list(rows)
    users = User.objects.in_bulk({pk for _, pk in pairs})
    for unit_id, pk in pairs:
        by_unit.setdefault(unit_id, []).append(users[pk])
    return by_unit


def office_users() -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).distinct())


# --- what a person may see ------------------------------------------------------------------


def _item_scope(qs: QuerySet, user) -> QuerySet:
    if access_of(user).reads_all:
        return qs
    return qs.filter(
        Q(task__in=tasks_visible_to(user).values("pk")) | Q(case__in=cases_visible_to(user).values("pk"))
    )


def warnings_visible_to(user) -> QuerySet:
    return _item_scope(EarlyWarning.objects.all(), user)


def letters_visible_to(user) -> QuerySet:
    return _item_scope(SupervisionLetter.objects.all(), user)


def talks_visible_to(user) -> QuerySet:
    return _item_scope(AdmonitionTalk.objects.all(), user)


def referrals_visible_to(user) -> QuerySet:
    return _item_scope(ClueReferral.objects.all(), user)


def reports_visible_to(user) -> QuerySet:
    """Reports cover every unit: the read-all roles see them; a unit user sees the daily dispatch
    (the view then shows only their units' sections)."""
    access = access_of(user)
    if access.reads_all:
        return Report.objects.all()
    if access.unit_ids:
        return Report.objects.filter(kind="daily")
    return Report.objects.none()


def escalation_history(*, task=None, case=None) -> list:
    """Every warning, letter, talk and referral of one item, oldest first (4 queries)."""
    key = {"task": task} if task is not None else {"case": case}
    events = []
    for w in EarlyWarning.objects.filter(**key):
        events.append((w.raised_on, 0, "warning", w))
    for letter in SupervisionLetter.objects.filter(**key):
        events.append((letter.issued_on, 1, "letter", letter))
    for talk in AdmonitionTalk.objects.filter(**key):
        events.append((talk.held_on, 2, "talk", talk))
    for ref in ClueReferral.objects.filter(**key):
        events.append((ref.referred_on, 3, "referral", ref))
    events.sort(key=lambda e: (e[0], e[1], e[3].pk))
    return [{"on": on, "kind": kind, "record": rec} for on, _, kind, rec in events]
