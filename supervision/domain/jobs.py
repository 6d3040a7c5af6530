"""The scheduled jobs' bodies: one function per beat entry, shared by the Celery tasks and the
management commands. Each records its run in JobRun (one row per job and period; attempts
count retries) and is idempotent through the records it creates."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..enums import ReportKind
from ..models import JobRun
from .reports import build_report, period_of
from .warnings import sweep_warnings


def record_attempt(name: str, period: str) -> int:
    """Count one attempt of job ``name`` for ``period``; returns the attempt number."""
    try:
        with transaction.atomic():
            JobRun.objects.create(name=name, period=period, attempts=1)
            return 1
    except IntegrityError:
        JobRun.objects.filter(name=name, period=period).update(attempts=F("attempts") + 1)
        return JobRun.objects.values_list("attempts", flat=True).get(name=name, period=period)


def finish_run(name: str, period: str, result: str) -> None:
    JobRun.objects.filter(name=name, period=period).update(finished_at=timezone.now(), result=result[:300])


def run_sweep_warnings(day: date) -> str:
    name, period = "sweep_warnings", day.isoformat()
    record_attempt(name, period)
    created = sweep_warnings(today=day)
    result = f"新增预警 {len(created)} 条"
    finish_run(name, period, result)
    return result


def run_report(kind: str, day: date) -> str:
    start, _ = period_of(kind, day)
    name, period = f"report_{kind}", start.isoformat()
    record_attempt(name, period)
    report, created = build_report(kind, day=day)
    result = f"{'已生成' if created else '已存在，未重复生成'}：{report}"
    finish_run(name, period, result)
    return result


def run_dispatch_daily(day: date) -> str:
    return run_report(ReportKind.DAILY, day)
