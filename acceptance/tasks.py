"""Scheduled jobs of the acceptance chain (beat: qianshan/celery.py, daily 08:00)."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from .domain.alerts import send_deadline_alerts as scan


@shared_task(
    name="qianshan.acceptance.send_deadline_alerts",
    acks_late=True,
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def send_deadline_alerts(day: str | None = None) -> dict:
    """Run the day's deadline scan; ``day`` (YYYY-MM-DD) only for a re-run of a past day."""
    result = scan(today=date.fromisoformat(day) if day else None)
    return {"steps_alerted": result.steps_alerted, "notifications": result.notifications}
