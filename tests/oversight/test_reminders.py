"""The beat reminders: 党工委 study every two months, 纪工委's monthly on-site inspection."""

from datetime import date

import pytest

from notifications.enums import NotificationKind
from notifications.models import Notification
from oversight.domain.records import save_discipline_inspection, save_meeting
from oversight.domain.reminders import DUE_SOON, OVERDUE, study_status
from oversight.enums import MeetingKind
from oversight.tasks import remind_discipline_inspection, remind_study
from qianshan.celery import app

from .conftest import TODAY


def study(users, held_on, kind=MeetingKind.PARTY, studies=True):
    return save_meeting(
        actor=users["office"],
        kind=kind,
        title="研究生态环境保护工作",
        held_on=held_on,
        studies_environment=studies,
        attendees="党工委委员",
        decisions="部署整改",
        today=TODAY,
    )


def reminded(kind=NotificationKind.DUTY_REMINDER):
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=kind))


def test_beat_schedule_runs_both_reminders_daily():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"qianshan.oversight.remind_study", "qianshan.oversight.remind_discipline_inspection"} <= tasks


@pytest.mark.django_db
def test_study_not_due_within_two_months(users):
    study(users, date(2026, 6, 1))
    status = study_status(TODAY)
    assert status.due_on == date(2026, 8, 1) and status.stage is None
    assert remind_study(TODAY.isoformat()) == "党工委研究提醒：通知 0 人"
    assert reminded() == []


@pytest.mark.django_db
def test_study_due_soon_then_overdue_told_once_each(users):
    study(users, date(2026, 5, 12))  # due 2026-07-12, 4 days after TODAY
    assert study_status(TODAY).stage == DUE_SOON
    assert remind_study(TODAY.isoformat()) == "党工委研究提醒：通知 2 人"
    assert reminded() == ["leader_u", "office_u"]
    assert remind_study("2026-07-09") == "党工委研究提醒：通知 0 人"  # the same stage is told once
    assert study_status(date(2026, 7, 13)).stage == OVERDUE
    assert remind_study("2026-07-13") == "党工委研究提醒：通知 2 人"
    note = Notification.objects.filter(title__contains="已逾期").first()
    assert "上次研究：2026-05-12" in note.body and note.link == "/oversight/meetings/?study=1"


@pytest.mark.django_db
def test_committee_meeting_or_unflagged_meeting_does_not_count(users):
    study(users, date(2026, 7, 1), kind=MeetingKind.COMMITTEE)
    study(users, date(2026, 7, 2), studies=False)
    status = study_status(TODAY)
    assert status.last is None and status.stage == OVERDUE
    assert remind_study(TODAY.isoformat()) == "党工委研究提醒：通知 2 人"
    assert "尚无党工委研究" in Notification.objects.first().body
    study(users, date(2026, 7, 3), kind=MeetingKind.JOINT)  # a joint meeting counts
    assert study_status(TODAY).stage is None


@pytest.mark.django_db
def test_discipline_inspection_reminder_from_the_20th_once_a_month(users, unit_a, settings):
    settings.DISCIPLINE_INSPECTION_REMIND_DAY = 20
    assert remind_discipline_inspection("2026-07-19") == "纪工委现场督查提醒：通知 0 人"
    assert remind_discipline_inspection("2026-07-20") == "纪工委现场督查提醒：通知 2 人"
    assert reminded() == ["discipline_u", "office_u"]
    assert remind_discipline_inspection("2026-07-21") == "纪工委现场督查提醒：通知 0 人"
    # August has one: not due
    save_discipline_inspection(
        actor=users["discipline"],
        inspected_on=date(2026, 8, 3),
        units=[unit_a],
        inspectors="周",
        findings="x",
        today=date(2026, 8, 25),
    )
    assert remind_discipline_inspection("2026-08-25") == "纪工委现场督查提醒：通知 0 人"
    assert remind_discipline_inspection("2026-09-20") == "纪工委现场督查提醒：通知 2 人"


@pytest.mark.django_db
def test_remind_duties_command_runs_both(users):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("remind_duties", "--date", "2026-07-20", stdout=out)
    assert out.getvalue().splitlines() == ["党工委研究提醒：通知 2 人", "纪工委现场督查提醒：通知 2 人"]
