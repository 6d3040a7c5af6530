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


# --- long exports and imports (notifications.domain.background) -------------------------------
@shared_task(name="qianshan.notifications.run_background_job", acks_late=True)
def run_background_job(job_id: int) -> str:
    """Run one export/import job; a job already claimed by another worker is left alone."""
    from .domain import background

    return background.run_job(job_id)


@shared_task(name="qianshan.notifications.purge_job_files", acks_late=True)
def purge_job_files() -> int:
    """Delete expired job files; fail jobs a dead worker left running."""
    from .domain import background

    return background.purge_expired()


@shared_task(name="qianshan.notifications.resend_pending_emails", acks_late=True)
def resend_pending_emails() -> int:
    """Mail what a killed worker or a lost broker message left unsent (claim expired)."""
    ids = services.pending_email_ids()
    return services.send_notification_emails(ids) if ids else 0


@shared_task(name="qianshan.notifications.alert_stuck", acks_late=True)
def alert_stuck() -> int:
    """Tell the administrators about jobs and e-mails pending longer than OUTBOX_ALERT_MINUTES."""
    from .domain import alerts

    return alerts.alert_stuck().notified
