"""Domain rules of every oversight record: creation, Chinese refusals naming the field, history with the user."""

from datetime import date

import pytest

from cases.domain.errors import DomainError
from notifications.enums import NotificationKind
from notifications.models import Notification
from oversight.domain.clues import record_outcome
from oversight.domain.records import (
    add_follow_up,
    save_assignments,
    save_discipline_inspection,
    save_meeting,
    save_special_inspection,
    update_follow_up,
)
from oversight.enums import FollowUpState, MeetingKind
from oversight.models import LeaderAssignment
from supervision.domain.escalation import refer_clue
from tests.factories import CaseFactory, InspectionFactory, TaskFactory

from .conftest import TODAY, pdf_upload

MEETING = {
    "kind": MeetingKind.PARTY,
    "title": "党工委会议",
    "held_on": date(2026, 7, 1),
    "studies_environment": True,
    "attendees": "书记、主任",
    "decisions": "审议整改清单",
}


def last_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


@pytest.mark.django_db
def test_meeting_saved_with_approved_list_minutes_and_history(users, unit_a, media):
    inspection = InspectionFactory()
    meeting = save_meeting(
        actor=users["office"],
        **MEETING,
        approved_inspections=[inspection],
        units=[unit_a],
        minutes=pdf_upload(),
        today=TODAY,
    )
    assert list(meeting.approved_inspections.all()) == [inspection]
    assert meeting.minutes_name == "纪要.pdf" and len(meeting.minutes_sha256) == 64
    assert meeting.minutes.name.endswith(meeting.minutes_sha256 + ".pdf")
    assert last_history(meeting).history_user == users["office"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": " "}, "title", "请填写会议名称。"),
        ({"attendees": ""}, "attendees", "请填写出席人员。"),
        ({"decisions": ""}, "decisions", "请填写研究决定事项。"),
        ({"held_on": None}, "held_on", "请填写会议日期。"),
        ({"held_on": date(2026, 7, 9)}, "held_on", "会议日期不能晚于今天（2026-07-08）。"),
        ({"kind": ""}, "kind", "请选择会议类型。"),
    ],
)
def test_meeting_refusals_name_the_field(users, change, field, message):
    with pytest.raises(DomainError) as refused:
        save_meeting(actor=users["office"], **(MEETING | change), today=TODAY)
    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.mark.django_db
def test_meeting_minutes_checked_by_content_nothing_saved(users, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("纪要.pdf", b"<html>not a pdf</html>")
    with pytest.raises(DomainError) as refused:
        save_meeting(actor=users["office"], **MEETING, minutes=fake, today=TODAY)
    assert refused.value.field == "minutes" and "纪要.pdf" in refused.value.message
    from oversight.models import Meeting

    assert not Meeting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "discipline", "leader"])
def test_only_the_office_records_meetings(users, who):
    with pytest.raises(DomainError, match="只有协调组办公室"):
        save_meeting(actor=users[who], **MEETING, today=TODAY)


