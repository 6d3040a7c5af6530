"""The change feed (变更事件): an ordered, scoped view of what the existing logs already record.

Sources are the tables every change already writes (no table of its own, nothing to keep in
step): case creation (simple-history), case transitions, case progress, task close-out steps,
task progress, signatures and warnings. Each source is read in its own primary-key order from
the position the cursor holds for it; the heads of the sources are merged by time, so every
source is consumed as a prefix and every row is returned exactly once across pages, whatever
the clock says. The cursor is the position in each source, encoded as opaque text.

A row that a transaction commits after a later-numbered row was already served would be missed
by a follower at that moment; on SQLite writes are serialised, and on PostgreSQL the feed holds
back rows younger than API_EVENTS_SETTLE_SECONDS (default 2 s) so that such a row has committed.
"""

import base64
import binascii
import heapq
import json
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from acceptance.domain.queries import forms_visible_to
from acceptance.models import Signature
from cases.domain.queries import cases_visible_to
from cases.models import CaseTransition, PetitionCase, ProgressEntry
from org.permissions import access_of
from qianshan.common.errors import DomainError
from rectification.domain.queries import tasks_visible_to
from rectification.models import ProgressReport, TaskStepRecord
from supervision.domain.queries import warnings_visible_to

MAX_LIMIT = 500


@dataclass(frozen=True)
class Event:
    source: str
    pk: int
    at: object
    type: str
    object_type: str
    object_id: int
    actor: str | None
    data: dict

    def as_dict(self) -> dict:
        return {
            "id": f"{self.source}:{self.pk}",
            "type": self.type,
            "at": self.at,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "actor": self.actor,
            "data": self.data,
        }


def _name(user) -> str | None:
    return user.display_name if user is not None else None


# --- the sources: (scoped queryset, time field, row → Event) ---------------------------------------
def _case_created(user) -> QuerySet:
    qs = PetitionCase.history.filter(history_type="+").select_related("history_user")
    if not access_of(user).reads_all:
        qs = qs.filter(id__in=cases_visible_to(user).values("pk"))
    return qs


def _case_ids(user):
    return None if access_of(user).reads_all else cases_visible_to(user).values("pk")


def _scoped(qs: QuerySet, field: str, ids) -> QuerySet:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


SOURCES = {
    "cc": (
        lambda user: _case_created(user),
        "history_id",
        "history_date",
        lambda r: Event(
            "cc",
            r.history_id,
            r.history_date,
            "case.created",
            "case",
            r.id,
            _name(r.history_user),
            {"receipt_no": r.receipt_no, "state": r.state, "reason": r.history_change_reason or ""},
        ),
    ),
    "ct": (
        lambda user: _scoped(CaseTransition.objects.select_related("actor", "case"), "case", _case_ids(user)),
        "id",
        "at",
        lambda r: Event(
            "ct",
            r.pk,
            r.at,
            "case.state_changed",
            "case",
            r.case_id,
            _name(r.actor),
            {"receipt_no": r.case.receipt_no, "from": r.from_state, "to": r.to_state, "reason": r.reason},
        ),
    ),
    "cp": (
        lambda user: _scoped(ProgressEntry.objects.select_related("actor", "case"), "case", _case_ids(user)),
        "id",
        "created_at",
        lambda r: Event(
            "cp",
            r.pk,
            r.created_at,
            "case.progress_added",
            "case",
            r.case_id,
            _name(r.actor),
            {"receipt_no": r.case.receipt_no, "happened_on": r.happened_on.isoformat(), "text": r.text},
        ),
    ),
    "ts": (
        lambda user: TaskStepRecord.objects.filter(
            task__in=tasks_visible_to(user).values("pk")
        ).select_related("actor", "task"),
        "id",
        "at",
        lambda r: Event(
            "ts",
            r.pk,
            r.at,
            "task.state_changed",
            "task",
            r.task_id,
            _name(r.actor),
            {
                "number": r.task.number,
                "step": r.step,
                "from": r.from_status,
                "to": r.to_status,
                "note": r.note,
            },
        ),
    ),
    "tp": (
        lambda user: ProgressReport.objects.filter(
            task__in=tasks_visible_to(user).values("pk")
        ).select_related("reported_by", "task"),
        "id",
        "created_at",
        lambda r: Event(
            "tp",
            r.pk,
            r.created_at,
            "task.progress_added",
            "task",
            r.task_id,
            _name(r.reported_by),
            {
                "number": r.task.number,
                "measure": r.measure_id,
                "reported_on": r.reported_on.isoformat(),
                "percent": r.percent,
                "text": r.text,
            },
        ),
    ),
    "sg": (
        lambda user: Signature.objects.filter(
            slot__form__in=forms_visible_to(user).values("pk")
        ).select_related("signer", "slot__form__step"),
        "id",
        "signed_at",
        lambda r: Event(
            "sg",
            r.pk,
            r.signed_at,
            "acceptance.signed",
            "form",
            r.slot.form_id,
            _name(r.signer),
            {"case": r.slot.form.step.case_id, "form_kind": r.slot.form.kind, "slot_role": r.slot.role},
        ),
    ),
    "wr": (
        lambda user: warnings_visible_to(user),
        "id",
        None,  # a warning has a date, not a time: it sorts at the start of its day
        lambda r: Event(
            "wr",
            r.pk,
            _start_of(r.raised_on),
            "warning.raised",
            "case" if r.case_id else "task",
            r.case_id or r.task_id,
            None,
            {"level": r.level, "deadline": r.deadline.isoformat(), "reason": r.reason},
        ),
    ),
}
SOURCE_ORDER = list(SOURCES)


def _start_of(day):
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time.min))


# --- cursor --------------------------------------------------------------------------------------
def encode_cursor(positions: dict[str, int]) -> str:
    raw = json.dumps({k: positions.get(k, 0) for k in SOURCE_ORDER}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> dict[str, int]:
    if not text:
        return dict.fromkeys(SOURCE_ORDER, 0)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw)
        positions = {k: int(data.get(k, 0)) for k in SOURCE_ORDER}
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        raise DomainError("游标无效：请使用上一页返回的 next 值。", field="after") from None
    if any(v < 0 for v in positions.values()):
        raise DomainError("游标无效：请使用上一页返回的 next 值。", field="after")
    return positions


def events_page(user, *, after: str | None, limit: int = 100) -> tuple[list[Event], str, bool]:
    """(events, next cursor, has_more) of the changes the user may see after the cursor."""
    positions = decode_cursor(after)
    limit = max(1, min(limit, MAX_LIMIT))
    settle = getattr(settings, "API_EVENTS_SETTLE_SECONDS", 0)
    streams, more = [], {}
    for order, name in enumerate(SOURCE_ORDER):
        query, key, time_field, make = SOURCES[name]
        qs = query(user).filter(**{f"{key}__gt": positions[name]}).order_by(key)
        if settle and time_field:
            qs = qs.filter(**{f"{time_field}__lte": timezone.now() - timedelta(seconds=settle)})
        rows = [make(r) for r in qs[: limit + 1]]
        more[name] = len(rows) > limit
        streams.append([((e.at, order, e.pk), e) for e in rows[:limit]])
    merged = [e for _, e in islice(heapq.merge(*streams, key=lambda item: item[0]), limit)]
    for event in merged:
        positions[event.source] = event.pk
    taken = {name: sum(1 for e in merged if e.source == name) for name in SOURCE_ORDER}
    has_more = any(more[name] or taken[name] < len(streams[i]) for i, name in enumerate(SOURCE_ORDER))
    return merged, encode_cursor(positions), has_more
