"""考核日程提醒: alerts ahead of each dated step of the assessment (beat, daily 08:10).

For every step not yet done: ``ASSESSMENT_ALERT_DAYS`` (default 7) days before, on the day, and
once overdue, the office is told; the steps the units act on (自评开始、自评截止) are also sent to
the heads and staff of every unit assessed that year. Each alert is sent once per step, stage and
recipient (a dedupe key), so a second run of the day sends nothing new.
"""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from org.domain.units import users_of_units
from org.enums import Role

from ..enums import CalendarKind
from ..models import AssessmentDate, ScoringSheet, UnitAssessment

UNIT_STEPS = (CalendarKind.SELF_START, CalendarKind.SELF_END)


def alert_days() -> int:
    return int(getattr(settings, "ASSESSMENT_ALERT_DAYS", 7))


def stage_of(entry: AssessmentDate, today: date) -> str | None:
    """ "ahead" within the alert window, "due" on the day, "overdue" after it; None otherwise or when done."""
    if entry.done_on is not None:
        return None
    if today > entry.due_on:
        return "overdue"
    if today == entry.due_on:
        return "due"
    if today >= entry.due_on - timedelta(days=alert_days()):
        return "ahead"
    return None


def assessed_unit_ids(year: int) -> set[int]:
    """Units with a sheet or an assessment in ``year``."""
    ids = set(ScoringSheet.objects.filter(year=year).values_list("locality_id", flat=True).distinct())
    ids |= set(UnitAssessment.objects.filter(year=year).values_list("unit_id", flat=True))
    return ids


def send_calendar_alerts(today: date) -> int:
    """Send the day's calendar alerts; returns how many notifications were created."""
    from notifications.domain.services import notify
    from notifications.enums import NotificationKind
    from supervision.domain.queries import office_users

    sent = 0
    office = office_users()
    entries = AssessmentDate.objects.filter(done_on__isnull=True, due_on__gte=today - timedelta(days=31))
    for entry in entries.order_by("due_on", "pk"):
        stage = stage_of(entry, today)
        if stage is None:
            continue
        days = (entry.due_on - today).days
        when = {"ahead": f"还有 {days} 天", "due": "就是今天", "overdue": f"已过 {-days} 天"}[stage]
        title = f"{entry.year}年度考核：{entry.get_kind_display()}（{entry.due_on:%Y-%m-%d}）{when}"
        link = reverse("scoring:calendar") + f"?year={entry.year}"
        recipients = list(office)
        if entry.kind in UNIT_STEPS:
            by_unit = users_of_units(assessed_unit_ids(entry.year), (Role.UNIT_HEAD, Role.UNIT_STAFF))
            recipients += [u for users in by_unit.values() for u in users]
        sent += len(
            notify(
                recipients,
                kind=NotificationKind.DEADLINE_ALERT,
                title=title,
                body=entry.note,
                link=link,
                reason="考核日程提醒（附件1：每年第一季度完成上一年度考核）",
                dedupe_key=f"assessment-date:{entry.pk}:{entry.due_on:%Y%m%d}:{stage}",
            )
        )
    return sent


def send_talk_overdue_alerts(today: date) -> int:
    """预警: each unit-level 约谈 whose 限期整改 deadline has passed unmet is sent once to the unit's
    heads and the office (a dedupe key per talk and deadline)."""
    from notifications.domain.services import notify
    from notifications.enums import NotificationKind
    from supervision.domain.queries import office_users
    from supervision.models import AdmonitionTalk

    talks = list(
        AdmonitionTalk.objects.filter(
            task__isnull=True, case__isnull=True, rectify_deadline__lt=today, rectified_on__isnull=True
        ).select_related("unit")
    )
    if not talks:
        return 0
    office = office_users()
    heads = users_of_units({t.unit_id for t in talks}, (Role.UNIT_HEAD,))
    sent = 0
    for talk in talks:
        sent += len(
            notify(
                [*office, *heads.get(talk.unit_id, [])],
                kind=NotificationKind.WARNING,
                title=f"{talk.unit}约谈限期整改已逾期（期限 {talk.rectify_deadline:%Y-%m-%d}）",
                body=talk.rectify_requirements[:500],
                link=reverse("scoring:talks") + "?state=overdue",
                reason="考核不合格约谈提出的限期整改要求到期未完成",
                dedupe_key=f"unit-talk-overdue:{talk.pk}:{talk.rectify_deadline:%Y%m%d}",
            )
        )
    return sent
