"""Housekeeping of the API's own records: the call log and the idempotency keys.

Call-log rows older than API_CALL_LOG_DAYS days and idempotency keys older than
API_IDEMPOTENCY_HOURS hours are deleted, in bounded batches so no one statement holds a long
lock. Running it twice for the same moment deletes nothing the second time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import ApiCall, IdempotencyKey

BATCH = 5000


def _delete_in_batches(qs) -> int:
    deleted = 0
    while True:
        pks = list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not pks:
            return deleted
        deleted += qs.model.objects.filter(pk__in=pks).delete()[0]


def purge_api_records(now: datetime | None = None) -> dict[str, int]:
    """Delete expired call-log rows and idempotency keys; {"calls": n, "idempotency_keys": m}."""
    now = now or timezone.now()
    call_cutoff = now - timedelta(days=settings.API_CALL_LOG_DAYS)
    key_cutoff = now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    return {
        "calls": _delete_in_batches(ApiCall.objects.filter(at__lt=call_cutoff)),
        "idempotency_keys": _delete_in_batches(IdempotencyKey.objects.filter(created_at__lt=key_cutoff)),
    }
