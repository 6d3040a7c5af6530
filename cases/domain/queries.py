"""Reads that views, exports and reports share. Every one starts from the user's scope."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from org.permissions import scope, scope_ids, scope_indexed, scope_inline

from ..enums import FINISHED_STATES, CaseState
from ..models import Attachment, CaseTransition, PetitionCase, ProgressEntry
from .transitions import TRANSITIONS

CASE_UNIT_FIELDS = ("lead_unit", "cooperating_units")
# Seen only by the office and the case's own units; left out of history shown to other readers.
PERSONAL_FIELDS = frozenset({"complainant_contact"})
# The states a case reaches 已办结 from in the workflow. A move straight from 已交办 into a finished
# state is how seeded and imported cases record the state they arrived in, not a finish date.
COMPLETION_SOURCES = sorted(f for f, t in TRANSITIONS if t == CaseState.COMPLETED)


def cases_visible_to(user) -> QuerySet:
    """The cases the user may see (docs/rules.md §9), as the start of every case read."""
    return scope(PetitionCase.objects.all(), user, unit_fields=CASE_UNIT_FIELDS)


def cases_for_figures(user) -> QuerySet:
    """The same cases as cases_visible_to, filtered on indexed columns (org.permissions.scope_indexed):
    the start of the figures that count a unit user's cases in a large table (dashboard, home page)."""
    return scope_indexed(PetitionCase.objects.all(), user, unit_fields=CASE_UNIT_FIELDS)


def cases_for_list(user) -> QuerySet:
    """The same cases as cases_visible_to, with the scope written so PostgreSQL can use the indexes
    (org.permissions.scope_inline) and no extra query: the start of the case list."""
    return scope_inline(PetitionCase.objects.all(), user, unit_fields=CASE_UNIT_FIELDS)


def case_ids_for_figures(user) -> QuerySet | None:
    """The ids of cases_visible_to(user) as a subquery read from indexes alone (org.permissions.
    scope_ids), for counting another table's rows of those cases; None: every case."""
    return scope_ids(PetitionCase.objects.all(), user, unit_fields=CASE_UNIT_FIELDS)


# --- status definitions (docs/status-definitions.md) -------------------------------------------
# Each status of a case is defined here once, as a Q over PetitionCase; the badge, the list filter,
# the dashboard and home-page figures, the reports and the warning sweep all use these.


def finished_case_q() -> Q:
    """已办结: the case has reached 已办结 or a later step (验收、复核、公示、销号、备案)."""
    return Q(state__in=sorted(FINISHED_STATES))


def is_finished_state(state: str) -> bool:
    """finished_case_q for one state value: counts already grouped by state (cases.domain.tallies)
    are split into 已办结 / 未办结 with this, from the same FINISHED_STATES."""
    return state in FINISHED_STATES


def open_case_q() -> Q:
    """未办结: every case not finished (重新整改 included)."""
    return ~finished_case_q()


def overdue_q(today=None) -> Q:
    """逾期: not finished and its deadline is before ``today`` (due today is not yet overdue)."""
    today = today or timezone.localdate()
    return open_case_q() & Q(deadline__lt=today)


def due_soon_q(days: int | None = None, today=None) -> Q:
    """即将到期 (N日内到期): not finished, deadline from ``today`` to ``today + days`` inclusive."""
    today = today or timezone.localdate()
    days = settings.DUE_SOON_DAYS if days is None else days
    return open_case_q() & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))


def on_time_q(today=None) -> Q:
    """未逾期 (the numerator of 按期率): every case that is not overdue, finished ones included."""
    return ~overdue_q(today)


