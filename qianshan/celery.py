"""The Celery app and the one beat schedule of the project (Asia/Shanghai).

Exactly one beat process runs (``make run`` starts it; production runs one ``celery beat``);
workers may run on several hosts. Every scheduled task is idempotent for its period, so a
second run — a retry, a restarted beat — creates nothing new.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")

app = Celery("qianshan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # 每日 07:00 预警扫描: blue/yellow/red warnings from schedule status and deadlines.
    "sweep-warnings": {
        "task": "qianshan.supervision.sweep_warnings",
        "schedule": crontab(hour=7, minute=0),
    },
    # 每月1日 07:30 复查回访抽样: the month's 10 % re-check draw (docs/rules.md §4).
    "draw-rechecks": {
        "task": "qianshan.cases.draw_rechecks",
        "schedule": crontab(hour=7, minute=30, day_of_month=1),
    },
    # 每日 08:00 验收复核时限提醒: steps due within 1 day and overdue (docs/rules.md §5).
    "deadline-alerts": {
        "task": "qianshan.acceptance.send_deadline_alerts",
        "schedule": crontab(hour=8, minute=0),
    },
    # 每日 08:10 党工委研究提醒: the two-monthly study due within 7 days or overdue (docs/rules.md §11.1).
    "remind-study": {
        "task": "qianshan.oversight.remind_study",
        "schedule": crontab(hour=8, minute=10),
    },
    # 每日 08:15 纪工委现场督查提醒: from the 20th, a month without an on-site inspection (§11.3).
    "remind-discipline-inspection": {
        "task": "qianshan.oversight.remind_discipline_inspection",
        "schedule": crontab(hour=8, minute=15),
    },
    # 每日 08:10 考核日程提醒: 7 days before, on and after each undone step (docs/rules.md §8.6).
    "assessment-calendar-alerts": {
        "task": "qianshan.scoring.calendar_alerts",
        "schedule": crontab(hour=8, minute=10),
    },
    # 每日 08:30 按日调度.
    "daily-dispatch": {
        "task": "qianshan.supervision.dispatch_daily",
        "schedule": crontab(hour=8, minute=30),
    },
    # 每周一 09:00 周报 (the previous week).
    "weekly-report": {
        "task": "qianshan.supervision.build_weekly_report",
        "schedule": crontab(hour=9, minute=0, day_of_week=1),
    },
    # 每月1日 09:00 月报 (the previous month).
    "monthly-report": {
        "task": "qianshan.supervision.build_monthly_report",
        "schedule": crontab(hour=9, minute=0, day_of_month=1),
    },
    # 每小时第 15 分: delete expired export files and fail jobs a dead worker left running.
    "purge-job-files": {
        "task": "qianshan.notifications.purge_job_files",
        "schedule": crontab(minute=15),
    },
    # 每5分钟: mail that a killed worker or a lost message left unsent (claims expired).
    "resend-pending-emails": {
        "task": "qianshan.notifications.resend_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
    # 每5分钟（第2分起）: admins are told of jobs/mail pending > OUTBOX_ALERT_MINUTES (hourly at most).
    "alert-stuck-outbox": {
        "task": "qianshan.notifications.alert_stuck",
        "schedule": crontab(minute="2-59/5"),
    },
    # 每日 03:40 接口记录清理: call-log rows older than API_CALL_LOG_DAYS (180) days and
    # idempotency keys older than 24 h (api/domain/housekeeping.py).
    "purge-api-records": {
        "task": "qianshan.api.purge_api_records",
        "schedule": crontab(hour=3, minute=40),
    },
    # 每分钟: re-queue jobs that could not reach the broker when they were recorded.
    "flush-job-outbox": {
        "task": "qianshan.notifications.flush_outbox",
        "schedule": crontab(minute="*"),
    },
    # 每10分钟: fold the case-count tallies' delta rows (cases.domain.tallies; PostgreSQL).
    "compact-tallies": {
        "task": "qianshan.cases.compact_tallies",
        "schedule": crontab(minute="*/10"),
    },
}


@app.task(name="qianshan.ping")
def ping(value: str = "pong") -> str:
    """A trivial task the set-up check and the worker test use to see a real worker answer."""
    return value
