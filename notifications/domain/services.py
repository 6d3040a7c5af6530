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
    fields = {
        "kind": kind,
        "title": title,
        "body": body,
        "link": link,
        "reason": reason,
        "dedupe_key": dedupe_key,
    }
    created = _store_each(_notifications(recipients, fields, email=email))
    if email:
        _mail(created)
    return created


def _notifications(recipients: Iterable, fields: dict, *, email: bool) -> list[Notification]:
    """One unsaved notification of ``fields`` per recipient (a recipient listed twice once)."""
    return [
        Notification(recipient=user, email_wanted=email and bool(user.email), **fields)
        for user in {u.pk: u for u in recipients}.values()
    ]


def _store_each(rows: list[Notification]) -> list[Notification]:
    """Insert the rows one by one, each in a savepoint; a row whose dedupe key its recipient already
    has (another run notified them) is skipped. Returns the rows stored."""
    created = []
    for note in rows:
        note.pk = None
        try:
            with transaction.atomic():
                note.save(force_insert=True)
        except IntegrityError:
            continue  # another run already notified this user for this key
        created.append(note)
    return created


def _mail(created: list[Notification]) -> None:
    """Mail the new notifications from a worker after commit: a slow or absent SMTP server never
    holds up a page."""
    if created:
        from .jobs import enqueue

        enqueue("qianshan.notifications.send_emails", ids=[n.pk for n in created])


def notify_many(messages: Iterable[tuple[Iterable, dict]], *, email: bool = True) -> list[Notification]:
    """``notify()`` for many messages at once, in a fixed number of queries whatever their number.

    ``messages`` are ``(recipients, fields)`` pairs, ``fields`` being notify()'s keyword arguments
    (kind, title, body, link, reason, dedupe_key). Each recipient of each message gets what notify()
    would give them: one notification (a recipient listed twice once), none for a dedupe key they
    already have, ``email_wanted`` when mail is asked for and they have an address; the mail of all
    the new ones goes in one outbox job after commit. Queries: one for the keys already held, one
    insert (in a savepoint), one outbox row. Should another run store some of the same keys in
    between, the rows are stored one by one as notify() does and the taken ones are skipped.
    """
    rows, seen = [], set()
    for recipients, fields in messages:
        for note in _notifications(recipients, fields, email=email):
            if note.dedupe_key and (note.recipient_id, note.dedupe_key) in seen:
                continue  # notify() would hit the unique constraint for the second one
            seen.add((note.recipient_id, note.dedupe_key))
            rows.append(note)
    keys = {n.dedupe_key for n in rows if n.dedupe_key}
    if keys:
        taken = set(
            Notification.objects.filter(
                dedupe_key__in=keys, recipient_id__in={n.recipient_id for n in rows if n.dedupe_key}
            ).values_list("recipient_id", "dedupe_key")
        )
        rows = [n for n in rows if (n.recipient_id, n.dedupe_key) not in taken]
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:  # another run stored some of these keys since the check above
        created = _store_each(rows)
    if email:
        _mail(created)
    return created


def send_notification_emails(notification_ids: list[int], *, now=None) -> int:
    """Mail the notifications not mailed yet; each row is claimed for ``EMAIL_CLAIM_SECONDS`` first.

    ``emailed_at`` is set only after the SMTP server accepted the mail: a worker killed while
    sending leaves it empty, its claim expires and the sweep sends it again. A mail that fails is
    released at once and OSError is raised at the end, so the Celery task retries it; a row
    another worker holds (claimed, not expired) or already sent is skipped.
    """
    from datetime import timedelta

    from django.db.models import Q

    now = now or timezone.now()
    sent, failed = 0, []
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related("recipient")
    free = Q(email_claimed_until=None) | Q(email_claimed_until__lt=now)
    for note in rows:
        if not note.recipient.email:
            continue
        claimed = Notification.objects.filter(free, pk=note.pk, emailed_at=None).update(
            email_claimed_until=now + timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
        )
        if not claimed:
            continue  # another process is mailing it, or did
        try:
            send_mail(
                f"【千山督察整改】{note.title}",
                f"{note.body}\n\n收到原因：{note.reason}\n{note.link}",
                settings.DEFAULT_FROM_EMAIL,
                [note.recipient.email],
            )
        except OSError as exc:
            log.warning("mail to %s failed: %s", note.recipient.email, exc)
            Notification.objects.filter(pk=note.pk).update(email_claimed_until=None)
            failed.append(note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now(), email_claimed_until=None)
        sent += 1
    if failed:
        raise OSError(f"{len(failed)} 封邮件发送失败，稍后重试")
    return sent


def pending_email_ids(*, now=None, limit: int = 500) -> list[int]:
    """Notifications whose mail is wanted, not sent, and not held by a live claim (oldest first)."""
    from django.db.models import Q

    now = now or timezone.now()
    return list(
        Notification.objects.filter(email_wanted=True, emailed_at=None)
        .filter(Q(email_claimed_until=None) | Q(email_claimed_until__lt=now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
