"""Celery task of the beat schedule (qianshan/celery.py): the assessment calendar's alerts."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from supervision.tasks import SCHEDULED_TASK_OPTIONS


@shared_task(name="qianshan.scoring.calendar_alerts", **SCHEDULED_TASK_OPTIONS)
def calendar_alerts(day: str | None = None) -> str:
    from .domain.calendar import send_calendar_alerts, send_talk_overdue_alerts

    today = date.fromisoformat(day) if day else timezone.localdate()
    return f"考核日程提醒 {send_calendar_alerts(today)} 条，约谈整改逾期预警 {send_talk_overdue_alerts(today)} 条"
