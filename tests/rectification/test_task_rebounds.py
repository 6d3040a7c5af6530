"""Rebounds classified (分类处置) on the case and the task rebound ledgers: look-back rebounds file a
task entry, the office reclassifies and handles it (with history), both ledgers listed in scope and
exported with real dates; constant queries."""

import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.domain.rebounds import active_categories, rebound_category
from cases.domain.rechecks import record_rebound_disposition
from cases.exporters import REBOUND_HEADERS
from cases.models import ReboundCategory, ReboundEntry
from qianshan.common.errors import DomainError
from rectification.domain.rebounds import record_task_rebound_disposition
from rectification.domain.services import record_look_back
from rectification.enums import LookBackResult, TaskStatus
from rectification.exporters import REBOUND_HEADERS as TASK_REBOUND_HEADERS
from rectification.models import TaskReboundEntry
from tests.factories import CaseFactory, MeasureFactory, TaskFactory

D = date(2026, 3, 10)


def _rebound(users, unit, number="T-RB", notes="油烟直排复发"):
    task = TaskFactory(lead_unit=unit, number=number, status=TaskStatus.CLOSED)
    measure = MeasureFactory(task=task, done=True, done_on=date(2026, 1, 5))
    record_look_back(
        measure,
        actor=users["office"],
        checked_on=D,
        inspector="张检查",
        result=LookBackResult.REBOUNDED,
        notes=notes,
        today=D,
    )
    return TaskReboundEntry.objects.get(task=task)


def _rows(content):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_built_in_categories_exist_with_their_codes():
    # seeded by the migration; a database flushed since (a browser test's) gets them back on first use
    active_categories()
    names = dict(ReboundCategory.objects.filter(is_builtin=True).values_list("code", "name"))
    assert names == {
        "incomplete": "整改不到位",
        "rebounded": "问题反弹",
        "new_problem": "新发问题",
        "other": "其他",
    }


@pytest.mark.django_db
def test_look_back_rebound_files_a_task_entry(users, unit_a):
    entry = _rebound(users, unit_a)
    assert (entry.found_on, entry.category.code, entry.description) == (D, "rebounded", "油烟直排复发")
    assert entry.measure is not None and entry.look_back_check.result == LookBackResult.REBOUNDED
    assert entry.history.get().history_user == users["office"]
    entry.task.refresh_from_db()
    assert entry.task.status == TaskStatus.REOPENED
    # a look-back that found the rectification holding files nothing
    other = MeasureFactory(task=TaskFactory(lead_unit=unit_a), done=True, done_on=date(2026, 1, 5))
    record_look_back(
        other, actor=users["office"], checked_on=D, inspector="李", result=LookBackResult.HOLDS, today=D
    )
    assert TaskReboundEntry.objects.count() == 1


@pytest.mark.django_db
def test_office_reclassifies_and_handles_with_history(users, unit_a):
    entry = _rebound(users, unit_a)
    incomplete = rebound_category("incomplete")
    record_task_rebound_disposition(
        entry,
        actor=users["office"],
        category=incomplete,
        disposition="重新制定措施，深入整改",
        resolved_on=date(2026, 4, 1),
    )
    entry.refresh_from_db()
    assert (entry.category, entry.resolved_on) == (incomplete, date(2026, 4, 1))
    last = entry.history.first()
    assert last.history_user == users["office"] and last.category_id == incomplete.pk
    bad = [
        ({"actor": users["staff"]}, "协调组办公室"),
        ({"disposition": "  "}, "处置措施"),
        ({"resolved_on": date(2026, 3, 1)}, "不能早于发现日期"),
        ({"category": None}, "分类"),
    ]
    ok = {"actor": users["office"], "category": incomplete, "disposition": "x", "resolved_on": None}
    for change, words in bad:
        with pytest.raises(DomainError) as err:
            record_task_rebound_disposition(entry, **(ok | change))
        assert words in err.value.message
    entry.refresh_from_db()
    assert entry.disposition == "重新制定措施，深入整改"  # nothing half-saved


