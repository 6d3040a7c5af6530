"""The scoring page's case list (年度案件评分): sortable both ways, an unknown key keeps the default,
paged with page numbers and jump-to-page keeping the year and the sort, one query set whatever
the number of cases."""

from datetime import date

import pytest

from scoring.sorting import TODO_SORTS

from .helpers import case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(unit_a):
    case_in(unit_a, 2025, receipt_no="S-2", deadline=date(2025, 3, 1))
    case_in(unit_a, 2025, receipt_no="S-3", deadline=date(2025, 1, 1))
    case_in(unit_a, 2025, receipt_no="S-1", deadline=date(2025, 2, 1))
    case_in(unit_a, 2024, receipt_no="S-0", deadline=date(2024, 2, 1))  # another year: not listed


EXPECTED = {"deadline": ["S-3", "S-1", "S-2"], "receipt_no": ["S-1", "S-2", "S-3"]}


def _numbers(client, query):
    response = client.get("/scoring/", query)
    assert response.status_code == 200
    return [t["case"].receipt_no for t in response.context["todo"]]


@pytest.mark.parametrize("key", sorted(TODO_SORTS))
def test_case_list_sorts_by_each_column_both_ways(key, cases, users, login):
    assert set(EXPECTED) == set(TODO_SORTS)
    client = login(users["staff"])
    assert _numbers(client, {"year": 2025, "sort": key}) == EXPECTED[key]
    assert _numbers(client, {"year": 2025, "sort": f"-{key}"}) == EXPECTED[key][::-1]
    body = client.get("/scoring/", {"year": 2025, "sort": key}).content.decode()
    assert f'aria-sort="ascending"><a href="?year=2025&amp;sort=-{key}"' in body
    assert f'<input type="hidden" name="sort" value="{key}">' in body  # the year form keeps it


@pytest.mark.parametrize("sort", ["nonsense", "-complaint", "__class__", "-", "deadline;drop"])
def test_unknown_sort_key_keeps_the_default(sort, cases, users, login):
    assert _numbers(login(users["staff"]), {"year": 2025, "sort": sort}) == EXPECTED["deadline"]


def test_pages_are_numbered_and_keep_year_and_sort(users, login, unit_a):
    for i in range(120):
        case_in(unit_a, 2025, receipt_no=f"P-{i:03d}")
    client = login(users["office"])
    response = client.get("/scoring/", {"year": 2025, "sort": "-receipt_no", "page": 3})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.paginator.count, page.window) == (
        3,
        3,
        120,
        [1, 2, 3],
    )
    assert response.context["todo"][0]["case"].receipt_no == "P-019"
    body = response.content.decode()
    assert 'href="?year=2025&amp;sort=-receipt_no&page=2"' in body and 'data-testid="page-jump"' in body


@pytest.mark.parametrize("n", [1, 60])
def test_case_list_query_count_is_fixed(n, users, login, unit_a, django_assert_num_queries):
    for i in range(n):
        case_in(unit_a, 2025, receipt_no=f"N-{i:03d}")
    client = login(users["staff"])
    url = "/scoring/?year=2025&sort=-receipt_no&page=2"
    client.get(url)
    # the same number for 1 and 60 cases (one count for the pager, the page's cases, their sheets;
    # the ranking above it: results by the unit rule, its events and task grades)
    with django_assert_num_queries(15):
        client.get(url)
