"""Sortable, paged case and task lists: every offered column sorts both ways, the sort survives
filters and exports, an unknown key falls back to the default, one count per page view."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from cases.sorting import CASE_SORTS
from rectification.sorting import TASK_SORTS
from tests.factories import CaseFactory, InspectionFactory, TaskFactory, UnitFactory

from .helpers import bulk_cases


@pytest.fixture
def three_cases(unit_a):
    first, second = InspectionFactory(code="C1"), InspectionFactory(code="C2")
    return [
        CaseFactory(
            inspection=second, batch=1, receipt_no="B-002", lead_unit=unit_a, deadline=date(2030, 3, 1)
        ),
        CaseFactory(
            inspection=first, batch=3, receipt_no="C-003", lead_unit=unit_a, deadline=date(2030, 1, 1)
        ),
        CaseFactory(
            inspection=first, batch=2, receipt_no="A-001", lead_unit=unit_a, deadline=date(2030, 2, 1)
        ),
    ]


EXPECTED_CASE_ORDER = {
    "inspection": ["A-001", "C-003", "B-002"],  # inspection C1 (batch 2, 3), then C2
    "receipt_no": ["A-001", "B-002", "C-003"],
    "batch": ["B-002", "A-001", "C-003"],
    "deadline": ["C-003", "A-001", "B-002"],
    "state": ["B-002", "C-003", "A-001"],  # one state: by id (test_case_list_sorts_states_in_lifecycle)
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CASE_SORTS))
def test_case_list_sorts_by_each_column_both_ways(key, client, users, three_cases):
    assert set(EXPECTED_CASE_ORDER) == set(CASE_SORTS)
    client.force_login(users["staff"])
    up = client.get(f"/cases/?sort={key}")
    down = client.get(f"/cases/?sort=-{key}")
    assert [c.receipt_no for c in up.context["page"]] == EXPECTED_CASE_ORDER[key]
    assert [c.receipt_no for c in down.context["page"]] == EXPECTED_CASE_ORDER[key][::-1]
    # the header links: the active column flips, the others sort ascending
    assert f'href="?sort=-{key}"' in up.content.decode()
    assert f'href="?sort={key}"' in down.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["nonsense", "-complaint", "__class__", "-", "receipt_no;drop"])
def test_unknown_sort_key_is_ignored(sort, client, users, three_cases):
    client.force_login(users["staff"])
    response = client.get("/cases/", {"sort": sort})
    assert response.status_code == 200
    assert [c.receipt_no for c in response.context["page"]] == EXPECTED_CASE_ORDER["inspection"]
    assert client.get("/tasks/", {"sort": sort}).status_code == 200


@pytest.mark.django_db
def test_sort_survives_filter_form_paging_and_export(client, users, three_cases):
    client.force_login(users["office"])
    body = client.get("/cases/?sort=-deadline&state=investigating").content.decode()
    assert '<input type="hidden" name="sort" value="-deadline">' in body  # the filter form keeps it
    assert 'href="/cases/export.xlsx?sort=-deadline&amp;state=investigating"' in body
    export = client.get("/cases/export.xlsx?sort=-deadline&state=investigating")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["B-002", "A-001", "C-003"]


@pytest.mark.django_db
def test_page_numbers_and_jump_keep_filters_and_sort(client, users, unit_a):
    bulk_cases(260, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=unit_a)
    client.force_login(users["office"])
    response = client.get("/cases/?sort=-receipt_no&page=3")
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.window) == (3, 6, [1, 2, 3, 4, 5, 6])
    assert page[0].receipt_no == "Q0000159"
    body = response.content.decode()
    assert 'href="?sort=-receipt_no&page=6"' in body
    assert '<input type="hidden" name="sort" value="-receipt_no">' in body and 'name="page"' in body
    assert client.get("/cases/?page=999").context["page"].number == 6
    assert client.get("/cases/?page=abc").context["page"].number == 1


def _tasks(unit_a):
    inspection = InspectionFactory(code="T1")
    today = date(2030, 1, 1)
    TaskFactory(inspection=inspection, number="2", seq=1, lead_unit=unit_a, deadline=today + timedelta(2))
    TaskFactory(inspection=inspection, number="3", seq=2, lead_unit=unit_a, deadline=today, status="closed")
    TaskFactory(inspection=inspection, number="1", seq=3, lead_unit=unit_a, deadline=today + timedelta(1))


EXPECTED_TASK_ORDER = {
    "inspection": ["2", "3", "1"],
    "number": ["1", "2", "3"],
    "deadline": ["3", "1", "2"],
    "status": ["1", "2", "3"],  # 整改中 before 已销号 (lifecycle, not the words); then by deadline
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(TASK_SORTS))
def test_task_list_sorts_by_each_column_both_ways(key, client, users, unit_a):
    assert set(EXPECTED_TASK_ORDER) == set(TASK_SORTS)
    _tasks(unit_a)
    client.force_login(users["staff"])
    up = [t.number for t in client.get(f"/tasks/?sort={key}").context["tasks"]]
    down = [t.number for t in client.get(f"/tasks/?sort=-{key}").context["tasks"]]
    assert (up, down) == (EXPECTED_TASK_ORDER[key], EXPECTED_TASK_ORDER[key][::-1])


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 60])
@pytest.mark.parametrize(
    ("who", "url", "queries"),
    [
        # session, user, roles with the unit tree (one UNION ALL), ONE count (state chips), unread
        # notifications, the page's rows — the filter choices and unit names come from the cache
        ("staff", "/cases/?sort=-deadline&q=噪声&page=1", 6),
        ("staff", "/cases/?sort=state&q=甲单位", 6),
        # the office: the same six; a chosen unit is read once to validate it,
        # and once more for the name on its removable filter chip
        ("office", "/cases/?sort=-batch&state=investigating&overdue=false", 6),
        ("office", "/cases/?sort=receipt_no&unit={unit}&q=噪声", 8),
    ],
)
def test_case_list_query_count_is_fixed(
    n, who, url, queries, client, users, unit_a, django_assert_num_queries
):
    bulk_cases(n, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=unit_a)
    client.force_login(users[who])
    url = url.format(unit=unit_a.pk)
    client.get(url)  # the first view fills the cache of filter choices
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["total"] == n
    assert queries <= 8  # issue 12's goal for the case list


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 60])
def test_task_list_query_count_is_fixed(n, client, users, unit_a, django_assert_num_queries):
    inspection = InspectionFactory()
    for i in range(n):
        TaskFactory(inspection=inspection, number=f"N{i}", seq=i, lead_unit=unit_a)
    client.force_login(users["staff"])
    url = "/tasks/?sort=-status&q=甲单位"
    client.get(url)
    # session, user, roles with the unit tree, ONE count, the page (+ cooperating units, measures,
    # milestones), unread notifications, the meetings that approved the task lists; the choices
    # and unit names come from the cache
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.context["total"] == n


@pytest.mark.django_db
def test_case_list_sorts_states_in_lifecycle_order(client, users, unit_a):
    inspection = InspectionFactory()
    # alphabetically: completed, filed, investigating, received, rectifying, reopened
    for no, state in [
        ("S1", "filed"),
        ("S2", "received"),
        ("S3", "completed"),
        ("S4", "reopened"),
        ("S5", "investigating"),
        ("S6", "rectifying"),
    ]:
        CaseFactory(inspection=inspection, receipt_no=no, lead_unit=unit_a, state=state)
    client.force_login(users["office"])
    up = [c.receipt_no for c in client.get("/cases/?sort=state").context["page"]]
    down = [c.receipt_no for c in client.get("/cases/?sort=-state").context["page"]]
    # 已交办, 调查核实, 整改中, 重新整改, 已办结, 已备案
    assert up == ["S2", "S5", "S6", "S4", "S3", "S1"]
    assert down == up[::-1]
    body = client.get("/cases/?sort=state").content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-state"' in body


@pytest.mark.django_db
def test_choice_cache_follows_unit_changes(client, users, unit_a):
    client.force_login(users["office"])
    assert "甲单位" in client.get("/cases/").content.decode()
    unit_a.name = "甲单位（更名）"
    unit_a.save()
    body = client.get("/cases/").content.decode()
    assert "甲单位（更名）" in body
    UnitFactory(name="新设单位")
    assert "新设单位" in client.get("/tasks/").content.decode()


@pytest.mark.django_db
def test_keyword_finds_address_and_unit_names(client, users, unit_a, unit_b):
    inspection = InspectionFactory()
    region = UnitFactory(name="千山区", kind="region")
    cooperating = UnitFactory(name="千山区水务局")
    by_address = CaseFactory(
        inspection=inspection, receipt_no="K1", lead_unit=unit_b, complaint="反映长江路88号烧烤油烟扰民"
    )
    by_lead = CaseFactory(inspection=inspection, receipt_no="K2", lead_unit=unit_a)
    by_cooperating = CaseFactory(
        inspection=inspection, receipt_no="K3", lead_unit=unit_b, cooperating_units=[cooperating]
    )
    by_locality = CaseFactory(inspection=inspection, receipt_no="K4", lead_unit=unit_b, locality=region)
    CaseFactory(inspection=inspection, receipt_no="K5", lead_unit=unit_b)
    client.force_login(users["office"])

    def found(q):
        return sorted(c.receipt_no for c in client.get("/cases/", {"q": q}).context["page"])

    assert found("长江路88号") == [by_address.receipt_no]
    assert found("甲单位") == [by_lead.receipt_no]
    assert found("水务") == [by_cooperating.receipt_no]
    assert found("千山区") == sorted([by_cooperating.receipt_no, by_locality.receipt_no])
    # the export follows the same keyword
    assert client.get("/cases/export.xlsx", {"q": "水务"}).status_code == 200
    # tasks: by the lead or a cooperating unit's name
    TaskFactory(inspection=inspection, number="T1", lead_unit=unit_a)
    TaskFactory(inspection=inspection, number="T2", lead_unit=unit_b, cooperating_units=[cooperating])
    TaskFactory(inspection=inspection, number="T3", lead_unit=unit_b)
    tasks = client.get("/tasks/", {"q": "水务"}).context["tasks"]
    assert [t.number for t in tasks] == ["T2"]
    assert [t.number for t in client.get("/tasks/", {"q": "甲单"}).context["tasks"]] == ["T1"]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", [*sorted(CASE_SORTS), *(f"-{k}" for k in sorted(CASE_SORTS))])
def test_deep_pages_read_keys_first_and_show_the_same_rows(sort, client, users, unit_a):
    """From row DEFERRED_FROM_ROW on, a page's keys are read first and then its rows (listing.
    ListPaginator): the page shows exactly the rows of the plain ordered slice, in its order, with
    one query more than a shallow page whatever the page number."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from cases.models import PetitionCase
    from cases.sorting import case_sorting
    from qianshan.common.listing import DEFERRED_FROM_ROW

    n = DEFERRED_FROM_ROW + 120
    bulk_cases(n, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=unit_a)
    # varied deadlines, batches and states so every order differs from the id order
    for i, pk in enumerate(PetitionCase.objects.order_by("pk").values_list("pk", flat=True)):
        PetitionCase.objects.filter(pk=pk).update(
            deadline=date(2030, 1, 1) + timedelta(days=(i * 7) % 31),
            batch=1 + i % 3,
            state=["received", "investigating", "rectifying", "completed"][i % 4],
        )
    ordered = list(
        case_sorting(QueryDict(f"sort={sort}"))
        .apply(PetitionCase.objects.all())
        .values_list("receipt_no", flat=True)
    )
    client.force_login(users["office"])
    counts = {}
    for page in (1, DEFERRED_FROM_ROW // 50 + 1, DEFERRED_FROM_ROW // 50 + 3):
        response = client.get("/cases/", {"sort": sort, "page": page})
        shown = [c.receipt_no for c in response.context["page"]]
        start = (page - 1) * 50
        assert shown == ordered[start : start + 50], (sort, page)
        with CaptureQueriesContext(connection) as ctx:
            client.get("/cases/", {"sort": sort, "page": page})
        counts[page] = len(ctx.captured_queries)
    shallow, deep, last = counts.values()
    assert deep == last == shallow + 1
