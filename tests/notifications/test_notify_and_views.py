import time

import pytest
from django.core import mail
from django.urls import reverse

from notifications.domain.services import notify, notify_many
from notifications.enums import NotificationKind
from notifications.models import Notification


@pytest.mark.django_db
def test_mark_read_refuses_offsite_next(users, client):
    client.force_login(users["staff"])
    response = client.post(reverse("notifications:mark_read"), {"next": "https://evil.example/x"})
    assert response.status_code == 302
    assert response.url == reverse("notifications:list")


@pytest.mark.django_db
def test_mark_read_follows_local_next(users, client):
    client.force_login(users["staff"])
    response = client.post(reverse("notifications:mark_read"), {"next": "/cases/"})
    assert response.url == "/cases/"


@pytest.mark.django_db
def test_notify_same_dedupe_key_twice_creates_one(users):
    first = notify([users["staff"]], kind=NotificationKind.OTHER, title="甲", dedupe_key="k1", email=False)
    second = notify([users["staff"]], kind=NotificationKind.OTHER, title="甲", dedupe_key="k1", email=False)
    assert len(first) == 1 and second == []
    assert Notification.objects.filter(recipient=users["staff"]).count() == 1


@pytest.mark.worker
def test_notify_mails_through_a_real_worker(users, celery_worker_live):
    mail.outbox.clear()
    (note,) = notify([users["head"]], kind=NotificationKind.OTHER, title="测试通知", reason="测试原因")
    for _ in range(100):  # the worker thread mails it after commit
        note.refresh_from_db()
        if note.emailed_at and mail.outbox:
            break
        time.sleep(0.2)
    assert note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[users["head"].email]]
    assert "测试原因" in mail.outbox[0].body


@pytest.mark.django_db
def test_user_history_keeps_no_password_hash(users):
    user = users["staff"]
    user.set_password("Another-pass-2026")
    user.save()
    fields = {f.name for f in user.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields


@pytest.mark.django_db
def test_notify_many_gives_each_recipient_what_notify_would(users):
    from notifications.models import OutboxJob

    staff, head, staff_b = users["staff"], users["head"], users["staff_b"]
    staff_b.email = ""
    staff_b.save()
    held = notify([staff], kind=NotificationKind.OTHER, title="旧", dedupe_key="k:a", email=False)
    msg = {"kind": NotificationKind.OTHER, "body": "正文", "link": "/x/", "reason": "原因"}
    created = notify_many(
        [
            ([staff, head, head], msg | {"title": "甲", "dedupe_key": "k:a"}),  # staff holds k:a already
            ([staff, staff_b], msg | {"title": "乙", "dedupe_key": "k:b"}),
            ([staff], msg | {"title": "乙again", "dedupe_key": "k:b"}),  # the same key again: nothing
            ([head], msg | {"title": "丙"}),  # no key: stored each time
            ([head], msg | {"title": "丙"}),
        ]
    )
    got = sorted((n.recipient.username, n.title, n.dedupe_key, n.email_wanted) for n in created)
    assert got == [
        ("head_u", "丙", "", True),
        ("head_u", "丙", "", True),
        ("head_u", "甲", "k:a", True),
        ("staff_b_u", "乙", "k:b", False),
        ("staff_u", "乙", "k:b", True),
    ]
    assert all(n.pk and n.body == "正文" and n.link == "/x/" and n.reason == "原因" for n in created)
    assert Notification.objects.get(recipient=staff, dedupe_key="k:a") == held[0]
    (job,) = OutboxJob.objects.filter(task_name="qianshan.notifications.send_emails")
    assert sorted(job.kwargs["ids"]) == sorted(n.pk for n in created)
    # again: every key is held, only the keyless ones are new; without mail no job is queued
    again = notify_many([([staff, head], msg | {"title": "甲", "dedupe_key": "k:a"})], email=False)
    assert again == [] and OutboxJob.objects.count() == 1
    assert notify_many([]) == []
