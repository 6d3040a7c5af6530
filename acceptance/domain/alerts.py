"""Deadline alerts (预警): a daily scan of open steps, never a countdown task per step.

One alert per step, kind and day: the notification's dedupe key carries all three, so running
the scan twice the same day creates nothing new (notifications' unique (recipient, key)).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from notifications.domain.services import notify
from notifications.enums import NotificationKind
from notifications.models import Notification
from org.domain.units import users_of_units
from org.enums import Role
from org.models import User

from ..enums import AlertKind, StepKind, StepOutcome
from ..models import SignatureSlot, Step
from .deadlines import Deadlines
from .signing import case_facts, verify_signatures

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    steps_alerted: int = 0
    notifications: int = 0


HANDLER_ROLES = (Role.UNIT_STAFF, Role.UNIT_HEAD)


def _recipients(step: Step, office: list, handlers: dict[int, list]) -> list:
    """The people assigned on the step's form (who has not signed validly yet is still named), or,
    for the review application, the case's handling units; plus the coordination office."""
    people = list(office)
    if step.kind == StepKind.REVIEW_APPLICATION:
        for unit_id in step.case.unit_ids:
            people += handlers.get(unit_id, [])
    else:
        people += [s.user for s in step.form.slots.all()]
    return people


def _open_steps() -> list[Step]:
    """Open steps with their case, cooperating units, form, slots, users and signatures (5 queries)."""
    slots = SignatureSlot.objects.select_related("user").prefetch_related("signatures")
    return list(
        Step.objects.filter(outcome=StepOutcome.PENDING)
        .select_related("case", "form")
        .prefetch_related("case__cooperating_units", Prefetch("form__slots", queryset=slots))
        .order_by("pk")
    )


def send_deadline_alerts(*, today: date | None = None) -> ScanResult:
    """Notify about every open step due within 1 day or overdue on ``today``; idempotent per day.

    The reads do not grow with the number of steps (7 queries, 8 when some step is due, plus
    the holiday table when deadlines count working days); each new notification is one insert,
    and each signature voided on the way its update and history row.
    """
    today = today or timezone.localdate()
    deadlines = Deadlines(today=today)
    office = list(User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).distinct())
    steps = _open_steps()
    facts = case_facts({step.case_id for step in steps})
    handler_units = {
        unit_id
        for step in steps
        if step.kind == StepKind.REVIEW_APPLICATION
        for unit_id in step.case.unit_ids
    }
    handlers = users_of_units(handler_units, HANDLER_ROLES) if handler_units else {}
    due = []
    for step in steps:
        form = getattr(step, "form", None)
        if form is not None:
            # A scan also voids signatures the case no longer matches.
            verify_signatures(form, slots=list(form.slots.all()), facts=facts[step.case_id])
        deadline = deadlines.of(step)
        if deadline.overdue:
            kind, title = AlertKind.OVERDUE, f"已逾期{-deadline.days_left}{deadline.unit}"
        elif deadline.due_soon:
            if deadline.days_left == 0:
                title = "今日到期"
            elif deadline.due == today + timedelta(days=1):
                title = "明日到期"
            else:  # working days: the next working day, after a weekend or a holiday
                title = f"下一个工作日（{deadline.due:%m-%d}）到期"
            kind = AlertKind.DUE_SOON
        else:
            continue
        due.append((step, deadline, title, f"acceptance:{step.pk}:{kind}:{today.isoformat()}"))
    # Who already has today's alert (a second run the same day): one query, no insert attempted.
    sent = (
        set(
            Notification.objects.filter(dedupe_key__in=[key for *_, key in due]).values_list(
                "recipient_id", "dedupe_key"
            )
        )
        if due
        else set()
    )
    result = ScanResult()
    for step, deadline, title, key in due:
        recipients = [u for u in _recipients(step, office, handlers) if (u.pk, key) not in sent]
        if not recipients:
            continue
        created = notify(
            recipients,
            kind=NotificationKind.DEADLINE_ALERT,
            title=f"{step.case.receipt_no} {step.get_kind_display()}{title}",
            body=f"{step.get_kind_display()}（第{step.round}轮）应于{deadline.due:%Y-%m-%d}前完成。",
            link=f"/acceptance/cases/{step.case_id}/",
            reason="您是该环节的签字人或协调组办公室成员",
            dedupe_key=key,
        )
        if created:
            result.steps_alerted += 1
            result.notifications += len(created)
    log.info("deadline alerts for %s: %s", today, result)
    return result
