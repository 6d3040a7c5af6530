"""Reads of tasks and measures that views, exports and reports share; scoped to the user."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from org.permissions import scope

from ..enums import TaskStatus
from ..models import RectificationTask

TASK_UNIT_FIELDS = ("lead_unit", "cooperating_units")
FINISHED_TASK_STATES = frozenset(
    {TaskStatus.COMPLETE, TaskStatus.ACCEPTED, TaskStatus.PUBLICIZED, TaskStatus.CLOSED, TaskStatus.FILED}
)


def tasks_visible_to(user) -> QuerySet:
    """The tasks the user may see (domain.md §8), as the start of every task read."""
    return scope(RectificationTask.objects.all(), user, unit_fields=TASK_UNIT_FIELDS)


def open_task_q() -> Q:
    return ~Q(status__in=sorted(FINISHED_TASK_STATES))


def overdue_task_q(today=None) -> Q:
    today = today or timezone.localdate()
    return open_task_q() & Q(deadline__lt=today)


def due_soon_task_q(days: int, today=None) -> Q:
    today = today or timezone.localdate()
    return open_task_q() & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))


def for_list(qs: QuerySet) -> QuerySet:
    return qs.select_related("inspection", "lead_unit").prefetch_related("cooperating_units")
