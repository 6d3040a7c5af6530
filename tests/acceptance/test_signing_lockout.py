"""The signing password is throttled like the login (org.throttle, django-axes)."""

import pytest
from django.test import Client
from django.urls import reverse

from acceptance.enums import SlotRole
from acceptance.models import Signature
from tests.factories import PASSWORD
from tests.org.test_login_protection import login_post

pytestmark = pytest.mark.django_db


def test_nth_plus_one_signing_password_refused_even_when_right(acceptance_form, users, client, settings):
    slot = acceptance_form.slots.get(role=SlotRole.LEADER)
    client.force_login(users["acceptor"])
    url = reverse("acceptance:sign", args=[acceptance_form.pk, slot.pk])
    for n in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(url, {"password": "wrong-password"}, REMOTE_ADDR="10.0.0.7", follow=True)
        expected = "密码不正确" if n < settings.AXES_FAILURE_LIMIT else "已暂时锁定"
        assert expected in response.content.decode()
    response = client.post(url, {"password": PASSWORD}, REMOTE_ADDR="10.0.0.7", follow=True)
    assert f"密码连续错误 {settings.AXES_FAILURE_LIMIT} 次" in response.content.decode()
    assert Signature.objects.count() == 0
    # the same counter guards the login form
    assert login_post(Client(), "acceptor_u", PASSWORD, ip="10.0.0.99").status_code == 429
