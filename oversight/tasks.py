"""Celery tasks of the duty reminders (qianshan/celery.py beat schedule); dates in as ISO strings."""

from celery import shared_task

from supervision.domain.jobs import finish_run, record_attempt
from supervision.tasks import SCHEDULED_TASK_OPTIONS, _day

from .domain.reminders import send_inspection_reminder, send_study_reminder


@shared_task(name="qianshan.oversight.remind_study", **SCHEDULED_TASK_OPTIONS)
def remind_study(day: str | None = None) -> str:
    today = _day(day)
    name, period = "remind_study", today.isoformat()
    record_attempt(name, period)
    result = f"党工委研究提醒：通知 {send_study_reminder(today)} 人"
    finish_run(name, period, result)
    return result


@shared_task(name="qianshan.oversight.remind_discipline_inspection", **SCHEDULED_TASK_OPTIONS)
def remind_discipline_inspection(day: str | None = None) -> str:
    today = _day(day)
    name, period = "remind_discipline_inspection", today.isoformat()
    record_attempt(name, period)
    result = f"纪工委现场督查提醒：通知 {send_inspection_reminder(today)} 人"
    finish_run(name, period, result)
    return result
