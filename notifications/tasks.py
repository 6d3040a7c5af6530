from celery import shared_task

from .domain import jobs, services


@shared_task(name="qianshan.notifications.flush_outbox", acks_late=True)
def flush_outbox() -> int:
    return jobs.flush_outbox()


@shared_task(
    name="qianshan.notifications.send_emails",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_emails(ids: list[int]) -> int:
    """Mail the given notifications; each is claimed once, so a retry never mails twice."""
    return services.send_notification_emails(ids)


@shared_task(name="qianshan.notifications.resend_pending_emails", acks_late=True)
def resend_pending_emails() -> int:
    """Mail what a killed worker or a lost broker message left unsent (claim expired)."""
    ids = services.pending_email_ids()
    return services.send_notification_emails(ids) if ids else 0
