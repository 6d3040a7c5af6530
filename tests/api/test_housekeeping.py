"""The nightly purge of the API's call log and idempotency keys (beat: purge-api-records)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from api import tasks
from api.domain import housekeeping
from api.domain.housekeeping import purge_api_records
from api.models import ApiCall, IdempotencyKey

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 3, 40, tzinfo=ZoneInfo("Asia/Shanghai"))


def _call(age: timedelta) -> ApiCall:
    return ApiCall.objects.create(method="GET", path="/api/v1/cases", status=200, at=NOW - age)


def _key(user, name: str, age: timedelta) -> IdempotencyKey:
    key = IdempotencyKey.objects.create(
        user=user,
        key=name,
        method="POST",
        path="/api/v1/cases",
        request_sha256="0" * 64,
        response_status=201,
        response_body={},
    )
    IdempotencyKey.objects.filter(pk=key.pk).update(created_at=NOW - age)
    return key


def test_purge_deletes_only_rows_past_their_keeping_time_and_is_idempotent(users, settings, monkeypatch):
    settings.API_CALL_LOG_DAYS = 180
    monkeypatch.setattr(housekeeping, "BATCH", 2)  # several batches
    old_calls = [_call(timedelta(days=180, seconds=s)) for s in (1, 2, 3)]
    kept_calls = [_call(timedelta(days=179, hours=23)), _call(timedelta(0))]
    _key(users["office"], "old", timedelta(hours=24, seconds=1))
    kept_key = _key(users["office"], "fresh", timedelta(hours=23, minutes=59))

    assert purge_api_records(now=NOW) == {"calls": 3, "idempotency_keys": 1}
    assert not ApiCall.objects.filter(pk__in=[c.pk for c in old_calls]).exists()
    assert sorted(ApiCall.objects.values_list("pk", flat=True)) == sorted(c.pk for c in kept_calls)
    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [kept_key.pk]
    assert purge_api_records(now=NOW) == {"calls": 0, "idempotency_keys": 0}  # a second run: nothing

    settings.API_CALL_LOG_DAYS = 30  # the keeping time comes from the setting
    assert purge_api_records(now=NOW) == {"calls": 1, "idempotency_keys": 0}


def test_a_key_is_usable_again_once_purged(users, token_for, pollution_vocab):
    from tests.factories import InspectionFactory

    InspectionFactory(code="C9")
    tc = token_for(users["office"])
    body = {"inspection": "C9", "cases": [{"receipt_no": "H001", "complaint": "噪声扰民"}]}
    assert tc.post_json("/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    assert tc.post_json("/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="k1").status_code == 200
    assert purge_api_records(now=NOW.now(tz=NOW.tzinfo) + timedelta(hours=25))["idempotency_keys"] == 1
    assert ApiCall.objects.count() == 2  # the calls themselves are kept 180 days


def test_the_task_reports_what_it_deleted_in_chinese(db):
    assert tasks.purge_api_records.acks_late is True
    assert tasks.purge_api_records.run() == "删除接口调用记录 0 条、幂等键 0 个"
