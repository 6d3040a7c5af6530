"""Every list of the API runs a fixed number of queries, whether it holds one row or many."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acceptance.domain import services as acceptance
from acceptance.enums import SlotRole
from cases.domain.evidence import add_progress
from cases.enums import CaseState, Finding
from rectification.domain.services import report_progress
from supervision.domain.escalation import issue_letter
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, MilestoneFactory, UnitFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/cases",
    "/api/v1/tasks",
    "/api/v1/acceptance/steps",
    "/api/v1/acceptance/forms",
    "/api/v1/warnings",
    "/api/v1/letters",
    "/api/v1/events",
    "/api/v1/inspections",
]


def _one_of_each(users, unit, n):
    case = CaseFactory(
        lead_unit=unit,
        cooperating_units=[UnitFactory()],
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
    add_progress(case, actor=users["staff"], happened_on=date(2021, 8, 1), text="进展")
    step = acceptance.apply_for_acceptance(case, actor=users["staff"], applied_on=date(2024, 9, 27))
    acceptance.assign_signer(
        step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER, unit=unit.parent
    )
    milestone = MilestoneFactory(measure__task__lead_unit=unit)
    report_progress(
        milestone.measure.task, actor=users["staff"], reported_on=date(2021, 8, 1), text="推进", percent=n
    )
    today = timezone.localdate()
    EarlyWarning.objects.create(
        case=case, unit=unit, level="red", deadline=today, raised_on=today, reason="逾期"
    )
    issue_letter(actor=users["office"], case=case, requirements="加快整改", today=today)


@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow_with_rows(path, users, unit_a, token_for):
    tc = token_for(users["staff"])
    _one_of_each(users, unit_a, 1)
    tc.get(path)  # first call of the client: nothing cached yet either way
    with CaptureQueriesContext(connection) as one:
        assert tc.get(path).status_code == 200
    for n in range(2, 6):
        _one_of_each(users, unit_a, n)
    with CaptureQueriesContext(connection) as many:
        body = tc.get(path).json()
    rows = body.get("results", body.get("events"))
    assert len(rows) >= 5 or path == "/api/v1/inspections"
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]
