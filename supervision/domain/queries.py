"""Reads of the supervision app, and the few reads of other apps' history it needs.

Schedule status, grades and "no progress report for N days" come from
``rectification.domain.queries`` (one implementation); this module adds what only supervision
needs: what changed on a day, the recipients of reports and warnings, and the escalation
records a person may see. Every read that shows records to a person starts from the user's
scoped tasks and cases.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from cases.domain.queries import cases_visible_to
from org.domain.units import users_of_units
from org.enums import Role
from org.models import User
from org.permissions import access_of
from rectification.domain.queries import tasks_visible_to
from rectification.models import Measure, Milestone, ProgressReport, RectificationTask

from ..enums import WarningState
from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, Report, ReportSection, SupervisionLetter


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The aware start and end of a calendar day in Asia/Shanghai."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def task_ids_changed_between(task_ids, start: datetime, end: datetime) -> set[int]:
    """Tasks whose own row, a measure, a milestone or a progress report changed in [start, end)
    (4 queries)."""
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
    changed |= set(
        ProgressReport.history.filter(
            task_id__in=ids, history_date__gte=start, history_date__lt=end
        ).values_list("task_id", flat=True)
    )
    return changed


def unit_heads(unit_ids) -> dict[int, list[User]]:
    """Active unit heads of each unit (1 query)."""
    return users_of_units(unit_ids, (Role.UNIT_HEAD,))


def office_users() -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).distinct())


def discipline_users() -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.DISCIPLINE).distinct())


# --- what a person may see ------------------------------------------------------------------


def _item_scope(qs: QuerySet, user, *, case_ids: QuerySet | None = None) -> QuerySet:
    """Records of the tasks and cases the user may see. ``case_ids``: the ids of the user's cases
    as a subquery read from indexes alone (case_ids_for_figures), for figures over many cases."""
    if access_of(user).reads_all:
        return qs
    if case_ids is None:
        case_ids = cases_visible_to(user).values("pk")
    return qs.filter(Q(task__in=tasks_visible_to(user).values("pk")) | Q(case__in=case_ids))


def open_warning_q() -> Q:
    """未解除的预警: a warning not yet resolved — still open, or escalated to a supervision letter
    (已发督办函), which stays open until the item is done or re-dated (docs/status-definitions.md)."""
    return Q(state__in=[WarningState.OPEN, WarningState.ESCALATED])


def warnings_visible_to(user, *, case_ids: QuerySet | None = None) -> QuerySet:
    return _item_scope(EarlyWarning.objects.all(), user, case_ids=case_ids)


def letters_visible_to(user, *, case_ids: QuerySet | None = None) -> QuerySet:
    return _item_scope(SupervisionLetter.objects.all(), user, case_ids=case_ids)


def talks_visible_to(user) -> QuerySet:
    return _item_scope(AdmonitionTalk.objects.all(), user)


def referrals_visible_to(user) -> QuerySet:
    return _item_scope(ClueReferral.objects.all(), user)


def reports_visible_to(user) -> QuerySet:
    """Reports cover every unit: the read-all roles see them; a unit user sees the daily dispatch
    and the weekly / monthly reports that have a section of their units (the views then show only
    their units' sections)."""
    access = access_of(user)
    if access.reads_all:
        return Report.objects.all()
    if access.unit_ids:  # the dispatch, and the weekly / monthly reports with a section of theirs
        own = ReportSection.objects.filter(report=OuterRef("pk"), unit_id__in=access.unit_ids)
        return Report.objects.filter(Q(kind="daily") | Q(Exists(own)))
    return Report.objects.none()


# (model, the date field it is ordered by, the kind the templates show), in the order of the escalation
_ESCALATION = (
    (EarlyWarning, "raised_on", "warning"),
    (SupervisionLetter, "issued_on", "letter"),
    (AdmonitionTalk, "held_on", "talk"),
    (ClueReferral, "referred_on", "referral"),
)


def escalation_history(*, task=None, case=None) -> list:
    """Every warning, letter, talk and referral of one item, oldest first. One query finds which of
    the four the item has (most items have none: then that is all), then one query for each."""
    key = {"task": task} if task is not None else {"case": case}
    parts = [
        model.objects.filter(**key)
        .order_by()
        .annotate(step=Value(step, output_field=IntegerField()))
        .values_list("step", flat=True)
        for step, (model, _, _) in enumerate(_ESCALATION)
    ]
    steps = set(parts[0].union(*parts[1:], all=True))
    events = []
    for step in sorted(steps):
        model, date_field, kind = _ESCALATION[step]
        for record in model.objects.filter(**key):
            events.append((getattr(record, date_field), step, kind, record))
    events.sort(key=lambda e: (e[0], e[1], e[3].pk))
    return [{"on": on, "kind": kind, "record": rec} for on, _, kind, rec in events]
