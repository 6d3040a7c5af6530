"""An e-mail is marked sent only after the SMTP server accepted it; a killed sender's mail goes out later, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.domain.services import notify, pending_email_ids, send_notification_emails
from notifications.enums import NotificationKind
from notifications.models import Notification
from notifications.tasks import resend_pending_emails

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What a SIGKILL looks like to the code after the call: nothing after it runs."""


class DyingBackend(EmailBackend):
    def send_messages(self, messages):
        raise WorkerKilled


def one_notification(user) -> Notification:
    user.email = "li@qianshan.example"
    user.save()
    (note,) = notify([user], kind=NotificationKind.choices[0][0], title="督办函", email=False)
    Notification.objects.filter(pk=note.pk).update(email_wanted=True)
    return note


def test_killed_mid_send_leaves_mail_pending_and_it_is_sent_later_exactly_once(users, settings):
    note = one_notification(users["staff"])
    settings.EMAIL_BACKEND = "tests.notifications.test_email_claim.DyingBackend"
    with pytest.raises(WorkerKilled):
        send_notification_emails([note.pk])
    note.refresh_from_db()
    assert note.emailed_at is None  # not marked sent: the server never accepted it
    assert note.email_claimed_until is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # while the dead sender's claim runs, nobody else sends (it might still be alive)
    assert pending_email_ids() == []
    assert send_notification_emails([note.pk]) == 0
    assert len(mail.outbox) == 0
    # after the claim expires, the sweep sends it, once
    later = timezone.now() + timedelta(seconds=settings.EMAIL_CLAIM_SECONDS + 1)
    assert pending_email_ids(now=later) == [note.pk]
    assert send_notification_emails(pending_email_ids(now=later), now=later) == 1
    assert send_notification_emails([note.pk], now=later) == 0
    assert resend_pending_emails() == 0
    assert [m.to for m in mail.outbox] == [["li@qianshan.example"]]
    note.refresh_from_db()
    assert note.emailed_at is not None and note.email_claimed_until is None


def test_failed_smtp_releases_the_claim_for_the_retry(users, settings):
    note = one_notification(users["staff"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with pytest.raises(OSError, match="1 封邮件发送失败"):
        send_notification_emails([note.pk])
    note.refresh_from_db()
    assert (note.emailed_at, note.email_claimed_until) == (None, None)
    assert pending_email_ids() == [note.pk]
