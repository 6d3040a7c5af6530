"""Re-check sampling (复查回访) and rebounds (反弹), docs/rules.md §4.

Every month the office re-visits 10 % (rounded up) of the closed cases of the central round 1
and its look-back, as one pool. Sampling is without replacement within a cycle: a case drawn
in the current cycle is not drawn again until every case of the pool has been drawn; then a new
cycle starts (when a month needs more cases than the cycle has left, it takes all that are left
and the rest from the new cycle). The draw is reproducible: the pool is ordered by id, the
generator is ``random.Random(seed)``, and the seed is recorded. Drawing a month that has a
draw returns the recorded one, unchanged.
"""

import math
import random
import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from org.enums import InspectionLevel

from ..enums import CaseState, RecheckResult
from ..models import PetitionCase, ReboundEntry, RecheckDraw, RecheckVisit
from .errors import DomainError
from .evidence import Upload, _store
from .rebounds import rebound_category
from .transitions import reopen_case

SAMPLE_RATE = 0.10
CLOSED_STATES = (CaseState.CLOSED, CaseState.FILED)


def recheck_pool() -> QuerySet:
    """Closed cases of the central round 1 and its look-back (the re-check population)."""
    return PetitionCase.objects.filter(
        inspection__level=InspectionLevel.CENTRAL, inspection__round=1, state__in=CLOSED_STATES
    ).order_by("pk")


def sample_size(population: int) -> int:
    return math.ceil(population * SAMPLE_RATE) if population else 0


def draw_rechecks(month: date, *, seed: int | None = None, actor=None) -> RecheckDraw:
    """Draw (or return the recorded draw of) the month's re-check sample; creates one RecheckVisit per case."""
    month = month.replace(day=1)
    recorded = RecheckDraw.objects.filter(month=month).first()
    if recorded is not None:
        return recorded
    if seed is None:
        seed = secrets.randbelow(2**31)
    pool = list(recheck_pool().values_list("pk", flat=True))
    picks = _pick(pool, month, seed)
    try:
        with transaction.atomic():
            draw = RecheckDraw.objects.create(
                month=month, seed=seed, population_size=len(pool), sample_size=len(picks), drawn_by=actor
            )
            RecheckVisit.objects.bulk_create(
                RecheckVisit(draw=draw, case_id=pk, order=order, cycle=cycle)
                for order, (pk, cycle) in enumerate(picks, start=1)
            )
    except IntegrityError:  # another run drew this month a moment ago: that one stands
        return RecheckDraw.objects.get(month=month)
    return draw


def _pick(pool: list[int], month: date, seed: int) -> list[tuple[int, int]]:
    """(case id, cycle) of the sample, given the draws recorded before ``month``."""
    n = sample_size(len(pool))
    earlier = RecheckVisit.objects.filter(draw__month__lt=month)
    cycle = earlier.aggregate(c=Max("cycle"))["c"] or 1
    visited = set(earlier.filter(cycle=cycle).values_list("case_id", flat=True))
    remaining = [pk for pk in pool if pk not in visited]
    rng = random.Random(seed)
    if len(remaining) >= n:
        return [(pk, cycle) for pk in rng.sample(remaining, n)]
    # The cycle is used up: take what is left, then start the next cycle with the others.
    picks = [(pk, cycle) for pk in rng.sample(remaining, len(remaining))]
    fresh = [pk for pk in pool if pk not in remaining]
    picks += [(pk, cycle + 1) for pk in rng.sample(fresh, n - len(picks))]
    return picks


def record_visit(
    visit: RecheckVisit,
    *,
    actor,
    visited_on: date,
    visitor: str,
    result: str,
    notes: str = "",
    uploads: list[Upload] = (),
) -> RecheckVisit:
    """Record a re-check visit once; a rebound reopens the case and enters the rebound ledger."""
    if result not in (RecheckResult.HOLDS, RecheckResult.REBOUNDED):
        raise DomainError("请选择回访结果。", field="result")
    if visited_on is None:
        raise DomainError("请填写回访日期。", field="visited_on")
    if not visitor.strip():
        raise DomainError("请填写回访人。", field="visitor")
    if result == RecheckResult.REBOUNDED and not notes.strip():
        raise DomainError("发现反弹须写明回访情况。", field="notes")
    with transaction.atomic():
        # Conditional update: a second press (or a second person) finds the visit recorded.
        updated = RecheckVisit.objects.filter(pk=visit.pk, result=RecheckResult.PENDING).update(
            visited_on=visited_on,
            visitor=visitor.strip(),
            result=result,
            notes=notes.strip(),
            recorded_by=actor,
        )
        if not updated:
            raise DomainError("此回访已记录，请刷新页面。")
        visit.refresh_from_db()
        visit._history_user = actor
        visit.save(update_fields=["notes"])  # a history row for the recorded visit
        case = visit.case
        for upload in uploads:
            _store(case, upload, actor=actor, visit=visit)
        if result == RecheckResult.REBOUNDED:
            ReboundEntry.objects.create(
                case=case,
                visit=visit,
                found_on=visited_on,
                category=rebound_category(),
                description=notes.strip(),
                recorded_by=actor,
            )
            if case.state != CaseState.REOPENED:
                reopen_case(case, actor=actor, reason=f"复查回访发现反弹：{notes.strip()}")
    return visit


def record_rebound_disposition(
    entry: ReboundEntry, *, actor, disposition: str, resolved_on=None, category=None
) -> ReboundEntry:
    """Write how a rebound is classified and handled (分类处置) and when it was done."""
    if not disposition.strip():
        raise DomainError("请填写处置措施。", field="disposition")
    if resolved_on is not None and resolved_on < entry.found_on:
        raise DomainError("处置完成日期不能早于发现日期。", field="resolved_on")
    with transaction.atomic():
        if category is not None:
            entry.category = category
        entry.disposition = disposition.strip()
        entry.resolved_on = resolved_on
        entry._history_user = actor
        entry.save()
    return entry
