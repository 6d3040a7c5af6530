"""The two duty reminders of the beat schedule (qianshan/celery.py), each idempotent for its period.

- 党工委研究 (正文五1, "每两个月至少研究一次"): the study is due ``STUDY_INTERVAL_MONTHS`` months after
  the last 党工委 (or joint) meeting that studied the work. From ``STUDY_REMIND_DAYS_BEFORE`` days
  ahead the office and the leaders are told it is due; after the due date, that it is overdue. Each
  stage is told once per last study (a dedupe key), so the daily run repeats nothing.
- 纪工委现场督查 (正文五6, "每月"): from day ``DISCIPLINE_INSPECTION_REMIND_DAY`` of a month without an
  on-site inspection recorded, the 纪工委 and the office are told, once that month.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.enums import Role
from org.models import User

from ..enums import PARTY_KINDS
from ..models import DisciplineInspection, Meeting

DUE_SOON, OVERDUE = "due_soon", "overdue"


@dataclass(frozen=True)
class StudyStatus:
    last: Meeting | None
    due_on: date | None  # None: no study recorded yet, due now
    stage: str | None  # None (not yet), DUE_SOON or OVERDUE

    @property
    def label(self) -> str:
        if self.stage == OVERDUE:
            if self.last is None:
                return "尚无党工委研究生态环境保护工作的记录"
            return (
                f"已超过{settings.STUDY_INTERVAL_MONTHS}个月未研究（应于 {self.due_on.isoformat()} 前研究）"
            )
        if self.stage == DUE_SOON:
            return f"应于 {self.due_on.isoformat()} 前研究"
        return f"下次应于 {self.due_on.isoformat()} 前研究"


def studies():
    return Meeting.objects.filter(kind__in=PARTY_KINDS, studies_environment=True)


def study_status(today: date) -> StudyStatus:
    """When 党工委 must next study the work, and whether that is near or past (1 query)."""
    last = studies().filter(held_on__lte=today).order_by("-held_on", "-id").first()
    if last is None:
        return StudyStatus(None, None, OVERDUE)
    due_on = last.held_on + relativedelta(months=settings.STUDY_INTERVAL_MONTHS)
    if today > due_on:
        stage = OVERDUE
    elif (due_on - today).days <= settings.STUDY_REMIND_DAYS_BEFORE:
        stage = DUE_SOON
    else:
        stage = None
    return StudyStatus(last, due_on, stage)


def _users(*roles) -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct())


def send_study_reminder(today: date) -> int:
    """Tell the office and the leaders when the two-monthly study is due or overdue; returns how many
    notifications were created now (0 when not due, or already told)."""
    status = study_status(today)
    if status.stage is None:
        return 0
    title = (
        "党工委研究生态环境保护工作已逾期"
        if status.stage == OVERDUE
        else "党工委研究生态环境保护工作即将到期"
    )
    last = (
        f"上次研究：{status.last.held_on.isoformat()}《{status.last.title}》。"
        if status.last
        else "系统中尚无党工委研究生态环境保护工作的会议记录。"
    )
    created = notify(
        _users(Role.OFFICE, Role.LEADERSHIP),
        kind=NotificationKind.DUTY_REMINDER,
        title=title,
        body=f"方案要求党工委每{settings.STUDY_INTERVAL_MONTHS}个月至少研究一次环境保护工作。{last}{status.label}。",
        link=reverse("oversight:meetings") + "?study=1",
        reason="您是协调组办公室成员或领导，负责安排党工委研究环境保护工作",
        dedupe_key=f"study:{status.last.pk if status.last else 0}:{status.stage}",
    )
    return len(created)


def inspection_due(today: date) -> bool:
    """No 纪工委 on-site inspection this month, and the reminder day has come (1 query)."""
    if today.day < settings.DISCIPLINE_INSPECTION_REMIND_DAY:
        return False
    return not DisciplineInspection.objects.filter(
        inspected_on__year=today.year, inspected_on__month=today.month
    ).exists()


def send_inspection_reminder(today: date) -> int:
    """Tell the 纪工委 and the office that this month has no on-site inspection yet (once a month)."""
    if not inspection_due(today):
        return 0
    created = notify(
        _users(Role.DISCIPLINE, Role.OFFICE),
        kind=NotificationKind.DUTY_REMINDER,
        title=f"{today.year}年{today.month}月尚无纪工委现场督查记录",
        body="方案要求纪工委每月对督察反馈问题整改和信访案件办理情况进行现场督查。本月尚未登记现场督查。",
        link=reverse("oversight:inspections"),
        reason="您是纪工委或协调组办公室成员，负责每月现场督查",
        dedupe_key=f"discipline-inspection:{today:%Y-%m}",
    )
    return len(created)
