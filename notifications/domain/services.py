"""The one notification service every sender uses (alerts, dispatch, letters, signatures)."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Notification

log = logging.getLogger(__name__)


def notify(
    recipients: Iterable,
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    reason: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Store one notification per recipient and mail it after commit.

    With a ``dedupe_key``, a recipient who already has that key gets nothing new: the
    returned list holds only the notifications created now.
    """
    created = []
    for user in {u.pk: u for u in recipients}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        title=title,
                        body=body,
                        link=link,
                        reason=reason,
                        dedupe_key=dedupe_key,
                    )
                )
        except IntegrityError:
            continue  # another run already notified this user for this key
    if email and created:
        # Mail goes out from a worker: a slow or absent SMTP server never holds up a page.
        from .jobs import enqueue

        enqueue("qianshan.notifications.send_emails", ids=[n.pk for n in created])
    return created


def send_notification_emails(notification_ids: list[int]) -> int:
    """Mail the notifications not mailed yet; each row is claimed by a conditional update.

    A mail that fails is released again and OSError is raised at the end, so the Celery task
    retries it; the ones already sent are not sent twice.
    """
    sent, failed = 0, []
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related("recipient")
    for note in rows:
        if not note.recipient.email:
            continue
        claimed = Notification.objects.filter(pk=note.pk, emailed_at=None).update(emailed_at=timezone.now())
        if not claimed:
            continue  # another process mailed it first
        try:
            send_mail(
                f"【千山督察整改】{note.title}",
                f"{note.body}\n\n收到原因：{note.reason}\n{note.link}",
                settings.DEFAULT_FROM_EMAIL,
                [note.recipient.email],
            )
            sent += 1
        except OSError as exc:
            log.warning("mail to %s failed: %s", note.recipient.email, exc)
            Notification.objects.filter(pk=note.pk).update(emailed_at=None)
            failed.append(note.pk)
    if failed:
        raise OSError(f"{len(failed)} 封邮件发送失败，稍后重试")
    return sent


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
