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


# Dates that look ahead by nature: deadlines, due dates, an inspection's end, the holiday calendar,
# a report period's end. Every other date or time in the demo records something that happened.
FORWARD_FIELDS = {"deadline", "due", "reply_deadline", "end_date", "period_end"}


@pytest.mark.django_db
def test_seed_demo_dates_nothing_after_the_seed_day():
    """Seeded at 08:00 Shanghai: no record (signature, talk, form date, …) is dated later that day
    or after it, and a second run the next day still changes no row."""
    import time_machine
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    with time_machine.travel("2026-11-28 08:00:00+08:00", tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        today, now = timezone.localdate(), timezone.now()
    future = []
    for model in apps.get_models():
        if model._meta.label in {"acceptance.Holiday", "acceptance.HistoricalHoliday"}:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                limit = now
            elif isinstance(field, models.DateField) and field.name not in FORWARD_FIELDS:
                limit = today
            else:
                continue
            for value in model.objects.filter(**{f"{field.name}__gt": limit}).values_list(
                field.name, flat=True
            ):
                future.append((model._meta.label, field.name, value))
    assert future == []
    first = row_counts()
    with time_machine.travel("2026-11-29 09:00:00+08:00", tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first
