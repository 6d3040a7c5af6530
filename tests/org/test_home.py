"""The home page to-do: the user's units' items due within 7 days and overdue, in fixed queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CaseFactory, TaskFactory


def make_items(unit, n):
    today = timezone.localdate()
    for i in range(n):
        CaseFactory(lead_unit=unit, deadline=today - timedelta(days=1 + i))  # overdue
        CaseFactory(lead_unit=unit, deadline=today + timedelta(days=i % 7))  # due soon
        TaskFactory(lead_unit=unit, deadline=today - timedelta(days=1))
        TaskFactory(lead_unit=unit, deadline=today + timedelta(days=3))


@pytest.mark.django_db
def test_home_lists_own_units_due_and_overdue_items(users, unit_a, unit_b, client):
    today = timezone.localdate()
    mine = CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=2))
    CaseFactory(lead_unit=unit_b, deadline=today - timedelta(days=2))
    soon = CaseFactory(lead_unit=unit_a, deadline=today + timedelta(days=7))
    CaseFactory(lead_unit=unit_a, deadline=today + timedelta(days=8))  # beyond 7 days
    CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=2), state="completed")  # finished
    client.force_login(users["staff"])
    sections = client.get(reverse("home")).context["sections"]
    counts = {title: count for title, _, count, *_ in sections}
    rows = {title: [r.pk for r in rows] for title, _, _, rows, *_ in sections}
    assert counts["逾期案件"] == 1 and rows["逾期案件"] == [mine.pk]
    assert counts["7日内到期案件"] == 1 and rows["7日内到期案件"] == [soon.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 15])
@pytest.mark.parametrize(("who", "queries"), [("staff", 17), ("office", 16)])
def test_home_query_count_does_not_grow_with_rows(
    n, who, queries, users, unit_a, client, django_assert_num_queries
):
    make_items(unit_a, n)
    client.force_login(users[who])
    client.get(reverse("home"))  # warm the session
    # Session, user, roles, unread notifications; a unit user: their units' tree and the cases
    # their units cooperate on (the scope as indexed IN lists); two aggregates for the four
    # figures, four row queries (the task badge is SQL, no prefetch); and the to-do list's
    # providers (qianshan.todo), a fixed number each.
    with django_assert_num_queries(queries):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_yes_no_filter_offers_all_yes_no_and_keeps_the_choice():
    from cases.filters import CaseFilter

    form = CaseFilter({"overdue": "true"}).form
    html = str(form["overdue"])
    assert '<option value="unknown">全部</option>' in html
    assert '<option value="true" selected>是</option>' in html
    assert "未知" not in str(form["is_key"])
