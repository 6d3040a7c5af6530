"""The beat schedule, and each scheduled supervision task on a real worker (Redis in CI)."""

from datetime import date

import pytest
from celery import shared_task
from celery.schedules import crontab
from django.db import OperationalError

from qianshan.celery import app
from supervision import tasks
from supervision.domain.jobs import record_attempt
from supervision.enums import ReportKind
from supervision.models import EarlyWarning, JobRun, Report
from tests.factories import CaseFactory, TaskFactory

DAY = date(2026, 6, 1)  # a Monday and the 1st: every report has a period


def test_beat_schedule_holds_every_entry_at_its_time():
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule == {
        "qianshan.supervision.sweep_warnings": crontab(hour=7, minute=0),
        "qianshan.cases.draw_rechecks": crontab(hour=7, minute=30, day_of_month=1),
        "qianshan.acceptance.send_deadline_alerts": crontab(hour=8, minute=0),
        "qianshan.scoring.calendar_alerts": crontab(hour=8, minute=10),
        "qianshan.oversight.remind_study": crontab(hour=8, minute=10),
        "qianshan.oversight.remind_discipline_inspection": crontab(hour=8, minute=15),
        "qianshan.supervision.dispatch_daily": crontab(hour=8, minute=30),
        "qianshan.supervision.build_weekly_report": crontab(hour=9, minute=0, day_of_week=1),
        "qianshan.supervision.build_monthly_report": crontab(hour=9, minute=0, day_of_month=1),
        "qianshan.notifications.flush_outbox": crontab(minute="*"),
        "qianshan.notifications.purge_job_files": crontab(minute=15),
        "qianshan.notifications.resend_pending_emails": crontab(minute="*/5"),
        "qianshan.notifications.alert_stuck": crontab(minute="2-59/5"),
        "qianshan.api.purge_api_records": crontab(hour=3, minute=40),
        "qianshan.cases.compact_tallies": crontab(minute="*/10"),
    }
    assert app.conf.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    "task",
    [tasks.sweep_warnings, tasks.dispatch_daily, tasks.build_weekly_report, tasks.build_monthly_report],
)
def test_scheduled_task_acks_late_and_retries_transient_errors(task):
    assert task.acks_late is True
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff is True
    assert task.max_retries == 5


def _seed():
    CaseFactory(deadline=date(2026, 5, 20))  # 12 days overdue on DAY → red
    TaskFactory(deadline=date(2026, 6, 5))  # 4 days left → blue


@pytest.mark.worker
def test_sweep_warnings_runs_on_worker_and_second_run_creates_nothing(celery_worker_live):
    _seed()
    first = tasks.sweep_warnings.delay(DAY.isoformat()).get(timeout=60)
    assert first == "新增预警 2 条"
    assert sorted(EarlyWarning.objects.values_list("level", flat=True)) == ["blue", "red"]
    second = tasks.sweep_warnings.delay(DAY.isoformat()).get(timeout=60)
    assert second == "新增预警 0 条"
    assert EarlyWarning.objects.count() == 2
    assert JobRun.objects.get(name="sweep_warnings", period="2026-06-01").attempts == 2


@pytest.mark.worker
@pytest.mark.parametrize(
    ("task", "kind", "start"),
    [
        (tasks.dispatch_daily, ReportKind.DAILY, date(2026, 6, 1)),
        (tasks.build_weekly_report, ReportKind.WEEKLY, date(2026, 5, 25)),
        (tasks.build_monthly_report, ReportKind.MONTHLY, date(2026, 5, 1)),
    ],
)
def test_report_task_runs_on_worker_and_second_run_creates_nothing(celery_worker_live, task, kind, start):
    _seed()
    first = task.delay(DAY.isoformat()).get(timeout=60)
    assert first.startswith("已生成")
    report = Report.objects.get()
    assert (report.kind, report.period_start) == (kind, start)
    second = task.delay(DAY.isoformat()).get(timeout=60)
    assert second.startswith("已存在，未重复生成")
    assert Report.objects.count() == 1
    assert Report.objects.get().sent_count == 1


@shared_task(name="qianshan.tests.flaky_job", **tasks.SCHEDULED_TASK_OPTIONS)
def flaky_job(period: str) -> int:
    """Fails with a transient database error on its first attempt, succeeds on the next."""
    attempt = record_attempt("flaky", period)
    if attempt == 1:
        raise OperationalError("database is locked")
    return attempt


@pytest.mark.worker
def test_task_failing_transiently_is_retried_on_worker(celery_worker_live):
    result = flaky_job.delay("2026-06-01")
    assert result.get(timeout=60) == 2
    assert JobRun.objects.get(name="flaky", period="2026-06-01").attempts == 2
