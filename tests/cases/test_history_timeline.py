"""The case page's history timeline: the same number of queries for 1 or 60 history rows, the same
changes simple-history's own diff finds, paged beyond the latest 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import PollutionType
from qianshan.common.history import history_of
from tests.factories import CaseFactory, UnitFactory


def _edited_case(unit_a, n_rows):
    """A case with ``n_rows`` history rows: text, choice, foreign-key and many-to-many changes."""
    unit_c = UnitFactory(name="丙单位")
    water, air = PollutionType.objects.filter(code__in=["water", "air"]).order_by("sort_order")
    case = CaseFactory(lead_unit=unit_a, cooperating_units=[unit_a], complainant_contact="13800000000")
    for i in range(n_rows - 2):  # the factory's save and m2m set made two rows already
        step = i % 4
        if step == 0:
            case.handler = f"负责人{i}"
            case.complainant_contact = f"1390000{i:04d}"
            case.save()
        elif step == 1:
            case.lead_unit = unit_c if case.lead_unit == unit_a else unit_a
            case.save()
        elif step == 2:
            case.pollution_types.set([water] if i % 8 == 2 else [water, air])
        else:
            case.channel = "letter" if case.channel != "letter" else "phone"
            case.save()
    assert case.history.count() == n_rows
    return case


def _case_page_queries(client, case) -> int:
    client.get(f"/cases/{case.pk}/")  # the first view fills the cache of unit and type names
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_case_page_queries_do_not_grow_with_history(client, users, unit_a):
    client.force_login(users["staff"])
    twelve = _case_page_queries(client, _edited_case(unit_a, 12))
    sixty = _case_page_queries(client, _edited_case(unit_a, 60))
    assert twelve == sixty


# 1 history row: nothing to name; 60 rows with unit and pollution-type changes: their names come
# from the cache the lists' filters use (qianshan/common/choices.py), so the same count.
@pytest.mark.django_db
@pytest.mark.parametrize("n, queries", [(1, 16), (60, 16)])
def test_case_page_query_count_is_fixed(n, queries, client, users, unit_a, django_assert_num_queries):
    case = _edited_case(unit_a, n) if n > 1 else CaseFactory(lead_unit=unit_a, cooperating_units=[unit_a])
    if n == 1:
        case.history.exclude(pk=case.history.latest().pk).delete()
    client.force_login(users["staff"])
    client.get(f"/cases/{case.pk}/")
    with django_assert_num_queries(queries):
        client.get(f"/cases/{case.pk}/")


@pytest.mark.django_db
def test_timeline_changes_match_simple_history_and_name_ids(unit_a):
    case = _edited_case(unit_a, 30)
    records = list(case.history.order_by("-history_date", "-history_id"))
    entries = history_of(case, hidden=frozenset({"complainant_contact"}))
    assert len(entries) == 30 and not entries.has_next
    labels = {
        f.name: str(f.verbose_name) for f in type(case)._meta.get_fields() if hasattr(f, "verbose_name")
    }
    for entry, record, previous in zip(entries, records, [*records[1:], None], strict=True):
        expected = (
            sorted(
                labels[c] for c in record.diff_against(previous).changed_fields if c != "complainant_contact"
            )
            if previous
            else []
        )
        assert sorted(label for label, _, _ in entry.changes) == expected
    shown = {(label, old, new) for e in entries for label, old, new in e.changes}
    assert ("牵头责任单位", "甲单位", "丙单位") in shown
    assert ("污染类型", "水", "水、大气") in shown or ("污染类型", "水、大气", "水") in shown
    assert ("举报方式", "来电", "来信") in shown and ("举报方式", "来信", "来电") in shown
    # personal data hidden from this reader; shown to the office
    assert not any(label == "举报人联系方式" for label, _, _ in shown)
    assert any(label == "举报人联系方式" for e in history_of(case) for label, _, _ in e.changes)


@pytest.mark.django_db
def test_timeline_is_paged_beyond_the_latest_50(client, users, unit_a):
    case = _edited_case(unit_a, 60)
    first = history_of(case)
    second = history_of(case, page=2)
    assert (len(first), first.has_next, len(second), second.has_next) == (50, True, 10, False)
    assert second[-1].kind == "创建" and second[-1].changes == []
    # the oldest entry of page 1 is still diffed against the row before it (on page 2)
    assert first[-1].changes
    assert len(history_of(case, page="999")) == 50 and len(history_of(case, page="x")) == 50
    client.force_login(users["staff"])
    body = client.get(f"/cases/{case.pk}/?history_page=2").content.decode()
    assert "较新的记录" in body and "更早的记录" not in body
