"""The oversight pages: create through the forms, Chinese errors naming the field, scoped lists and
detail pages (another unit's record → 404), navigation, the task list's approval line, query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.domain.records import (
    add_follow_up,
    save_discipline_inspection,
    save_meeting,
    save_special_inspection,
)
from oversight.enums import MeetingKind
from oversight.models import DisciplineInspection, FollowUpItem, LeaderAssignment, Meeting, SpecialInspection
from supervision.domain.escalation import refer_clue
from tests.factories import CaseFactory, InspectionFactory, TaskFactory, UnitFactory

from .conftest import pdf_upload


def today():
    return timezone.localdate()


def meeting(users, unit=None, **extra):
    return save_meeting(
        actor=users["office"],
        kind=MeetingKind.PARTY,
        title=extra.pop("title", "党工委会议"),
        held_on=today() - timedelta(days=3),
        studies_environment=True,
        attendees="委员",
        decisions="决定",
        units=[unit] if unit else [],
        **extra,
    )


def discipline_inspection(users, unit):
    return save_discipline_inspection(
        actor=users["discipline"],
        inspected_on=today(),
        units=[unit],
        inspectors="周纪检",
        findings="台账不全",
    )


def special(users, unit):
    return save_special_inspection(
        actor=users["office"],
        title="扬尘专项督查",
        area="千山镇",
        field="",
        scope="石材企业",
        starts_on=today() - timedelta(days=5),
        ends_on=None,
        members="市督改办",
        units=[unit],
    )


@pytest.mark.django_db
def test_office_records_a_meeting_with_minutes(users, login, unit_a, media):
    inspection = InspectionFactory(name="第二轮中央督察")
    client = login(users["office"])
    response = client.post(
        reverse("oversight:meeting_new"),
        {
            "kind": MeetingKind.JOINT,
            "title": "审议整改清单",
            "held_on": today().isoformat(),
            "studies_environment": "on",
            "attendees": "书记、主任",
            "decisions": "审议通过整改清单",
            "approved_inspections": [inspection.pk],
            "units": [unit_a.pk],
            "minutes": pdf_upload(),
        },
    )
    m = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("oversight:meeting_detail", args=[m.pk])
    assert m.history.first().history_user == users["office"]
    page = client.get(response.url)
    assert (
        "审议整改清单" in page.content.decode() and "计入党工委每两个月至少研究一次" in page.content.decode()
    )
    minutes = client.get(reverse("oversight:meeting_minutes", args=[m.pk]))
    assert minutes.status_code == 200 and minutes["Content-Type"] == "application/pdf"
    # the task list shows the meeting that approved it
    TaskFactory(inspection=inspection, lead_unit=unit_a)
    listing = client.get(reverse("rectification:list") + f"?inspection={inspection.pk}").content.decode()
    assert "第二轮中央督察反馈问题整改清单经" in listing and "党工委、管委会联席会议</a>审议通过" in listing


@pytest.mark.django_db
def test_meeting_form_errors_name_the_field(users, login, media):
    response = login(users["office"]).post(
        reverse("oversight:meeting_new"),
        {"kind": "", "title": "", "held_on": "2026-13-40", "attendees": "x", "decisions": "y"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "请选择会议类型。" in html
        and "请填写会议名称。" in html
        and "会议日期：请输入有效日期（年-月-日）。" in html
    )
    assert not Meeting.objects.exists()
    future = (today() + timedelta(days=1)).isoformat()
    response = login(users["office"]).post(
        reverse("oversight:meeting_new"),
        {
            "kind": "party",
            "title": "t",
            "held_on": future,
            "attendees": "x",
            "decisions": "y",
            "minutes": pdf_upload(),
        },
    )
    assert "会议日期不能晚于今天" in response.content.decode() and not Meeting.objects.exists()


@pytest.mark.django_db
def test_meeting_scoped_to_units(users, login, unit_a, unit_b):
    own, other = meeting(users, unit_a, title="甲会议"), meeting(users, unit_b, title="乙会议")
    client = login(users["staff"])
    listing = client.get(reverse("oversight:meetings")).content.decode()
    assert "甲会议" in listing and "乙会议" not in listing
    assert client.get(reverse("oversight:meeting_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("oversight:meeting_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("oversight:meeting_minutes", args=[other.pk])).status_code == 404
    assert client.get(reverse("oversight:meeting_new")).status_code == 404
    assert client.get(reverse("oversight:meeting_edit", args=[own.pk])).status_code == 404
    for who in ("leader", "discipline"):
        assert login(users[who]).get(reverse("oversight:meeting_detail", args=[other.pk])).status_code == 200


@pytest.mark.django_db
def test_assignment_through_the_form(users, login, unit_a):
    client = login(users["office"])
    response = client.post(
        reverse("oversight:assignment_new"),
        {
            "leader": users["leader"].pk,
            "units": [unit_a.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 400 and "终止日期不能早于起始日期。" in response.content.decode()
    response = client.post(
        reverse("oversight:assignment_new"),
        {"leader": "", "units": [], "starts_on": ""},
    )
    html = response.content.decode()
    assert "请选择分管领导。" in html and "请选择分管单位。" in html and "请填写起始日期。" in html
    response = client.post(
        reverse("oversight:assignment_new"),
        {"leader": users["leader"].pk, "units": [unit_a.pk], "starts_on": "2026-01-01", "duty": "分管副主任"},
    )
    assert response.status_code == 302
    row = LeaderAssignment.objects.get()
    assert row.history.first().history_user == users["office"]
    # the unit sees who answers for it; another unit sees nothing; an edit link by guessed id is 404
    assert login(users["staff"]).get(reverse("oversight:assignments")).context["page"].paginator.count == 1
    assert login(users["staff_b"]).get(reverse("oversight:assignments")).context["page"].paginator.count == 0
    assert login(users["staff_b"]).get(reverse("oversight:assignment_edit", args=[row.pk])).status_code == 404


@pytest.mark.django_db
def test_discipline_records_inspection_and_follow_up_through_pages(users, login, unit_a):
    client = login(users["discipline"])
    response = client.post(reverse("oversight:inspection_new", args=["discipline"]), {"inspectors": "周"})
    html = response.content.decode()
    assert "请填写督查日期。" in html and "请选择督查单位。" in html and "请填写发现的问题。" in html
    response = client.post(
        reverse("oversight:inspection_new", args=["discipline"]),
        {
            "inspected_on": today().isoformat(),
            "units": [unit_a.pk],
            "inspectors": "周纪检",
            "findings": "台账不全",
        },
    )
    inspection = DisciplineInspection.objects.get()
    assert response.url == reverse("oversight:inspection_detail", args=["discipline", inspection.pk])
    task = TaskFactory(lead_unit=unit_a, number="R2-07")
    detail = reverse("oversight:inspection_detail", args=["discipline", inspection.pk])
    response = client.post(detail, {"description": "补齐资料", "task": "不存在"})
    assert "关联整改任务编号：找不到编号为“不存在”的记录" in response.content.decode()
    response = client.post(detail, {"description": "补齐资料", "task": "R2-07"})
    assert response.status_code == 302
    item = FollowUpItem.objects.get()
    assert (
        item.task == task and item.unit == unit_a and item.history.first().history_user == users["discipline"]
    )
    response = client.post(
        reverse("oversight:follow_up", args=[item.pk]), {"state": "done", "resolution": "已补齐"}
    )
    assert "请填写整改完成日期。" in response.content.decode()
    response = client.post(
        reverse("oversight:follow_up", args=[item.pk]),
        {"state": "done", "resolved_on": today().isoformat(), "resolution": "已补齐"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "done"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["discipline", "special"])
def test_inspections_scoped_to_units(users, login, unit_a, unit_b, kind):
    make = discipline_inspection if kind == "discipline" else special
    own, other = make(users, unit_a), make(users, unit_b)
    # a unit named only on a follow-up item sees the inspection too
    via_item = make(users, unit_b)
    add_follow_up(actor=users["office"], parent=via_item, description="甲单位整改", unit=unit_a)
    client = login(users["staff"])
    assert client.get(reverse("oversight:inspection_detail", args=[kind, own.pk])).status_code == 200
    assert client.get(reverse("oversight:inspection_detail", args=[kind, other.pk])).status_code == 404
    assert client.get(reverse("oversight:inspection_detail", args=[kind, via_item.pk])).status_code == 200
    assert client.get(reverse("oversight:inspection_new", args=[kind])).status_code == 404
    listing = reverse("oversight:inspections" if kind == "discipline" else "oversight:special")
    assert client.get(listing).context["page"].paginator.count == 2
    assert login(users["leader"]).get(listing).context["page"].paginator.count == 3
    assert login(users["acceptor"]).get(listing).context["page"].paginator.count == 0


@pytest.mark.django_db
def test_special_inspection_form_needs_area_or_field(users, login, unit_a):
    response = login(users["office"]).post(
        reverse("oversight:inspection_new", args=["special"]),
        {"title": "专项", "scope": "范围", "starts_on": today().isoformat(), "members": "督改办"},
    )
    assert response.status_code == 400 and "请填写督查区域或督查领域" in response.content.decode()
    assert not SpecialInspection.objects.exists()
    response = login(users["office"]).post(
        reverse("oversight:inspection_new", args=["special"]),
        {
            "title": "专项",
            "field": "扬尘",
            "scope": "范围",
            "starts_on": today().isoformat(),
            "members": "督改办",
        },
    )
    assert (
        response.status_code == 302
        and SpecialInspection.objects.get().history.first().history_user == users["office"]
    )


@pytest.mark.django_db
def test_clue_outcome_page(users, login, unit_a, unit_b):
    referral = refer_clue(
        actor=users["office"], case=CaseFactory(lead_unit=unit_a), referred_on=today(), facts="慢作为"
    )
    url = reverse("oversight:clue_detail", args=[referral.pk])
    client = login(users["discipline"])
    response = client.post(url, {"handling_body": "纪工委", "outcome": "", "outcome_on": ""})
    assert "请填写处理结果。" in response.content.decode() and "请填写办结日期。" in response.content.decode()
    response = client.post(
        url, {"handling_body": "纪工委", "outcome": "诫勉谈话", "outcome_on": today().isoformat()}
    )
    assert response.status_code == 302
    assert "诫勉谈话" in login(users["staff"]).get(url).content.decode()
    assert login(users["staff_b"]).get(url).status_code == 404
    staff_page = login(users["staff"]).get(url)
    assert staff_page.context["form"] is None  # a unit reads the outcome, never records it
    # the item's escalation record shows the outcome beside the referral
    item_page = login(users["office"]).get(reverse("supervision:item", args=["case", referral.case_id]))
    assert "处理结果：诫勉谈话" in item_page.content.decode()


@pytest.mark.django_db
def test_navigation_entry_for_the_roles_that_see_it(users, login):
    for who, shown in [
        ("office", True),
        ("leader", True),
        ("discipline", True),
        ("staff", True),
        ("acceptor", False),
    ]:
        html = login(users[who]).get(reverse("home")).content.decode()
        assert ('href="/oversight/"' in html) is shown, who
    assert login(users["acceptor"]).get(reverse("oversight:index")).status_code == 404
    assert login(users["leader"]).get(reverse("oversight:index")).status_code == 200


@pytest.mark.django_db
def test_lists_query_count_does_not_grow(users, login, unit_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users["office"])
    pages = [
        reverse("oversight:meetings"),
        reverse("oversight:assignments"),
        reverse("oversight:inspections"),
        reverse("oversight:special"),
        reverse("oversight:clues"),
        reverse("oversight:index"),
    ]

    def counts():
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    def add_rows(n):
        inspection = InspectionFactory()
        for i in range(n):
            unit = UnitFactory(name=f"查询单位{i}")
            meeting(users, unit, approved_inspections=[inspection])
            LeaderAssignment.objects.create(
                leader=users["leader"], unit=unit, starts_on=date(2026, 1, 1), recorded_by=users["office"]
            )
            d = discipline_inspection(users, unit)
            add_follow_up(actor=users["office"], parent=d, description="x", unit=unit)
            s = special(users, unit)
            add_follow_up(actor=users["office"], parent=s, description="x", case=CaseFactory(lead_unit=unit))
            refer_clue(
                actor=users["office"], case=CaseFactory(lead_unit=unit), referred_on=today(), facts="x"
            )

    add_rows(1)
    one = counts()
    add_rows(12)
    many = counts()
    assert many == one


@pytest.mark.django_db
def test_leader_items_query_count_does_not_grow(users, login, unit_a, assign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assign(unit_a)
    client = login(users["leader"])

    def counts():
        out = []
        for key in ("overdue_tasks", "overdue_cases", "red_warnings", "open_letters"):
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse("oversight:leader_items") + f"?show={key}")
            out.append(len(ctx.captured_queries))
        return out

    from supervision.domain.escalation import issue_letter
    from supervision.domain.warnings import sweep_warnings

    def add(n):
        for _ in range(n):
            case = CaseFactory(lead_unit=unit_a, deadline=today() - timedelta(days=20))
            TaskFactory(lead_unit=unit_a, deadline=today() - timedelta(days=20))
            issue_letter(actor=users["office"], case=case, requirements="加快")
        sweep_warnings(today=today())

    add(1)
    one = counts()
    add(10)
    assert counts() == one
