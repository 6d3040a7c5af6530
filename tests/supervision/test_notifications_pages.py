"""The notification list shows why each one was sent; marking read works for one or all."""

import pytest
from django.urls import reverse

from notifications.domain.services import notify
from notifications.models import Notification


@pytest.mark.django_db
def test_notification_list_shows_reason_and_marks_one_read(users, login):
    [first] = notify(
        [users["head"]],
        kind="warning",
        title="红色预警：任务 R2-02",
        reason="您是牵头单位负责人",
        dedupe_key="w:1",
    )
    notify(
        [users["head"]],
        kind="warning",
        title="蓝色预警：任务 R2-03",
        reason="您是牵头单位负责人",
        dedupe_key="w:2",
    )
    notify([users["staff_b"]], kind="warning", title="别人的通知", dedupe_key="w:3")
    client = login(users["head"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert "收到原因：您是牵头单位负责人" in page and "别人的通知" not in page
    client.post(reverse("notifications:mark_read"), {"id": [str(first.pk)]})
    assert list(
        Notification.objects.filter(recipient=users["head"], read_at=None).values_list("title", flat=True)
    ) == ["蓝色预警：任务 R2-03"]
    client.post(reverse("notifications:mark_read"))
    assert Notification.objects.filter(recipient=users["head"], read_at=None).count() == 0
    assert Notification.objects.filter(recipient=users["staff_b"], read_at=None).count() == 1


@pytest.mark.django_db
def test_header_bell_shows_unread_count(users, login):
    notify([users["office"]], kind="report", title="周报", dedupe_key="r:1")
    notify([users["office"]], kind="report", title="月报", dedupe_key="r:2")
    page = login(users["office"]).get(reverse("supervision:index")).content.decode()
    assert '<span class="badge" data-testid="unread-count">2</span>' in page
