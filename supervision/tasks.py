"""Celery tasks of the beat schedule (qianshan/celery.py): thin, dates in as ISO strings.

Every task acks late (a worker lost mid-run leaves the message for another), retries with
exponential backoff on transient database / broker / network errors, and is idempotent for its
period through the database, so a retry or a second beat run creates nothing new.
"""

import logging
from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .domain import jobs
from .enums import ReportKind

log = logging.getLogger(__name__)

# Errors worth another try: the database was locked or dropped the connection, the network hiccuped.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
SCHEDULED_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(name="qianshan.supervision.sweep_warnings", **SCHEDULED_TASK_OPTIONS)
def sweep_warnings(day: str | None = None) -> str:
    return jobs.run_sweep_warnings(_day(day))


@shared_task(name="qianshan.supervision.dispatch_daily", **SCHEDULED_TASK_OPTIONS)
def dispatch_daily(day: str | None = None) -> str:
    return jobs.run_dispatch_daily(_day(day))


@shared_task(name="qianshan.supervision.build_weekly_report", **SCHEDULED_TASK_OPTIONS)
def build_weekly_report(day: str | None = None) -> str:
    return jobs.run_report(ReportKind.WEEKLY, _day(day))


@shared_task(name="qianshan.supervision.build_monthly_report", **SCHEDULED_TASK_OPTIONS)
def build_monthly_report(day: str | None = None) -> str:
    return jobs.run_report(ReportKind.MONTHLY, _day(day))
