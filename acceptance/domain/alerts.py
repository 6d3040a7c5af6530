"""Deadline alerts (预警): a daily scan of open steps, never a countdown task per step.

One alert per step, kind and day: the notification's dedupe key carries all three, so running
the scan twice the same day creates nothing new (notifications' unique (recipient, key)).
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.enums import Role
from org.models import User

from ..enums import AlertKind, StepKind, StepOutcome
from ..models import SignatureSlot, Step
from .deadlines import Deadlines
from .signing import verify_signatures

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    steps_alerted: int = 0
    notifications: int = 0


def _recipients(step: Step, office: list) -> list:
    """The people assigned on the step's form (who has not signed validly yet is still named), or,
    for the review application, the case's handling units; plus the coordination office."""
    people = list(office)
    if step.kind == StepKind.REVIEW_APPLICATION:
        unit_ids = [u for u in step.case.unit_ids if u]
        people += list(
            User.objects.filter(
                role_assignments__unit_id__in=unit_ids,
                role_assignments__role__in=[Role.UNIT_STAFF, Role.UNIT_HEAD],
            ).distinct()
        )
    else:
        people += [s.user for s in SignatureSlot.objects.filter(form__step=step).select_related("user")]
    return people


def send_deadline_alerts(*, today: date | None = None) -> ScanResult:
    """Notify about every open step due within 1 day or overdue on ``today``; idempotent per day."""
    today = today or timezone.localdate()
    deadlines = Deadlines(today=today)
    office = list(User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).distinct())
    result = ScanResult()
    open_steps = Step.objects.filter(outcome=StepOutcome.PENDING).select_related("case", "form")
    for step in open_steps:
        form = getattr(step, "form", None)
        if form is not None:
            verify_signatures(form)  # a scan also voids signatures the case no longer matches
        deadline = deadlines.of(step)
        if deadline.overdue:
            kind, title = AlertKind.OVERDUE, f"已逾期{-deadline.days_left}天"
        elif deadline.due_soon:
            kind, title = AlertKind.DUE_SOON, "今日到期" if deadline.days_left == 0 else "明日到期"
        else:
            continue
        created = notify(
            _recipients(step, office),
            kind=NotificationKind.DEADLINE_ALERT,
            title=f"{step.case.receipt_no} {step.get_kind_display()}{title}",
            body=f"{step.get_kind_display()}（第{step.round}轮）应于{deadline.due:%Y-%m-%d}前完成。",
            link=f"/acceptance/cases/{step.case_id}/",
            reason="您是该环节的签字人或协调组办公室成员",
            dedupe_key=f"acceptance:{step.pk}:{kind}:{today.isoformat()}",
        )
        if created:
            result.steps_alerted += 1
            result.notifications += len(created)
    log.info("deadline alerts for %s: %s", today, result)
    return result
