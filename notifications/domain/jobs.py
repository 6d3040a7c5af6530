"""Queue Celery jobs through a database outbox so none is lost when the broker is down.

``enqueue`` records the job in the caller's transaction and sends it after commit with a
short broker timeout; if the broker does not answer, the row stays pending and the beat's
``flush_outbox`` (every minute) sends it later.
"""

import logging

from django.db import transaction
from django.utils import timezone

from ..enums import JobState
from ..models import OutboxJob

log = logging.getLogger(__name__)


def enqueue(task_name: str, **kwargs) -> OutboxJob:
    job = OutboxJob.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: send_job(job.pk))
    return job


def send_job(job_id: int, *, app=None) -> bool:
    """Try to hand one pending job to the broker; True when it was queued."""
    if app is None:
        from qianshan.celery import app

    job = OutboxJob.objects.filter(pk=job_id, state=JobState.PENDING).first()
    if job is None:
        return False
    try:
        app.send_task(job.task_name, kwargs=job.kwargs, retry=False, ignore_result=True)
    except Exception as exc:  # the broker is down or unreachable: keep the job for later
        OutboxJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, last_error=str(exc)[:500])
        log.warning("job %s not queued: %s", job.task_name, exc)
        return False
    OutboxJob.objects.filter(pk=job.pk).update(
        state=JobState.QUEUED, attempts=job.attempts + 1, queued_at=timezone.now()
    )
    return True


def flush_outbox(limit: int = 500) -> int:
    """Send the oldest pending jobs; returns how many were queued."""
    ids = list(OutboxJob.objects.filter(state=JobState.PENDING).values_list("pk", flat=True)[:limit])
    return sum(send_job(pk) for pk in ids)
