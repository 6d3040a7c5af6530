"""The API's access matrix mirrors the pages': for every endpoint and every role-scoped client, an
object the page answers 404 for is a 404 in the API too, and an object the page shows is a 200.

The objects all belong to unit B; the acceptance member is assigned to sign the case's 验收意见
(so they read that case's chain, and nothing else). The expected answer is not written down here:
it is what the page says for the same account and object.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from acceptance.domain import services as acceptance
from acceptance.enums import SlotRole
from cases.enums import CaseState, Finding
from supervision.domain.escalation import issue_letter
from supervision.domain.reports import build_report
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "office", "staff", "head", "staff_b", "acceptor", "reviewer", "discipline", "leader"]


@pytest.fixture
def world(users, unit_b):
    case = CaseFactory(
        lead_unit=unit_b,
        state=CaseState.COMPLETED,
        finding=Finding.TRUE,
        handling="已整改",
        points_investigated=True,
        points_resolved=True,
        violations_penalised=True,
        accountability_done=True,
        complainant_accepted=True,
        completion_evidence="现场照片",
    )
    step = acceptance.apply_for_acceptance(case, actor=users["staff_b"], applied_on=date(2024, 9, 27))
    acceptance.assign_signer(
        step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER, unit=unit_b.parent
    )
    task = TaskFactory(lead_unit=unit_b)
    today = timezone.localdate()
    warning = EarlyWarning.objects.create(
        case=case,
        unit=unit_b,
        level="red",
        deadline=today - timedelta(days=9),
        raised_on=today,
        reason="逾期",
    )
    letter = issue_letter(actor=users["office"], case=case, requirements="加快整改", today=today)
    weekly, _ = build_report("weekly", day=today)
    daily, _ = build_report("daily", day=today)
    return {
        "case": case,
        "step": step,
        "form": step.form,
        "task": task,
        "warning": warning,
        "letter": letter,
        "weekly": weekly,
        "daily": daily,
    }


# (API path, the page showing the same object); {x} are the world's objects.
ENDPOINTS = [
    ("/api/v1/cases/{case.pk}", "/cases/{case.pk}/"),
    ("/api/v1/cases/by-receipt-no/{case.receipt_no}", "/cases/{case.pk}/"),
    ("/api/v1/cases/{case.pk}/progress", "/cases/{case.pk}/"),
    ("/api/v1/cases/{case.pk}/transition-log", "/cases/{case.pk}/"),
    ("/api/v1/cases/{case.pk}/history", "/cases/{case.pk}/"),
    ("/api/v1/tasks/{task.pk}", "/tasks/{task.pk}/"),
    ("/api/v1/tasks/{task.pk}/progress", "/tasks/{task.pk}/"),
    ("/api/v1/acceptance/steps/{step.pk}", "/acceptance/cases/{case.pk}/"),
    ("/api/v1/acceptance/forms/{form.pk}", "/acceptance/forms/{form.pk}/"),
    ("/api/v1/warnings/{warning.pk}", "/supervision/items/case/{case.pk}/"),
    ("/api/v1/letters/{letter.pk}", "/supervision/letters/{letter.pk}/"),
    ("/api/v1/reports/{weekly.pk}", "/supervision/reports/{weekly.pk}/"),
    ("/api/v1/reports/{daily.pk}", "/supervision/reports/{daily.pk}/"),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_detail_endpoint_answers_as_the_page_does(role, users, world, token_for):
    api = token_for(users[role])
    page = Client()
    page.force_login(users[role])
    seen = []
    for api_path, page_path in ENDPOINTS:
        # A unit user's weekly or monthly report page leads to their own section (a redirect).
        page_status = page.get(page_path.format(**world), follow=True).status_code
        api_status = api.get(api_path.format(**world)).status_code
        assert page_status in (200, 404), (page_path, page_status)
        seen.append((api_path, api_status, page_status))
    assert [(p, a) for p, a, _ in seen] == [(p, pg) for p, _, pg in seen]
    if role == "staff":  # another unit's objects by id: nothing leaks (the reports are every
        # unit's, cut to their own sections)
        assert {a for p, a, _ in seen if not p.startswith("/api/v1/reports/")} == {404}


WRITES = [
    ("/api/v1/cases/{case.pk}/transitions", {"to_state": "reopened", "reason": "复查反弹"}),
    ("/api/v1/cases/{case.pk}/progress", {"happened_on": "2021-08-01", "text": "进展"}),
    ("/api/v1/tasks/{task.pk}/progress", {"reported_on": "2021-08-01", "text": "进展", "percent": 50}),
]


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_writes_to_another_units_object_are_404_and_change_nothing(path, body, users, world, token_for):
    response = token_for(users["staff"]).post_json(path.format(**world), body)
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "未找到。"
    world["case"].refresh_from_db()
    assert world["case"].state == CaseState.COMPLETED
    assert not world["case"].progress_entries.exists() and not world["task"].progress_reports.exists()


LISTS = [
    ("/api/v1/cases", "case"),
    ("/api/v1/tasks", "task"),
    ("/api/v1/acceptance/steps", "step"),
    ("/api/v1/acceptance/forms", "form"),
    ("/api/v1/warnings", "warning"),
    ("/api/v1/letters", "letter"),
]


@pytest.mark.parametrize(("path", "key"), LISTS)
def test_lists_hold_another_units_objects_only_for_those_who_see_them(path, key, users, world, token_for):
    def ids(role):
        return [row["id"] for row in token_for(users[role]).get(path).json()["results"]]

    assert ids("staff") == []
    assert ids("office") == [world[key].pk]
    assert ids("discipline") == [world[key].pk]
    assert ids("staff_b") == [world[key].pk]
