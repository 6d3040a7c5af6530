"""预警 sweep: blue / yellow / red warnings from deadlines and schedule status (docs/rules.md §7).

Thresholds (days) come from settings so the office can change them:
- blue   — the deadline is WARNING_BLUE_DAYS_BEFORE days away or less, the item is not done and
           (a task) not behind schedule;
- yellow — the deadline has come (today is the deadline day or later), or a task is behind
           schedule (rectification.domain.queries.behind_task_q, through the schedule status),
           however near or far its deadline — the same colour as the task's badge (warning_of);
- red    — the item is WARNING_RED_DAYS_OVERDUE days or more past its deadline.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from cases.domain.queries import finished_case_q, open_case_q
from cases.models import PetitionCase
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from oversight.domain.assignments import leaders_by_unit
from rectification.domain.queries import annotate_schedule_status, open_task_q
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import WarningLevel, WarningState
from ..models import EarlyWarning
from .queries import office_users, open_warning_q, unit_heads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    level: WarningLevel
    reason: str


def warning_for(deadline: date, today: date, *, behind: bool = False) -> Verdict | None:
    """The warning an unfinished item with ``deadline`` deserves on ``today`` (None: no warning)."""
    blue_days = settings.WARNING_BLUE_DAYS_BEFORE
    red_days = settings.WARNING_RED_DAYS_OVERDUE
    days_left = (deadline - today).days
    if days_left <= -red_days:
        return Verdict(WarningLevel.RED, f"已超过整改时限{-days_left}天仍未完成")
    if days_left < 0:
        return Verdict(WarningLevel.YELLOW, f"已超过整改时限{-days_left}天仍未完成")
    if days_left == 0:
        return Verdict(WarningLevel.YELLOW, "今日到达整改时限，尚未完成")
    # Behind schedule is yellow before it is near the deadline: a task both behind and due within
    # the blue window is yellow, as its badge is (docs/rules.md §7.1).
    if behind:
        return Verdict(WarningLevel.YELLOW, "时间节点未按期完成，滞后序时进度")
    if days_left <= blue_days:
        return Verdict(WarningLevel.BLUE, f"距整改时限还有{days_left}天，尚未完成")
    return None


def sweep_warnings(*, today: date, actor=None) -> list[EarlyWarning]:
    """Raise the warnings due on ``today`` and resolve those whose item is done or re-dated.

    Idempotent: one warning per item, level and deadline (a unique constraint), so a second
    sweep the same day creates nothing and notifies nobody. Each new warning notifies the unit
    heads of the item's lead unit and the office (after commit).
    """
    wanted = []  # (kind, item, unit_id, deadline, verdict)
    cases = PetitionCase.objects.filter(open_case_q(), deadline__isnull=False)
    for case in cases.only("pk", "receipt_no", "deadline", "lead_unit_id", "state"):
        verdict = warning_for(case.deadline, today)
        if verdict:
            wanted.append(("case", case, case.lead_unit_id, case.deadline, verdict))
    tasks = annotate_schedule_status(
        RectificationTask.objects.filter(open_task_q()).only(
            "pk", "number", "deadline", "lead_unit_id", "status"
        ),
        today,
    )
    for task in tasks:
        status = task.schedule_status
        if status == ScheduleStatus.COMPLETE:
            continue
        verdict = warning_for(task.deadline, today, behind=status == ScheduleStatus.BEHIND)
        if verdict:
            wanted.append(("task", task, task.lead_unit_id, task.deadline, verdict))

    existing = {
        (("task", w.task_id) if w.task_id else ("case", w.case_id), w.level, w.deadline)
        for w in EarlyWarning.objects.only("task_id", "case_id", "level", "deadline")
    }
    created = []
    for kind, item, unit_id, deadline, verdict in wanted:
        if ((kind, item.pk), verdict.level, deadline) in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    EarlyWarning.objects.create(
                        **{kind: item},
                        unit_id=unit_id,
                        level=verdict.level,
                        deadline=deadline,
                        raised_on=today,
                        reason=verdict.reason,
                    )
                )
        except IntegrityError:
            continue  # another sweep raised it first
    _resolve_stale(today)
    _notify_raised(created)
    log.info("sweep_warnings %s: %d raised", today, len(created))
    return created


def _resolve_stale(today: date) -> int:
    """Open warnings whose item is finished, or whose deadline was moved, are resolved."""
    open_warnings = EarlyWarning.objects.filter(open_warning_q())
    done_cases = open_warnings.filter(case__in=PetitionCase.objects.filter(finished_case_q()))
    done_tasks = open_warnings.filter(task__isnull=False).exclude(
        task__in=RectificationTask.objects.filter(open_task_q())
    )
    moved = open_warnings.exclude(case__isnull=True).exclude(
        case__deadline=F("deadline")
    ) | open_warnings.exclude(task__isnull=True).exclude(task__deadline=F("deadline"))
    done = set(done_cases.values_list("pk", flat=True)) | set(done_tasks.values_list("pk", flat=True))
    moved_ids = set(moved.values_list("pk", flat=True)) - done
    resolved = 0
    for pk in sorted(done | moved_ids):
        reason = "事项已完成，预警自动解除" if pk in done else "整改时限已调整，预警自动解除"
        with transaction.atomic():
            # A conditional update claims the row (a concurrent sweep resolves it once) ...
            claimed = EarlyWarning.objects.filter(open_warning_q(), pk=pk).update(
                state=WarningState.RESOLVED, resolved_on=today
            )
            if claimed:
                # ... and, as .update() bypasses simple-history, a save of the fresh row records it.
                record_history(EarlyWarning.objects.get(pk=pk), actor=None, reason=reason)
                resolved += 1
    return resolved


def record_history(warning: EarlyWarning, *, actor, reason: str) -> None:
    """One history row for a change made with a conditional .update() (who, why)."""
    warning._history_user = actor
    warning._change_reason = reason
    warning.save(update_fields=["state"])


def _notify_raised(warnings: list[EarlyWarning]) -> None:
    if not warnings:
        return
    heads = unit_heads({w.unit_id for w in warnings if w.unit_id})
    office = office_users()
    # 分管副主任包部门: the leader answering for the item's unit is told too (oversight app).
    leaders = leaders_by_unit({w.unit_id for w in warnings if w.unit_id}, warnings[0].raised_on)
    for w in warnings:
        item = w.task or w.case
        label = f"整改任务 {item.number}" if w.task_id else f"信访案件 {item.receipt_no}"
        link = (
            reverse("rectification:detail", args=[w.task_id])
            if w.task_id
            else reverse("cases:detail", args=[w.case_id])
        )
        body = f"{label}：{w.reason}（整改时限 {w.deadline.isoformat()}）。"
        title = f"{w.get_level_display()}：{label}"
        for recipients, reason in (
            (heads.get(w.unit_id, []), "您是该事项牵头责任单位的负责人"),
            (leaders.get(w.unit_id, []), "您是该事项牵头责任单位的分管领导"),
            (office, "您是协调组办公室成员，负责督办预警事项"),
        ):
            notify(
                recipients,
                kind=NotificationKind.WARNING,
                title=title,
                body=body,
                link=link,
                reason=reason,
                dedupe_key=f"warning:{w.pk}",
            )
