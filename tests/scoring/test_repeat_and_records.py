"""Repeat complaints (the deduction goes to the case complained about again, never to the new
record), unit-level 约谈 on the unit's to-do (count == list rows), 问责 referrals with their outcome,
the assessment calendar's alerts, and access (another unit's records are 404)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.domain.evidence import link_repeat_cases
from cases.enums import CaseState
from cases.models import CaseTransition
from notifications.models import Notification
from scoring.domain import records
from scoring.domain.calendar import send_calendar_alerts
from scoring.domain.prefill import prefill_sheet
from scoring.domain.todo import todo_items
from scoring.enums import CalendarKind, ReferralBody, ReferralOutcome
from tests.factories import CaseFactory

from .helpers import case_in, make_sheet

pytestmark = pytest.mark.usefixtures("rewritable_logs")


def completed(case, on):
    t = CaseTransition.objects.create(
        case=case, from_state=CaseState.RECTIFYING, to_state=CaseState.COMPLETED
    )
    CaseTransition.objects.filter(pk=t.pk).update(
        at=timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 9))
    )
    type(case).objects.filter(pk=case.pk).update(state=CaseState.COMPLETED)


# ---------------------------------------------------------------- repeat complaints


@pytest.mark.django_db
def test_repeat_deduction_goes_to_the_original_not_the_duplicate(users, unit_a):
    original = CaseFactory(lead_unit=unit_a, transferred_on=date(2025, 1, 10), deadline=date(2025, 3, 31))
    completed(original, date(2025, 3, 20))
    duplicate = CaseFactory(
        lead_unit=unit_a, transferred_on=date(2025, 5, 2), deadline=date(2025, 8, 31), is_repeat=True
    )
    # the office links the new record to the earlier one (either way round)
    link_repeat_cases(original, [duplicate], actor=users["office"])
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.repeat_of_id, original.repeat_of_id) == (original.pk, None)

    data, source = prefill_sheet(original, unit_a, today=date(2026, 1, 5))
    assert data["deductions"]["repeat_complaint"] is True
    assert duplicate.receipt_no in source["deductions.repeat_complaint"]
    data, source = prefill_sheet(duplicate, unit_a, today=date(2026, 1, 5))
    assert data["deductions"]["repeat_complaint"] is False  # its own is_repeat flag deducts nothing
    assert source["deductions.repeat_complaint"].endswith(
        f"本案是对 {original.receipt_no} 的重复投诉，扣分计入原案件"
    )


@pytest.mark.django_db
def test_repeat_before_completion_or_deadline_is_not_a_repeat_complaint(users, unit_a):
    original = CaseFactory(lead_unit=unit_a, transferred_on=date(2025, 1, 10), deadline=date(2025, 6, 30))
    early = CaseFactory(lead_unit=unit_a, transferred_on=date(2025, 2, 1), repeat_of=original)
    data, source = prefill_sheet(original, unit_a, today=date(2025, 5, 1))
    assert data["deductions"]["repeat_complaint"] is False
    assert "不计重复访" in source["deductions.repeat_complaint"]
    # 应办结未办结: a repeat after the deadline passed unfinished counts
    CaseFactory(lead_unit=unit_a, transferred_on=date(2025, 7, 1), repeat_of=original)
    data, _ = prefill_sheet(original, unit_a, today=date(2025, 7, 2))
    assert data["deductions"]["repeat_complaint"] is True
    assert early.repeat_of_id == original.pk


# ---------------------------------------------------------------- unit-level 约谈 and the to-do


def talk(unit, actor, *, deadline, held_on=date(2025, 12, 1)):
    return records.record_unit_talk(
        unit=unit,
        year=2025,
        held_on=held_on,
        interviewees="局长、党组书记",
        interviewers="协调组办公室主任",
        summary="",
        requirements="30日内完成整改",
        deadline=deadline,
        actor=actor,
    )


@pytest.mark.django_db
def test_unit_talk_deadline_is_on_the_units_to_do_and_counts_equal_the_list(login, users, unit_a, unit_b):
    today = timezone.localdate()
    talk(unit_a, users["office"], deadline=today + timedelta(days=5), held_on=today)
    talk(unit_a, users["office"], deadline=today - timedelta(days=1), held_on=today - timedelta(days=30))
    talk(unit_b, users["office"], deadline=today - timedelta(days=2), held_on=today - timedelta(days=30))
    items = {i["key"]: i for i in todo_items(users["staff"], today)}
    assert {k: i["count"] for k, i in items.items()} == {
        "scoring.unit_talks_open": 2,
        "scoring.unit_talks_overdue": 1,
    }
    client = login(users["staff"])
    for item in items.values():
        rows = client.get(item["url"]).context["talks"]
        assert len(rows) == item["count"] and {t.unit_id for t in rows} == {unit_a.pk}
    office = {i["key"]: i["count"] for i in todo_items(users["office"], today)}
    assert office["scoring.unit_talks_overdue"] == 2
    # the unit records the rectification: off the to-do, kept with history
    [late] = client.get(items["scoring.unit_talks_overdue"]["url"]).context["talks"]
    response = client.post(
        f"/scoring/talks/{late.pk}/rectified/", {"done_on": today, "note": "已整改并报送报告"}
    )
    assert response.status_code == 302
    assert "scoring.unit_talks_overdue" not in {i["key"] for i in todo_items(users["staff"], today)}
    late.refresh_from_db()
    assert late.history.first().history_change_reason == "填报限期整改完成情况"


@pytest.mark.django_db
def test_unit_talk_is_refused_without_requirements_or_with_a_deadline_before_the_talk(users, unit_a):
    with pytest.raises(DomainError, match="整改期限不能早于约谈日期") as error:
        talk(unit_a, users["office"], deadline=date(2025, 11, 1))
    assert error.value.field == "rectify_deadline"
    with pytest.raises(DomainError, match="您无权"):
        talk(unit_a, users["staff"], deadline=date(2025, 12, 31))


# ---------------------------------------------------------------- 问责 referrals


@pytest.mark.django_db
def test_referral_and_its_outcome_with_history(login, users, unit_a):
    referral = records.record_referral(
        unit=unit_a,
        year=2025,
        referred_on=date(2026, 3, 20),
        body=ReferralBody.DISCIPLINE,
        persons="分管副局长",
        facts="交办问题整改不力",
        circumstances=[7, 2],
        actor=users["office"],
    )
    assert referral.circumstances == [2, 7]
    pending = {i["key"]: i for i in todo_items(users["discipline"], date(2026, 3, 21))}[
        "scoring.referrals_pending"
    ]
    client = login(users["discipline"])
    assert len(client.get(pending["url"]).context["referrals"]) == pending["count"] == 1
    response = client.post(
        f"/scoring/referrals/{referral.pk}/",
        {"outcome": ReferralOutcome.HELD, "outcome_on": "2026-04-25", "detail": "诫勉谈话"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == (ReferralOutcome.HELD, date(2026, 4, 25))
    assert [h.history_change_reason for h in referral.history.order_by("history_date")] == [
        "移送纪检监察机关",
        "办理结果：已问责",
    ]
    with pytest.raises(DomainError, match="1—9"):
        records.record_referral(
            unit=unit_a,
            year=2025,
            referred_on=date(2026, 3, 20),
            body=ReferralBody.ORGANIZATION,
            persons="x",
            facts="y",
            circumstances=[10],
            actor=users["office"],
        )


@pytest.mark.django_db
def test_outcome_form_names_the_bad_field(login, users, unit_a):
    referral = records.record_referral(
        unit=unit_a,
        year=2025,
        referred_on=date(2026, 3, 20),
        body=ReferralBody.DISCIPLINE,
        persons="x",
        facts="y",
        circumstances=[],
        actor=users["office"],
    )
    response = login(users["office"]).post(
        f"/scoring/referrals/{referral.pk}/",
        {"outcome": "held", "outcome_on": "2026-13-01", "detail": ""},
        follow=True,
    )
    text = response.content.decode()
    assert "结果日期" in text and "结果说明" in text
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING


# ---------------------------------------------------------------- access


@pytest.mark.django_db
def test_another_units_records_are_404(login, users, unit_a, unit_b):
    referral = records.record_referral(
        unit=unit_b,
        year=2025,
        referred_on=date(2026, 3, 20),
        body=ReferralBody.DISCIPLINE,
        persons="x",
        facts="y",
        circumstances=[],
        actor=users["office"],
    )
    other_talk = talk(unit_b, users["office"], deadline=date(2026, 1, 31))
    found = records.record_event(
        unit=unit_b,
        year=2025,
        kind="criticised",
        occurred_on=date(2025, 9, 1),
        description="通报",
        evidence_url="https://example.invalid/x",
        actor=users["office"],
    )
    client = login(users["staff"])
    assert client.get(f"/scoring/referrals/{referral.pk}/").status_code == 404
    assert (
        client.post(
            f"/scoring/talks/{other_talk.pk}/rectified/", {"done_on": "2025-12-20", "note": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/scoring/events/{found.pk}/revoke/", {"reason": "x"}).status_code == 404
    assert client.get(f"/scoring/units/{unit_b.pk}/2025/").status_code == 404
    assert client.get("/scoring/referrals/").context["page"].paginator.count == 0
    assert client.get("/scoring/talks/").context["page"].paginator.count == 0
    other_talk.refresh_from_db()
    assert other_talk.rectified_on is None


# ---------------------------------------------------------------- the calendar


@pytest.mark.django_db
def test_calendar_defaults_in_the_first_quarter_and_alerts_once_per_stage(users, unit_a):
    entries = {e.kind: e for e in records.ensure_calendar(2025)}
    assert entries[CalendarKind.PUBLICATION].due_on == date(2026, 3, 31)
    assert all(date(2026, 1, 1) <= e.due_on <= date(2026, 3, 31) for e in entries.values())
    make_sheet(case_in(unit_a, 2025), unit_a)  # unit A is assessed in 2025
    sent = send_calendar_alerts(date(2026, 1, 25))  # 6 days before 自评截止 (31 Jan); 自评开始 overdue
    titles = set(Notification.objects.values_list("recipient__username", "title"))
    assert ("office_u", "2025年度考核：自评截止（报领导小组办公室）（2026-01-31）还有 6 天") in titles
    assert ("staff_u", "2025年度考核：自评截止（报领导小组办公室）（2026-01-31）还有 6 天") in titles
    assert not any(u == "staff_b_u" for u, _ in titles)  # unit B is not assessed this year
    assert sent > 0 and send_calendar_alerts(date(2026, 1, 25)) == 0  # a second run sends nothing
    records.set_calendar_date(
        entries[CalendarKind.SELF_END],
        due_on=date(2026, 1, 31),
        done_on=date(2026, 1, 20),
        note="",
        actor=users["office"],
    )
    before = Notification.objects.count()
    send_calendar_alerts(date(2026, 1, 31))
    assert (
        not Notification.objects.filter(pk__gt=0, title__contains="自评截止")
        .exclude(title__contains="还有 6 天")
        .exists()
    )
    assert Notification.objects.count() >= before


@pytest.mark.django_db
def test_overdue_unit_talk_warns_the_units_heads_and_the_office_once(users, unit_a):
    from scoring.domain.calendar import send_talk_overdue_alerts

    talk(unit_a, users["office"], deadline=date(2025, 12, 31))
    assert send_talk_overdue_alerts(date(2025, 12, 31)) == 0  # due today: not yet overdue
    assert send_talk_overdue_alerts(date(2026, 1, 1)) == 2  # head_u and office_u
    assert send_talk_overdue_alerts(date(2026, 1, 2)) == 0
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"head_u", "office_u"}
