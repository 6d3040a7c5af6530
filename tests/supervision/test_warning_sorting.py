"""The warning list sorts by its date columns both ways; an unknown key keeps the default."""

from datetime import date

import pytest

from supervision.models import EarlyWarning
from supervision.sorting import WARNING_SORTS
from tests.factories import CaseFactory


@pytest.fixture
def warnings(unit_a):
    rows = [
        ("W1", date(2026, 3, 1), date(2026, 1, 5), "red"),
        ("W2", date(2026, 1, 1), date(2026, 2, 5), "yellow"),
        ("W3", date(2026, 2, 1), date(2026, 3, 5), "blue"),
    ]
    for reason, deadline, raised_on, level in rows:
        EarlyWarning.objects.create(
            case=CaseFactory(lead_unit=unit_a),
            unit=unit_a,
            level=level,
            deadline=deadline,
            raised_on=raised_on,
            reason=reason,
        )


EXPECTED = {
    "raised_on": ["W1", "W2", "W3"],
    "deadline": ["W2", "W3", "W1"],
    "level": ["W3", "W2", "W1"],  # 蓝 < 黄 < 红 (the stored words would give blue, red, yellow)
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(WARNING_SORTS))
def test_warning_list_sorts_by_each_column_both_ways(key, client, users, warnings):
    assert set(EXPECTED) == set(WARNING_SORTS)
    client.force_login(users["office"])
    up = [w.reason for w in client.get(f"/supervision/warnings/?sort={key}").context["page"]]
    down = [w.reason for w in client.get(f"/supervision/warnings/?sort=-{key}").context["page"]]
    assert (up, down) == (EXPECTED[key], EXPECTED[key][::-1])


@pytest.mark.django_db
def test_warning_list_unknown_sort_is_newest_first(client, users, warnings):
    client.force_login(users["office"])
    response = client.get("/supervision/warnings/?sort=reason")
    assert [w.reason for w in response.context["page"]] == ["W3", "W2", "W1"]
