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
# a report period's end, a 约谈's 限期整改 deadline. Every other date or time in the demo records
# something that happened.
FORWARD_FIELDS = {"deadline", "due", "reply_deadline", "end_date", "period_end", "rectify_deadline"}


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


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_with_real_users_unless_forced():
    from django.core.management.base import CommandError

    from tests.factories import UserFactory

    UserFactory(username="zhang.real")
    before = row_counts()
    with pytest.raises(CommandError, match=r"已有非示例用户（zhang\.real）.*--force") as refused:
        call_command("seed_demo", stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert row_counts() == before
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert PetitionCase.objects.exists()


def test_seed_demo_refusal_exits_2_with_a_message_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(QIANSHAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="qianshan.settings")

    def run(*a):
        return subprocess.run(
            [sys.executable, "manage.py", *a], cwd=root, env=env, capture_output=True, text=True, timeout=300
        )

    assert run("migrate", "--noinput").returncode == 0
    assert (
        run("shell", "-c", "from org.models import User; User.objects.create_user('real.person')").returncode
        == 0
    )
    result = run("seed_demo")
    assert result.returncode == 2
    assert "已有非示例用户（real.person）" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db
def test_demo_password_satisfies_the_projects_validators():
    from django.contrib.auth.password_validation import validate_password

    from org import demo
    from org.models import User

    call_command("seed_demo", stdout=io.StringIO())
    for user in User.objects.all():
        validate_password(demo.DEMO_PASSWORD, user)  # raises ValidationError if it would be refused
    assert User.objects.count() >= len(demo.USERS)
