"""未解除的预警 (open_warning_q): open and escalated-to-a-letter warnings, until resolved — the
dashboard figure, the warning list filter and the sweep's resolution all use it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rectification.enums import TaskStatus
from supervision.domain.queries import open_warning_q
from supervision.domain.warnings import sweep_warnings
from supervision.enums import WarningLevel, WarningState
from supervision.models import EarlyWarning
from tests.factories import TaskFactory


def warning(task, state, level=WarningLevel.RED):
    return EarlyWarning.objects.create(
        task=task,
        unit=task.lead_unit,
        level=level,
        deadline=task.deadline,
        raised_on=timezone.localdate(),
        reason="已超过整改时限",
        state=state,
    )


@pytest.mark.django_db
def test_escalated_warning_is_open_until_resolved(users, unit_a, login):
    today = timezone.localdate()
    tasks = [TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=20)) for _ in range(3)]
    escalated = warning(tasks[0], WarningState.ESCALATED)
    opened = warning(tasks[1], WarningState.OPEN)
    warning(tasks[2], WarningState.RESOLVED)
    assert set(EarlyWarning.objects.filter(open_warning_q()).values_list("pk", flat=True)) == {
        escalated.pk,
        opened.pk,
    }
    client = login(users["office"])
    figures = dict(client.get(reverse("supervision:index")).context["data"]["warnings"])
    assert figures[WarningLevel.RED] == 2
    listed = client.get(reverse("supervision:warnings"), {"level": "red", "state": "unresolved"})
    assert listed.context["page"].paginator.count == 2
    assert "共 2 条" in listed.content.decode()

    # The item is done: the sweep resolves the escalated warning too, and the figure drops.
    type(tasks[0]).objects.filter(pk=tasks[0].pk).update(status=TaskStatus.COMPLETE)
    sweep_warnings(today=today)
    escalated.refresh_from_db()
    assert escalated.state == WarningState.RESOLVED
    figures = dict(client.get(reverse("supervision:index")).context["data"]["warnings"])
    assert figures[WarningLevel.RED] == 1


@pytest.mark.django_db
def test_unit_user_sees_only_own_units_unresolved_warnings(users, unit_a, unit_b, login):
    today = timezone.localdate()
    warning(TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=20)), WarningState.ESCALATED)
    warning(TaskFactory(lead_unit=unit_b, deadline=today - timedelta(days=20)), WarningState.OPEN)
    client = login(users["staff"])
    figures = dict(client.get(reverse("supervision:index")).context["data"]["warnings"])
    assert figures[WarningLevel.RED] == 1
    listed = client.get(reverse("supervision:warnings"), {"level": "red", "state": "unresolved"})
    assert listed.context["page"].paginator.count == 1


@pytest.mark.django_db
def test_letters_awaiting_reply_figure_opens_the_scoped_letter_list(users, unit_a, unit_b, login):
    from supervision.domain.escalation import issue_letter

    today = timezone.localdate()
    for unit in (unit_a, unit_b):
        task = TaskFactory(lead_unit=unit, deadline=today - timedelta(days=20))
        issue_letter(actor=users["office"], task=task, requirements="请加快整改", today=today)
    for who, expected in (("office", 2), ("staff", 1)):
        client = login(users[who])
        figure = client.get(reverse("supervision:index")).context["data"]["letters_open"]
        listed = client.get(reverse("supervision:letters"), {"state": "issued"})
        assert figure == listed.context["page"].paginator.count == expected
        assert f"共 {expected} 件" in listed.content.decode()
