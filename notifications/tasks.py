from celery import shared_task

from .domain import jobs


@shared_task(name="qianshan.notifications.flush_outbox", acks_late=True)
def flush_outbox() -> int:
    return jobs.flush_outbox()