@pytest.mark.django_db
def test_task_rebound_list_is_scoped_and_edit_is_office_only(users, unit_a, unit_b, login):
    own = _rebound(users, unit_a, "T-A")
    _rebound(users, unit_b, "T-B")
    html = login(users["staff"]).get(reverse("rectification:rebounds")).content.decode()
    assert "T-A" in html and "T-B" not in html
    assert login(users["staff"]).get(reverse("rectification:rebound_edit", args=[own.pk])).status_code == 404
    client = login(users["office"])
    new_problem = rebound_category("new_problem")
    response = client.post(
        reverse("rectification:rebound_edit", args=[own.pk]),
        {"category": new_problem.pk, "disposition": "按新问题交办", "resolved_on": ""},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.category == new_problem
    bad = client.post(
        reverse("rectification:rebound_edit", args=[own.pk]),
        {"category": new_problem.pk, "disposition": "x", "resolved_on": "2026-01-01"},
    )
    assert bad.status_code == 400 and "处置完成日期不能早于发现日期" in bad.content.decode()


@pytest.mark.django_db
def test_task_rebound_export_reads_back_with_real_dates(users, unit_a, unit_b, login):
    _rebound(users, unit_a, "T-A")
    _rebound(users, unit_b, "T-B")
    rows = _rows(login(users["staff_b"]).get(reverse("rectification:rebounds") + "?format=xlsx").content)
    assert list(rows[0]) == list(TASK_REBOUND_HEADERS)
    [row] = [dict(zip(TASK_REBOUND_HEADERS, r, strict=True)) for r in rows[1:]]
    assert (row["任务编号"], row["分类"], row["来源"]) == ("T-B", "问题反弹", "2026-03-10回头看检查")
    assert isinstance(row["发现日期"], datetime) and row["发现日期"].date() == D


@pytest.mark.django_db
def test_case_rebound_classified_edited_and_exported(users, unit_a, unit_b, login):
    case = CaseFactory(lead_unit=unit_a, receipt_no="X-RB")
    entry = ReboundEntry.objects.create(
        case=case, found_on=D, description="噪声复发", category=rebound_category()
    )
    ReboundEntry.objects.create(
        case=CaseFactory(lead_unit=unit_b, receipt_no="X-B"), found_on=D, description="b"
    )
    record_rebound_disposition(
        entry, actor=users["office"], disposition="重新整改", category=rebound_category("incomplete")
    )
    entry.refresh_from_db()
    assert entry.category.name == "整改不到位" and entry.history.first().history_user == users["office"]
    with pytest.raises(DomainError):
        record_rebound_disposition(
            entry, actor=users["office"], disposition="x", resolved_on=date(2026, 1, 1)
        )
    client = login(users["staff"])
    html = client.get(reverse("cases:rebounds")).content.decode()
    assert "整改不到位" in html and "X-B" not in html
    rows = _rows(client.get(reverse("cases:rebounds") + "?format=xlsx").content)
    assert list(rows[0]) == REBOUND_HEADERS
    [row] = [dict(zip(REBOUND_HEADERS, r, strict=True)) for r in rows[1:]]
    assert (row["受理编号"], row["分类"], row["处置措施"]) == ("X-RB", "整改不到位", "重新整改")
    assert isinstance(row["发现日期"], datetime) and row["发现日期"].date() == D


@pytest.mark.django_db
def test_rebound_lists_and_exports_take_fixed_queries(users, unit_a, login):
    client = login(users["office"])
    urls = [
        reverse("rectification:rebounds"),
        reverse("rectification:rebounds") + "?format=xlsx",
        reverse("cases:rebounds"),
        reverse("cases:rebounds") + "?format=xlsx",
    ]
    _rebound(users, unit_a, "T-0")
    ReboundEntry.objects.create(
        case=CaseFactory(lead_unit=unit_a), found_on=D, description="x", category=rebound_category()
    )
    few = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        few.append(len(ctx))
    for i in range(1, 8):
        _rebound(users, unit_a, f"T-{i}")
        ReboundEntry.objects.create(
            case=CaseFactory(lead_unit=unit_a),
            found_on=D,
            description="x",
            category=rebound_category("other"),
        )
    for url, n in zip(urls, few, strict=True):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) == n, url
