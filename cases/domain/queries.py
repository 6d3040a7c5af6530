"""Reads that views, exports and reports share. Every one starts from the user's scope."""

from datetime import timedelta

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from org.permissions import scope

from ..enums import FINISHED_STATES
from ..models import Attachment, PetitionCase, ProgressEntry

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


def for_detail(qs: QuerySet) -> QuerySet:
    """What the case page shows, fetched in a fixed number of queries whatever the case holds."""
    return for_list(qs).prefetch_related(
        "related_cases",
        "points",
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by", "unit")),
        Prefetch("progress_entries", queryset=ProgressEntry.objects.select_related("actor")),
    )


def progress_with_attachments(case: PetitionCase) -> list[tuple[ProgressEntry, list[Attachment]]]:
    """The progress log, each entry with the files uploaded with it (from the prefetched rows)."""
    files: dict[int, list[Attachment]] = {}
    for attachment in case.attachments.all():
        if attachment.progress_id is not None:
            files.setdefault(attachment.progress_id, []).append(attachment)
    return [(entry, files.get(entry.pk, [])) for entry in case.progress_entries.all()]
