"""The acceptance overview (验收复核环节总览): every step, paged by the database with one count, each
offered column sorts both ways (环节 and 结果 in the chain's order), an unknown key keeps the
default, and the page's query count does not grow with the steps."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from acceptance.models import Step
from acceptance.sorting import STEP_SORTS
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(unit_a):
    inspection = InspectionFactory()
    rows = [
        # receipt no., kind, outcome, starts_on, done_on
        ("R-2", "review", "pending", date(2030, 1, 3), None),
        ("R-3", "acceptance", "failed", date(2030, 1, 1), date(2030, 1, 4)),
        ("R-1", "review_application", "passed", date(2030, 1, 2), date(2030, 1, 5)),
    ]
    for no, kind, outcome, starts_on, done_on in rows:
        case = CaseFactory(inspection=inspection, receipt_no=no, lead_unit=unit_a, state="completed")
        Step.objects.create(
            case=case,
            kind=kind,
            outcome=outcome,
            starts_on=starts_on,
            done_on=done_on,
            reasons="整改不到位" if outcome == "failed" else "",
        )


EXPECTED = {
    "starts_on": ["R-3", "R-1", "R-2"],
    "receipt_no": ["R-1", "R-2", "R-3"],
    # 组织验收 → 申请复核 → 组织复核 (alphabetically: acceptance, review, review_application)
    "kind": ["R-3", "R-1", "R-2"],
    # 办理中 → 通过 → 未通过 (alphabetically: failed, passed, pending)
    "outcome": ["R-2", "R-1", "R-3"],
    # done_on: the databases place the step without a date differently; the test compares the others
}


def _numbers(client, sort):
    response = client.get(reverse("acceptance:index"), {"sort": sort})
    assert response.status_code == 200
    return [s.case.receipt_no for s in response.context["steps"]]


@pytest.mark.parametrize("key", sorted(STEP_SORTS))
def test_overview_sorts_by_each_column_both_ways(key, steps, users, login):
    client = login(users["office"])
    up, down = _numbers(client, key), _numbers(client, f"-{key}")
    if key == "done_on":  # where the step without a date goes differs by database: compare the dated ones
        assert [n for n in up if n != "R-2"] == ["R-3", "R-1"]
        assert [n for n in down if n != "R-2"] == ["R-1", "R-3"]
    else:
        assert (up, down) == (EXPECTED[key], EXPECTED[key][::-1])
    body = client.get(reverse("acceptance:index"), {"sort": key}).content.decode()
    assert f'aria-sort="ascending"><a href="?sort=-{key}"' in body


@pytest.mark.parametrize("sort", ["nonsense", "-reasons", "__class__", "-", "kind;drop"])
def test_unknown_sort_key_keeps_newest_first(sort, steps, users, login):
    assert _numbers(login(users["office"]), sort) == ["R-2", "R-1", "R-3"]


def test_overview_is_paged_without_a_cap(users, login, unit_a):
    inspection = InspectionFactory()
    start = date(2030, 1, 1)
    for i in range(260):
        case = CaseFactory(
            inspection=inspection, receipt_no=f"P-{i:03d}", lead_unit=unit_a, state="completed"
        )
        Step.objects.create(case=case, kind="acceptance", starts_on=start + timedelta(days=i))
    client = login(users["office"])
    response = client.get(reverse("acceptance:index"), {"sort": "receipt_no", "page": "6"})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.paginator.count) == (6, 6, 260)
    assert [s.case.receipt_no for s in response.context["steps"]][:2] == ["P-250", "P-251"]
    body = response.content.decode()
    assert 'href="?sort=receipt_no&page=5"' in body and 'data-testid="page-jump"' in body
    # the unit's staff see their unit's steps only, paged the same way
    assert login(users["staff_b"]).get(reverse("acceptance:index")).context["page"].paginator.count == 0


@pytest.mark.parametrize("n", [1, 60])
def test_overview_query_count_is_fixed(n, users, login, unit_a, django_assert_num_queries):
    inspection = InspectionFactory()
    for i in range(n):
        case = CaseFactory(
            inspection=inspection, receipt_no=f"Q-{i:03d}", lead_unit=unit_a, state="completed"
        )
        Step.objects.create(case=case, kind="acceptance", starts_on=date(2030, 1, 1))
    client = login(users["office"])
    url = reverse("acceptance:index") + "?sort=-kind&page=2"
    client.get(url)
    # session, user, roles, unread notifications, the slots waiting for me, ONE count, the page of steps (with case, inspection, form), the cases waiting to apply
    with django_assert_num_queries(8):
        client.get(url)
