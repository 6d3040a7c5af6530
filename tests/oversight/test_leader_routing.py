"""分管领导: warnings and letters of a leader's units reach the leader; others' do not."""

from datetime import date, timedelta

import pytest

from notifications.enums import NotificationKind
from notifications.models import Notification
from oversight.domain.assignments import leaders_by_unit, units_of_leader
from supervision.domain.escalation import issue_letter
from supervision.domain.warnings import sweep_warnings
from tests.factories import CaseFactory, UnitFactory, user_with_role

from .conftest import TODAY


def told(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


@pytest.mark.django_db
def test_warning_reaches_the_assigned_leader_only(users, unit_a, unit_b, assign):
    from org.enums import Role

    other_leader = user_with_role(Role.LEADERSHIP, username="leader2")
    assign(unit_a)
    assign(unit_b, leader=other_leader, ends_on=date(2026, 3, 1))  # ended: no longer answers
    CaseFactory(lead_unit=unit_a, receipt_no="A-1", deadline=TODAY - timedelta(days=10))
    CaseFactory(lead_unit=unit_b, receipt_no="B-1", deadline=TODAY - timedelta(days=10))
    sweep_warnings(today=TODAY)
    assert told(users["leader"], NotificationKind.WARNING) == ["红色预警：信访案件 A-1"]
    assert told(other_leader, NotificationKind.WARNING) == []
    reason = Notification.objects.get(recipient=users["leader"]).reason
    assert reason == "您是该事项牵头责任单位的分管领导"


@pytest.mark.django_db
def test_letter_reaches_the_leader_of_the_unit_and_of_a_unit_above(users, unit_a, assign):
    from org.enums import Role

    child = UnitFactory(name="甲单位下属所", parent=unit_a)
    top_leader = user_with_role(Role.LEADERSHIP, username="leader_top")
    assign(unit_a, leader=top_leader)
    letter = issue_letter(
        actor=users["office"], case=CaseFactory(lead_unit=child), requirements="加快", today=TODAY
    )
    assert told(top_leader, NotificationKind.SUPERVISION_LETTER) == [f"督办函 {letter.number}"]
    assert told(users["leader"], NotificationKind.SUPERVISION_LETTER) == []


@pytest.mark.django_db
def test_assignment_dates_bound_the_units(users, unit_a, unit_b, assign):
    assign(unit_a, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    assign(unit_b, starts_on=date(2026, 7, 1))
    assert units_of_leader(users["leader"], date(2026, 6, 30)) == {unit_a.pk}
    assert units_of_leader(users["leader"], TODAY) == {unit_b.pk}
    assert leaders_by_unit([unit_a.pk, unit_b.pk], TODAY) == {unit_b.pk: [users["leader"]]}


@pytest.mark.django_db
def test_leaders_by_unit_query_count_does_not_grow(users, assign, django_assert_max_num_queries):
    units = [UnitFactory(name=f"单位{i}") for i in range(20)]
    for unit in units:
        assign(unit)
    with django_assert_max_num_queries(2):
        found = leaders_by_unit([u.pk for u in units], TODAY)
    assert len(found) == 20
