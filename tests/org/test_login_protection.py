"""Password guessing is throttled (login and signing password), sessions end when idle, passwords can change."""

import time

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login_post(client, username, password, ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_nth_plus_one_login_refused_even_with_right_password(users, client, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = login_post(client, "staff_u", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    assert login_post(client, "staff_u", "wrong-password").status_code == 429  # the N-th locks
    locked = login_post(client, "staff_u", PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert (
        f"密码连续错误 {limit} 次" in text
        and f"请 {settings.AXES_COOLOFF_TIME.seconds // 60} 分钟后再试" in text
    )
    assert "_auth_user_id" not in client.session
    # another address is locked out too (the user name's counter) …
    assert login_post(Client(), "staff_u", PASSWORD, ip="10.0.0.8").status_code == 429


def test_lockout_ends_after_the_cool_off(users, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_post(client, "staff_u", "wrong-password")
    with time_machine.travel(time.time() + settings.AXES_COOLOFF_TIME.total_seconds() + 60):
        response = login_post(client, "staff_u", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["staff"].pk)


def test_one_address_guessing_many_user_names_is_locked_out(users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_post(Client(), f"nobody{n}", "wrong-password", ip="10.9.9.9")
    assert login_post(Client(), "head_u", PASSWORD, ip="10.9.9.9").status_code == 429
    assert login_post(Client(), "head_u", PASSWORD, ip="10.9.9.10").status_code == 302


def test_failures_are_logged_with_address_and_time_for_the_admin(users, client, login):
    login_post(client, "staff_u", "wrong-password", ip="10.1.2.3")
    failure = AccessFailureLog.objects.get(username="staff_u")
    assert failure.ip_address == "10.1.2.3" and failure.attempt_time is not None
    assert AccessAttempt.objects.get(username="staff_u").failures_since_start == 1
    assert AccessFailureLog in admin.site._registry
    page = login(users["admin"]).get(reverse("admin:axes_accessfailurelog_changelist"))
    assert "10.1.2.3" in page.content.decode()


def test_idle_session_ends_after_the_limit(users, client, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(users["staff"])
    start = time.time()
    with time_machine.travel(start, tick=False):
        page = client.get(reverse("home"))
        assert page.status_code == 200
        assert 'data-idle-minutes="30"' in page.content.decode()
    with time_machine.travel(start + 29 * 60, tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity moves the limit on
    with time_machine.travel(start + 29 * 60 + 30 * 60 + 1, tick=False):
        response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您已超过 30 分钟未操作，请重新登录。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_user_can_change_their_password(users, client):
    client.force_login(users["discipline"])
    url = reverse("password_change")
    assert "修改密码" in client.get(url).content.decode()
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and "这个密码太常见了" in weak.content.decode()
    new = "Lake-shore-2027"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    users["discipline"].refresh_from_db()
    assert users["discipline"].check_password(new)
