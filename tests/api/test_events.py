"""The change feed: every change exactly once across pages, in time order, scoped to the account."""

from datetime import date

import pytest

from cases.domain import transitions
from cases.domain.evidence import add_progress
from cases.enums import CaseState
from rectification.domain.services import report_progress
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _follow(tc, *, limit, after=None):
    """Read the feed page by page from ``after``; (events, last cursor, pages read)."""
    events, pages = [], 0
    while True:
        url = f"/api/v1/events?limit={limit}" + (f"&after={after}" if after else "")
        response = tc.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        pages += 1
        events += body["events"]
        after = body["next"]
        if not body["has_more"]:
            return events, after, pages


@pytest.fixture
def changes(users, unit_a, unit_b):
    """Changes of unit A's case and task in every source, and one change of unit B's case."""
    staff = users["staff"]
    case = CaseFactory(lead_unit=unit_a, state=CaseState.RECEIVED)
    case = transitions.start_investigation(case, actor=staff, reason="接收")
    for day in (1, 2, 3):
        add_progress(case, actor=staff, happened_on=date(2021, 8, day), text=f"第{day}次进展")
    task = TaskFactory(lead_unit=unit_a)
    for percent in (10, 20):
        report_progress(task, actor=staff, reported_on=date(2021, 8, 1), text="推进", percent=percent)
    EarlyWarning.objects.create(
        case=case,
        unit=unit_a,
        level="blue",
        deadline=date(2030, 1, 1),
        raised_on=date(2021, 8, 1),
        reason="即将到期",
    )
    other = CaseFactory(lead_unit=unit_b, state=CaseState.RECEIVED)
    transitions.start_investigation(other, actor=users["staff_b"])
    return case, task, other


def test_every_change_exactly_once_across_pages(users, token_for, changes):
    case, task, other = changes
    tc = token_for(users["staff"])
    events, _, pages = _follow(tc, limit=2)
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))  # nothing twice
    assert pages == 4  # 8 changes, 2 a page: the last page says there is no more
    kinds = sorted(e["type"] for e in events)
    assert kinds == sorted(
        [
            "case.created",
            "case.state_changed",
            *["case.progress_added"] * 3,
            *["task.progress_added"] * 2,
            "warning.raised",
        ]
    )
    # the same events as one big page, in the same order
    whole, _, one_page = _follow(tc, limit=500)
    assert one_page == 1 and [e["id"] for e in whole] == ids
    # scoped: unit B's case never appears for unit A's client
    assert all(e["object_id"] != other.pk or e["object_type"] != "case" for e in events)
    transition = next(e for e in events if e["type"] == "case.state_changed")
    assert transition["data"] == {
        "receipt_no": case.receipt_no,
        "from": "received",
        "to": "investigating",
        "reason": "接收",
    }
    assert transition["actor"] == users["staff"].display_name
    assert transition["at"].endswith("+08:00")
    assert {e["object_id"] for e in events if e["object_type"] == "task"} == {task.pk}


def test_following_with_the_cursor_gets_only_new_changes(users, token_for, changes):
    case, _, _ = changes
    tc = token_for(users["staff"])
    seen, cursor, _ = _follow(tc, limit=3)
    again, cursor2, _ = _follow(tc, limit=3, after=cursor)
    assert again == [] and cursor2 == cursor
    add_progress(case, actor=users["staff"], happened_on=date(2021, 8, 9), text="新进展")
    new, _, _ = _follow(tc, limit=3, after=cursor)
    assert [(e["type"], e["data"]["text"]) for e in new] == [("case.progress_added", "新进展")]
    assert not {e["id"] for e in new} & {e["id"] for e in seen}


def test_office_sees_both_units_and_a_bad_cursor_is_a_field_error(users, token_for, changes):
    _, _, other = changes
    tc = token_for(users["office"])
    events, _, _ = _follow(tc, limit=50)
    assert any(e["object_id"] == other.pk and e["type"] == "case.state_changed" for e in events)
    bad = tc.get("/api/v1/events?after=not-a-cursor")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "after"
    assert tc.get("/api/v1/events?limit=0").status_code == 400


def test_the_settle_window_holds_back_fresh_rows_until_they_are_old_enough(
    users, token_for, changes, settings
):
    tc = token_for(users["staff"])
    settings.API_EVENTS_SETTLE_SECONDS = 3600
    held, cursor, _ = _follow(tc, limit=50)
    assert [e["type"] for e in held] == ["warning.raised"]  # dated rows (no time of day) are not held
    settings.API_EVENTS_SETTLE_SECONDS = 0
    rest, _, _ = _follow(tc, limit=50, after=cursor)
    assert len(rest) == 7 and "warning.raised" not in {e["type"] for e in rest}
