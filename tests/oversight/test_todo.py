"""The leader's to-do (oversight/domain/todo.py): each count is the number of rows its list opens."""

from datetime import timedelta

import pytest
import time_machine

from oversight.domain.todo import todo_items
from supervision.domain.escalation import issue_letter, refer_clue
from supervision.domain.warnings import sweep_warnings
from tests.factories import CaseFactory, TaskFactory

from .conftest import TODAY


@pytest.fixture
def leader_world(users, unit_a, unit_b, assign):
    assign(unit_a)
    for i in range(3):
        CaseFactory(lead_unit=unit_a, receipt_no=f"A-{i}", deadline=TODAY - timedelta(days=10 + i))
    CaseFactory(lead_unit=unit_b, receipt_no="B-0", deadline=TODAY - timedelta(days=10))  # not the leader's
    TaskFactory(lead_unit=unit_a, deadline=TODAY - timedelta(days=2))
    TaskFactory(lead_unit=unit_a, deadline=TODAY + timedelta(days=30))  # not overdue
    sweep_warnings(today=TODAY)
    case = CaseFactory(lead_unit=unit_a, receipt_no="A-L")
    issue_letter(actor=users["office"], case=case, requirements="加快", today=TODAY)
    issue_letter(actor=users["office"], case=CaseFactory(lead_unit=unit_b), requirements="加快", today=TODAY)


@pytest.mark.django_db
def test_leader_todo_count_equals_the_list_it_opens(users, leader_world, login):
    leader = users["leader"]
    with time_machine.travel("2026-07-08 10:00:00+08:00", tick=False):
        items = todo_items(leader, TODAY)
        counts = {item["key"]: item["count"] for item in items}
        assert counts == {
            "oversight:overdue_tasks": 1,
            "oversight:overdue_cases": 3,
            "oversight:red_warnings": 3,
            "oversight:open_letters": 1,
        }
        client = login(leader)
        for item in items:
            assert set(item) == {"key", "label", "count", "url", "group"}
            response = client.get(item["url"])
            assert response.status_code == 200
            assert response.context["page"].paginator.count == item["count"], item["key"]


@pytest.mark.django_db
def test_no_leader_todo_without_assignment_or_role(users, leader_world):
    assert todo_items(users["office"], TODAY) == []
    assert todo_items(users["staff"], TODAY) == []


@pytest.mark.django_db
def test_discipline_todo_pending_clues_equals_the_list(users, unit_a, login):
    refer_clue(actor=users["office"], case=CaseFactory(lead_unit=unit_a), referred_on=TODAY, facts="慢作为")
    [item] = todo_items(users["discipline"], TODAY)
    assert item["count"] == 1
    response = login(users["discipline"]).get(item["url"])
    assert response.context["page"].paginator.count == 1
