"""滞留: jobs and e-mails pending longer than OUTBOX_ALERT_MINUTES reach the admins, once an hour."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.domain.alerts import alert_stuck
from notifications.enums import JobState, NotificationKind
from notifications.models import Notification, OutboxJob
from notifications.tasks import alert_stuck as alert_stuck_task

pytestmark = pytest.mark.django_db


def _age(model, pk, minutes, now):
    model.objects.filter(pk=pk).update(created_at=now - timedelta(minutes=minutes))


def _alerts():
    return Notification.objects.filter(kind=NotificationKind.OUTBOX_STUCK)


@pytest.fixture
def stuck(users, settings):
    settings.OUTBOX_ALERT_MINUTES = 15
    now = timezone.now()
    old_job = OutboxJob.objects.create(task_name="qianshan.ping")
    fresh_job = OutboxJob.objects.create(task_name="qianshan.ping")
    sent_job = OutboxJob.objects.create(task_name="qianshan.ping", state=JobState.QUEUED)
    _age(OutboxJob, old_job.pk, 16, now)
    _age(OutboxJob, sent_job.pk, 60, now)
    mail = Notification.objects.create(
        recipient=users["staff"], kind="other", title="督办函", email_wanted=True
    )
    _age(Notification, mail.pk, 20, now)
    return {"now": now, "old_job": old_job, "fresh_job": fresh_job, "mail": mail}


def test_admins_get_one_in_app_alert_per_hour(stuck, users):
    now = stuck["now"]
    report = alert_stuck(now=now)
    assert (report.jobs, report.emails) == (1, 1)
    alert = _alerts().get()
    assert alert.recipient == users["admin"]  # only administrators
    assert alert.email_wanted is False  # in the app only: mail may be what is stuck
    assert "1 个后台作业超过 15 分钟未投递" in alert.body and "1 封通知邮件超过 15 分钟未发出" in alert.body
    assert OutboxJob.objects.filter(task_name="qianshan.notifications.send_emails").count() == 0

    # the beat runs every 5 minutes: nothing new within the same hour, a reminder the next hour
    start_of_hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    assert alert_stuck(now=start_of_hour + timedelta(minutes=59)).notified == 0
    assert _alerts().count() == 1
    assert alert_stuck(now=start_of_hour + timedelta(minutes=60)).notified == 1
    assert _alerts().count() == 2


def test_nothing_stuck_nothing_sent(stuck, users):
    OutboxJob.objects.filter(pk=stuck["old_job"].pk).update(state=JobState.QUEUED)
    Notification.objects.filter(pk=stuck["mail"].pk).update(emailed_at=stuck["now"])
    assert alert_stuck(now=stuck["now"]).notified == 0
    # the fresh job becomes stuck only after the threshold
    assert alert_stuck(now=stuck["now"] + timedelta(minutes=14)).notified == 0
    assert alert_stuck(now=stuck["now"] + timedelta(minutes=16)).jobs == 1
    assert _alerts().count() == 1


def test_beat_task_runs_the_alert(stuck):
    assert alert_stuck_task() == 1
    assert alert_stuck_task() == 0


def test_admin_lists_show_stuck_rows(stuck, login, users):
    client = login(users["admin"])
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    page = client.get("/admin/notifications/outboxjob/?stuck=yes")
    assert page.status_code == 200
    assert "滞留（超过 15 分钟未完成）" in page.content.decode()
    assert list(page.context["cl"].queryset) == [stuck["old_job"]]
    page = client.get("/admin/notifications/notification/?stuck=yes")
    assert list(page.context["cl"].queryset) == [stuck["mail"]]
    assert client.get("/admin/notifications/outboxjob/").context["cl"].queryset.count() == 3