def _end_of(day: date) -> datetime:
    """The aware start of the day after ``day`` in Asia/Shanghai."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def completions() -> QuerySet:
    """The workflow's moves of a case (OuterRef "pk") into 已办结. A move straight from 已交办 into
    a finished state is how seeded and imported cases record their arrival, not a finish."""
    return CaseTransition.objects.filter(
        case=OuterRef("pk"), to_state=CaseState.COMPLETED, from_state__in=COMPLETION_SOURCES
    )


def finished_late_counts(cases: QuerySet, days: list[date], *, case_ids: QuerySet | None = None) -> list[int]:
    """For each of ``days``: how many finished ``cases`` overdue_as_of_q(day) counts — deadline
    before the day, last recorded move into 已办结 after its end — in one grouped query from the
    transitions side (one MAX per case, not one lookup per case and day). With the open cases
    whose deadline is before the day (a plain count) this is the overdue_as_of_q count of the day.
    ``case_ids``: the ids of ``cases`` as a subquery the database reads from indexes alone
    (case_ids_for_figures), used instead of ``cases`` to pick the moves.
    """
    if not days:
        return []
    ends = [_end_of(day) for day in days]
    # A case whose last move into 已办结 is at or after min(ends) has such a move, and its last
    # move is the latest of those: only the moves since min(ends) are read (an index range).
    moves = CaseTransition.objects.filter(
        to_state=CaseState.COMPLETED,
        from_state__in=COMPLETION_SOURCES,
        at__gte=min(ends),
        case__state__in=sorted(FINISHED_STATES),  # finished_case_q, on the joined case
        case__deadline__lt=max(days),
    )
    if case_ids is not None:
        moves = moves.filter(case__in=case_ids)
    elif cases.query.where:  # a scope or a filter: only the moves of those cases
        moves = moves.filter(case__in=cases.values("pk"))
    per_case = moves.order_by().values("case_id", "case__deadline").annotate(last=Max("at"))
    figures = per_case.aggregate(
        **{
            f"d{i}": Count("case_id", filter=Q(case__deadline__lt=day, last__gte=end))
            for i, (day, end) in enumerate(zip(days, ends, strict=True))
        }
    )
    return [figures[f"d{i}"] for i in range(len(days))]


def overdue_as_of_q(day: date) -> Q:
    """逾期（截至某日末）: the deadline was before ``day`` and the case was not finished by the end
    of ``day``. A case not finished now was not finished then; a finished case counts as finished
    on its last recorded move into 已办结 (completions). A case that arrived already finished
    (no such move recorded) counts as finished all along. For ``day`` = today this is exactly
    ``overdue_q(today)``. To count many days at once: open cases with ``deadline < day`` plus
    finished_late_counts (the same rule, one grouped query).
    """
    finished_later = Q(Exists(completions().filter(at__gte=_end_of(day))))
    return Q(deadline__lt=day) & (open_case_q() | (finished_case_q() & finished_later))


def changed_on_q(day: date) -> Q:
    """当日有变化: the case moved in its workflow on ``day`` (a transition at any time that day,
    Asia/Shanghai) — what the daily dispatch's 昨日变化 counts."""
    start = _end_of(day - timedelta(days=1))
    # IN (the day's moves), not EXISTS per case: the day's moves are few, the cases many.
    moves = CaseTransition.objects.filter(at__gte=start, at__lt=_end_of(day)).values("case_id")
    return Q(pk__in=moves)


def annotate_overdue(qs: QuerySet, today=None) -> QuerySet:
    return qs.annotate(
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def for_list_rows(qs: QuerySet) -> QuerySet:
    """What the case list's table shows (no many-to-many: the table has no column for them)."""
    return qs.select_related("inspection", "lead_unit", "locality")


def for_list(qs: QuerySet) -> QuerySet:
    """What a case list row shows, fetched in a fixed number of queries."""
    return qs.select_related("inspection", "lead_unit", "locality").prefetch_related(
        "pollution_types", "cooperating_units"
    )


def for_detail(qs: QuerySet) -> QuerySet:
    """What the case page shows, fetched in a fixed number of queries whatever the case holds."""
    return for_list(qs).prefetch_related(
        # the page names a related case by its number only: not the other cases' whole rows
        Prefetch("related_cases", queryset=PetitionCase.objects.only("pk", "receipt_no")),
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


def visible_case_ids(user, ids) -> set[int]:
    """Which of ``ids`` the user may open (one query; none for the read-all roles): pages of other
    apps link a case only when its page will not answer 404 to the reader."""
    from org.permissions import access_of

    ids = {i for i in ids if i is not None}
    if not ids or access_of(user).reads_all:
        return ids
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def pending_import_q() -> Q:
    """待确认的交办单导入 (Q over TransferSheetImport): uploaded and previewed, not yet confirmed."""
    from ..enums import ImportState

    return Q(state=ImportState.PREVIEWED)
