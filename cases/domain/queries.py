"""Reads that views, exports and reports share. Every one starts from the user's scope."""

from datetime import timedelta

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from org.permissions import scope

from ..enums import FINISHED_STATES
from ..models import PetitionCase

CASE_UNIT_FIELDS = ("lead_unit", "cooperating_units")
# Seen only by the office and the case's own units; left out of history shown to other readers.
PERSONAL_FIELDS = frozenset({"complainant_contact"})


def cases_visible_to(user) -> QuerySet:
    """The cases the user may see (domain.md §8), as the start of every case read."""
    return scope(PetitionCase.objects.all(), user, unit_fields=CASE_UNIT_FIELDS)


def open_case_q() -> Q:
    return ~Q(state__in=sorted(FINISHED_STATES))


def overdue_q(today=None) -> Q:
    today = today or timezone.localdate()
    return open_case_q() & Q(deadline__lt=today)


def due_soon_q(days: int, today=None) -> Q:
    today = today or timezone.localdate()
    return open_case_q() & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))


def annotate_overdue(qs: QuerySet, today=None) -> QuerySet:
    return qs.annotate(
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def for_list(qs: QuerySet) -> QuerySet:
    """What a case list row shows, fetched in a fixed number of queries."""
    return qs.select_related("inspection", "lead_unit", "locality").prefetch_related(
        "pollution_types", "cooperating_units"
    )
