import importlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from api.domain.tokens import issue_token
from api.models import ApiClient
from api.scopes import ALL_SCOPES
from tests.acceptance.conftest import locality, unit_a, unit_b  # noqa: F401  (tagged units: see below)

# Units A and B belong to a locality tagged 党委政府, so their cases may apply for acceptance (附件2 三1)
# exactly as on the pages; the fixtures above replace the plain units of tests/conftest.py here.

_vocab = importlib.import_module("cases.migrations.0003_pollution_types").POLLUTION_TYPES


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counts live in the cache, which outlives a test's rolled-back database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_settle_window(settings):
    # On PostgreSQL the feed holds back rows younger than a few seconds; tests read at once
    # (test_events checks the window itself).
    settings.API_EVENTS_SETTLE_SECONDS = 0


@pytest.fixture
def pollution_vocab(db):
    from cases.models import PollutionType

    for order, (code, name) in enumerate(_vocab):
        PollutionType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class TokenClient(Client):
    """A test client that sends its bearer token with every request and speaks JSON."""

    def __init__(self, raw: str, api_client: ApiClient):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.raw = raw
        self.api_client = api_client

    def post_json(self, path, data, **extra):
        return self.post(path, data, content_type="application/json", **extra)


@pytest.fixture
def token_for(db):
    """token_for(user, scopes=…, rate=…, days=…) → a TokenClient acting as that account."""
    made = []

    def _make(user, *, scopes=ALL_SCOPES, rate="1000/min", days=30):
        client = ApiClient.objects.create(
            name=f"接口{user.username}{len(made)}", user=user, scopes=sorted(scopes), throttle_rate=rate
        )
        token, raw = issue_token(client, actor=None, days=days)
        made.append(token)
        return TokenClient(raw, client)

    return _make


def days(n):
    return timedelta(days=n)
