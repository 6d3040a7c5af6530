"""滞留提醒: jobs that never reached the broker and e-mails never sent, pending too long.

The beat runs ``alert_stuck`` every 5 minutes. When something has been pending longer than
``OUTBOX_ALERT_MINUTES``, every active system administrator gets one in-app notification per
hour (the dedupe key names the hour), never by e-mail — the mail may be what is stuck.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from org.enums import Role

from ..enums import JobState, NotificationKind
from ..models import Notification, OutboxJob
from .services import notify


def stuck_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=settings.OUTBOX_ALERT_MINUTES)


def stuck_jobs(now: datetime | None = None) -> QuerySet[OutboxJob]:
    return OutboxJob.objects.filter(state=JobState.PENDING, created_at__lt=stuck_before(now))


def stuck_emails(now: datetime | None = None) -> QuerySet[Notification]:
    return Notification.objects.filter(email_wanted=True, emailed_at=None, created_at__lt=stuck_before(now))


@dataclass
class StuckReport:
    jobs: int = 0
    emails: int = 0
    notified: int = 0


def alert_stuck(now: datetime | None = None) -> StuckReport:
    """Notify the administrators of stuck jobs and e-mails; at most once per admin and hour."""
    from org.models import User

    now = now or timezone.now()
    report = StuckReport(jobs=stuck_jobs(now).count(), emails=stuck_emails(now).count())
    if not (report.jobs or report.emails):
        return report
    admins = User.objects.filter(
        Q(role_assignments__role=Role.ADMIN) | Q(is_superuser=True), is_active=True
    ).distinct()
    minutes = settings.OUTBOX_ALERT_MINUTES
    local = timezone.localtime(now)
    parts = []
    if report.jobs:
        parts.append(f"{report.jobs} 个后台作业超过 {minutes} 分钟未投递到队列")
    if report.emails:
        parts.append(f"{report.emails} 封通知邮件超过 {minutes} 分钟未发出")
    created = notify(
        admins,
        kind=NotificationKind.OUTBOX_STUCK,
        title="后台作业或邮件滞留",
        body="；".join(parts) + "。请检查 Redis 队列、工作进程和邮件服务器。",
        link="/admin/notifications/outboxjob/?stuck=yes"
        if report.jobs
        else "/admin/notifications/notification/?stuck=yes",
        reason="您是系统管理员",
        dedupe_key=f"outbox-stuck:{local:%Y%m%d%H}",
        email=False,
    )
    report.notified = len(created)
    return report
