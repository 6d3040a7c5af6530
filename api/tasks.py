from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="qianshan.api.purge_api_records",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def purge_api_records() -> str:
    """Delete call-log rows and idempotency keys past their keeping time (idempotent)."""
    from .domain.housekeeping import purge_api_records as purge

    counts = purge()
    return f"删除接口调用记录 {counts['calls']} 条、幂等键 {counts['idempotency_keys']} 个"
