"""Tokens: hashed at rest, shown once, revocable, expiring; scopes; throttling; the call log."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.domain.tokens import digest, issue_token, revoke_token
from api.models import ApiCall, ApiToken
from api.scopes import Resource
from org.enums import Role
from tests.factories import CaseFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_its_digest(users, token_for):
    tc = token_for(users["office"])
    token = ApiToken.objects.get(client=tc.api_client)
    assert token.token_sha256 == digest(tc.raw)
    assert tc.raw.startswith(f"qs_{token.prefix}_")
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert all(tc.raw not in v for v in stored)
    response = tc.get("/api/v1/inspections")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_no_or_bad_token_is_401_in_the_error_shape(db):
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    [item] = response.json()["errors"]
    assert item["code"] == "not_authenticated" and item["field"] is None
    bad = Client(HTTP_AUTHORIZATION="Bearer qs_deadbeef_nope").get("/api/v1/cases")
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["message"] == "令牌无效。"


def test_revoked_token_is_401_from_the_next_call(users, token_for):
    tc = token_for(users["office"])
    assert tc.get("/api/v1/cases").status_code == 200
    revoke_token(ApiToken.objects.get(client=tc.api_client), actor=users["admin"])
    response = tc.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "令牌已被吊销。"


def test_expired_token_is_401(users, token_for):
    tc = token_for(users["office"])
    ApiToken.objects.filter(client=tc.api_client).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = tc.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "令牌已过期。"


def test_inactive_client_is_401(users, token_for):
    tc = token_for(users["office"])
    tc.api_client.is_active = False
    tc.api_client.save()
    assert tc.get("/api/v1/cases").status_code == 401


def test_read_only_token_cannot_write(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    tc = token_for(users["staff"], scopes={f"{Resource.CASES}:read", f"{Resource.TASKS}:read"})
    assert tc.get(f"/api/v1/cases/{case.pk}").status_code == 200
    response = tc.post_json(
        f"/api/v1/cases/{case.pk}/progress", {"happened_on": "2021-08-01", "text": "进展"}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "此令牌为只读或没有该资源的写入权限。"
    assert not case.progress_entries.exists()


def test_token_without_a_resource_scope_cannot_read_it(users, token_for):
    tc = token_for(users["office"], scopes={f"{Resource.CASES}:read"})
    assert tc.get("/api/v1/cases").status_code == 200
    assert tc.get("/api/v1/tasks").status_code == 403
    assert tc.get("/api/v1/events").status_code == 403


def test_throttling_answers_429_per_client(users, token_for):
    slow = token_for(users["office"], rate="3/min")
    other = token_for(user_with_role(Role.OFFICE, username="office2"), rate="3/min")
    statuses = [slow.get("/api/v1/inspections").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = slow.get("/api/v1/inspections")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "throttled"
    # another client has its own count
    assert other.get("/api/v1/inspections").status_code == 200


def test_every_call_is_logged_with_client_endpoint_status(users, token_for):
    tc = token_for(users["office"])
    tc.get("/api/v1/inspections")
    tc.get("/api/v1/cases/999999")
    calls = list(ApiCall.objects.order_by("id").values_list("client_id", "method", "path", "status"))
    assert calls == [
        (tc.api_client.pk, "GET", "/api/v1/inspections", 200),
        (tc.api_client.pk, "GET", "/api/v1/cases/999999", 404),
    ]


def test_a_signed_in_person_uses_the_api_with_their_page_scope(users, login, unit_a, unit_b):
    own = CaseFactory(lead_unit=unit_a)
    other = CaseFactory(lead_unit=unit_b)
    client = login(users["staff"])
    assert client.get(f"/api/v1/cases/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/cases/{other.pk}").status_code == 404
    ids = [row["id"] for row in client.get("/api/v1/cases").json()["results"]]
    assert ids == [own.pk]


def test_issue_token_refuses_a_silly_lifetime(users, token_for):
    tc = token_for(users["office"])
    from qianshan.common.errors import DomainError

    with pytest.raises(DomainError, match="有效期"):
        issue_token(tc.api_client, actor=None, days=0)