@pytest.mark.django_db
def test_assignments_one_row_per_unit_with_history(users, unit_a, unit_b):
    rows = save_assignments(
        actor=users["office"],
        leader=users["leader"],
        units=[unit_a, unit_b],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    assert {r.unit for r in rows} == {unit_a, unit_b}
    assert all(last_history(r).history_user == users["office"] for r in rows)


@pytest.mark.django_db
def test_assignment_refusals(users, unit_a, unit_b):
    office = users["office"]
    base = {"actor": office, "leader": users["leader"], "units": [unit_a], "starts_on": date(2026, 1, 1)}
    with pytest.raises(DomainError) as refused:
        save_assignments(**(base | {"leader": users["staff"]}), ends_on=None)
    assert refused.value.field == "leader" and "没有“领导”角色" in refused.value.message
    with pytest.raises(DomainError) as refused:
        save_assignments(**base, ends_on=date(2025, 12, 31))
    assert (refused.value.field, refused.value.message) == ("ends_on", "终止日期不能早于起始日期。")
    with pytest.raises(DomainError) as refused:
        save_assignments(**(base | {"units": []}), ends_on=None)
    assert (refused.value.field, refused.value.message) == ("units", "请选择分管单位。")
    save_assignments(**base, ends_on=None)
    # overlapping period of the same leader and unit; all or nothing (unit_b is not saved either)
    with pytest.raises(DomainError) as refused:
        save_assignments(**(base | {"units": [unit_b, unit_a], "starts_on": date(2026, 6, 1)}), ends_on=None)
    assert refused.value.field == "units" and "甲单位" in refused.value.message
    assert not LeaderAssignment.objects.filter(unit=unit_b).exists()


@pytest.mark.django_db
def test_discipline_inspection_and_follow_up(users, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    inspection = save_discipline_inspection(
        actor=users["discipline"],
        inspected_on=date(2026, 7, 3),
        units=[unit_a],
        inspectors="周纪检",
        findings="台账不全",
        today=TODAY,
    )
    assert last_history(inspection).history_user == users["discipline"]
    item = add_follow_up(actor=users["discipline"], parent=inspection, description="补齐台账", task=task)
    assert item.unit == unit_a and item.state == FollowUpState.OPEN  # the task's lead unit answers
    assert last_history(item).history_user == users["discipline"]
    with pytest.raises(DomainError) as refused:
        update_follow_up(
            actor=users["discipline"],
            item=item,
            state=FollowUpState.DONE,
            resolved_on=None,
            resolution="",
            today=TODAY,
        )
    assert (refused.value.field, refused.value.message) == ("resolved_on", "请填写整改完成日期。")
    with pytest.raises(DomainError) as refused:
        update_follow_up(
            actor=users["discipline"],
            item=item,
            state=FollowUpState.DONE,
            resolved_on=date(2026, 7, 1),
            resolution="已补齐",
            today=TODAY,
        )
    assert refused.value.field == "resolved_on" and "不能早于督查日期（2026-07-03）" in refused.value.message
    update_follow_up(
        actor=users["office"],
        item=item,
        state=FollowUpState.DONE,
        resolved_on=date(2026, 7, 6),
        resolution="已补齐",
        today=TODAY,
    )
    item.refresh_from_db()
    assert item.state == FollowUpState.DONE and last_history(item).history_user == users["office"]


@pytest.mark.django_db
def test_discipline_inspection_refusals(users, unit_a):
    base = {
        "actor": users["discipline"],
        "inspected_on": date(2026, 7, 3),
        "units": [unit_a],
        "inspectors": "周纪检",
        "findings": "台账不全",
        "today": TODAY,
    }
    for change, field, message in [
        ({"units": []}, "units", "请选择督查单位。"),
        ({"findings": ""}, "findings", "请填写发现的问题。"),
        ({"inspectors": ""}, "inspectors", "请填写督查人员。"),
        ({"inspected_on": None}, "inspected_on", "请填写督查日期。"),
    ]:
        with pytest.raises(DomainError) as refused:
            save_discipline_inspection(**(base | change))
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(DomainError, match="只有纪工委或协调组办公室"):
        save_discipline_inspection(**(base | {"actor": users["staff"]}))


@pytest.mark.django_db
def test_follow_up_refusals(users, unit_a):
    inspection = save_discipline_inspection(
        actor=users["discipline"],
        inspected_on=date(2026, 7, 3),
        units=[unit_a],
        inspectors="周",
        findings="x",
        today=TODAY,
    )
    actor = users["discipline"]
    with pytest.raises(DomainError) as refused:
        add_follow_up(actor=actor, parent=inspection, description="x", task=TaskFactory(), case=CaseFactory())
    assert refused.value.field == "task"
    with pytest.raises(DomainError) as refused:
        add_follow_up(actor=actor, parent=inspection, description="x")
    assert refused.value.field == "unit" and "请选择责任单位" in refused.value.message
    with pytest.raises(DomainError) as refused:
        add_follow_up(actor=actor, parent=inspection, description=" ", unit=unit_a)
    assert (refused.value.field, refused.value.message) == ("description", "请填写跟进事项。")


@pytest.mark.django_db
def test_special_inspection_needs_area_or_field(users, unit_a):
    base = {
        "actor": users["office"],
        "title": "石材加工专项督查",
        "area": "",
        "field": "",
        "scope": "石材企业",
        "starts_on": date(2026, 6, 1),
        "ends_on": date(2026, 6, 3),
        "members": "市督改办",
        "units": [unit_a],
        "today": TODAY,
    }
    with pytest.raises(DomainError) as refused:
        save_special_inspection(**base)
    assert refused.value.field == "area" and "督查区域或督查领域" in refused.value.message
    with pytest.raises(DomainError) as refused:
        save_special_inspection(**(base | {"area": "千山镇", "ends_on": date(2026, 5, 1)}))
    assert (refused.value.field, refused.value.message) == ("ends_on", "结束日期不能早于开始日期。")
    special = save_special_inspection(**(base | {"field": "扬尘"}))
    assert special.subject == "领域：扬尘"
    assert last_history(special).history_user == users["office"]
    item = add_follow_up(
        actor=users["office"], parent=special, description="复查", case=CaseFactory(lead_unit=unit_a)
    )
    assert item.special_inspection == special and item.unit == unit_a


@pytest.mark.django_db
def test_referring_a_clue_notifies_the_discipline_commission(users, unit_a):
    referral = refer_clue(
        actor=users["office"], case=CaseFactory(lead_unit=unit_a), referred_on=TODAY, facts="慢作为"
    )
    notes = Notification.objects.filter(kind=NotificationKind.CLUE_REFERRAL)
    assert [n.recipient for n in notes] == [users["discipline"]]
    assert notes[0].link == f"/oversight/clues/{referral.pk}/"


@pytest.mark.django_db
def test_clue_outcome_recorded_with_history_and_office_told(users, unit_a):
    referral = refer_clue(
        actor=users["office"], case=CaseFactory(lead_unit=unit_a), referred_on=TODAY, facts="慢作为"
    )
    base = {"actor": users["discipline"], "referral": referral, "today": TODAY}
    for change, field, message in [
        ({"handling_body": "", "outcome": "诫勉", "outcome_on": TODAY}, "handling_body", "请填写承办机关。"),
        ({"handling_body": "纪工委", "outcome": "", "outcome_on": TODAY}, "outcome", "请填写处理结果。"),
        (
            {"handling_body": "纪工委", "outcome": "诫勉", "outcome_on": None},
            "outcome_on",
            "请填写办结日期。",
        ),
        (
            {"handling_body": "纪工委", "outcome": "诫勉", "outcome_on": date(2026, 7, 1)},
            "outcome_on",
            "办结日期不能早于移送日期（2026-07-08）。",
        ),
    ]:
        with pytest.raises(DomainError) as refused:
            record_outcome(**base, **change)
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(DomainError):
        record_outcome(**(base | {"actor": users["staff"]}), handling_body="x", outcome="y", outcome_on=TODAY)
    record_outcome(**base, handling_body="千山风景区纪工委", outcome="诫勉谈话", outcome_on=TODAY)
    referral.refresh_from_db()
    assert (referral.handling_body, referral.outcome, referral.outcome_on) == (
        "千山风景区纪工委",
        "诫勉谈话",
        TODAY,
    )
    row = last_history(referral)
    assert row.history_user == users["discipline"] and row.history_change_reason == "记录线索处理结果"
    told = Notification.objects.filter(kind=NotificationKind.CLUE_REFERRAL, recipient=users["office"])
    assert told.count() == 1
