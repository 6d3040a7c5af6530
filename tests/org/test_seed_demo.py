import io

import pytest
from django.core.management import call_command

from cases.enums import CaseState
from cases.models import PetitionCase
from org.enums import Role
from org.models import RoleAssignment
from rectification.models import RectificationTask

CLOSED = {CaseState.CLOSED, CaseState.FILED}


def row_counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_second_run_changes_no_row():
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first


@pytest.mark.django_db
def test_seed_demo_counts_as_the_plan_describes():
    call_command("seed_demo", stdout=io.StringIO())
    assert RectificationTask.objects.filter(inspection__code="C1").count() == 25
    lb = PetitionCase.objects.filter(inspection__code="C1-LB")
    assert lb.count() == 18 and set(lb.values_list("state", flat=True)) <= CLOSED
    c1 = PetitionCase.objects.filter(inspection__code="C1")
    assert c1.count() == 5 and set(c1.values_list("state", flat=True)) <= CLOSED
    c2 = PetitionCase.objects.filter(inspection__code="C2")
    assert c2.count() == 5 and c2.filter(is_key=True).count() == 1
    assert RectificationTask.objects.filter(inspection__code="C2").exists()
    p = PetitionCase.objects.filter(inspection__code="P2020")
    assert list(p.values_list("state", flat=True)) == [CaseState.COMPLETED]
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
