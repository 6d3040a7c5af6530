"""Escalation of slow items: 督办函 → 约谈 → 移送问题线索 (docs/rules.md §7), and the unit's reply.

Only the coordination office (and admin) escalates; the unit answerable for the item replies,
which closes the letter. Letters are numbered per year without gaps: the counter row of the
year is advanced by a conditional update inside the same transaction as the letter, so two
offices pressing the button at once get consecutive numbers, and a failed insert gives its
number back by rolling back.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.domain.errors import DomainError
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.permissions import access_of, can_change_units
from oversight.domain.assignments import leaders_by_unit
from rectification.domain.queries import tasks_with_status
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import LetterState, WarningState
from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, LetterCounter, SupervisionLetter
from .queries import discipline_users, office_users, unit_heads
from .warnings import record_history


def _require_office(actor) -> None:
    if not access_of(actor).writes_all:
        raise DomainError("只有协调组办公室可以下发督办函、记录约谈和移送问题线索。")


def _item_kwargs(*, task=None, case=None) -> dict:
    if (task is None) == (case is None):
        raise DomainError("请指定一个整改任务或一个信访案件。")
    item = task or case
    return {"task": task, "case": case, "unit_id": item.lead_unit_id}


def item_link(record) -> str:
    if record.task_id:
        return reverse("rectification:detail", args=[record.task_id])
    return reverse("cases:detail", args=[record.case_id])


def next_letter_serial(year: int) -> int:
    """Take the next number of ``year``; call inside the transaction that stores the letter."""
    LetterCounter.objects.get_or_create(year=year)
    for _ in range(50):
        current = LetterCounter.objects.values_list("last_serial", flat=True).get(year=year)
        if LetterCounter.objects.filter(year=year, last_serial=current).update(last_serial=current + 1):
            return current + 1
        # another letter took this number between our read and our update: read again
    raise DomainError("督办函编号繁忙，请稍后重试。")


def letter_facts(*, task=None, case=None, warning=None, today: date) -> str:
    """督办事项: the item's facts as the letter states them."""
    lines = []
    if task is not None:
        [with_status] = tasks_with_status(RectificationTask.objects.filter(pk=task.pk), today)
        status = ScheduleStatus(with_status.schedule_status)
        lines.append(f"整改任务：{task.number}")
        lines.append(f"反馈问题：{task.problem}")
        lines.append(f"整改时限：{task.deadline.isoformat()}；序时进度：{status.label}")
    else:
        lines.append(f"信访案件：受理编号 {case.receipt_no}")
        lines.append(f"交办问题：{case.complaint[:300]}")
        deadline = case.deadline.isoformat() if case.deadline else "未定"
        lines.append(f"整改时限：{deadline}；当前环节：{case.get_state_display()}")
    if warning is not None:
        lines.append(
            f"预警情况：{warning.get_level_display()}，{warning.reason}（{warning.raised_on.isoformat()}）"
        )
    return "\n".join(lines)


def issue_letter(
    *,
    actor,
    task=None,
    case=None,
    warning: EarlyWarning | None = None,
    requirements: str,
    reply_deadline: date | None = None,
    today: date | None = None,
) -> SupervisionLetter:
    """下发督办函: store a numbered letter on the item, mark its warning escalated, notify the unit."""
    _require_office(actor)
    today = today or timezone.localdate()
    if warning is not None:
        task, case = warning.task, warning.case
    item = _item_kwargs(task=task, case=case)
    reply_deadline = reply_deadline or today + timedelta(days=settings.LETTER_REPLY_DAYS)
    if reply_deadline < today:
        raise DomainError("回复时限不能早于发函日期。", field="reply_deadline")
    if not requirements.strip():
        raise DomainError("请填写督办要求。", field="requirements")
    with transaction.atomic():
        letter = SupervisionLetter.objects.create(
            **item,
            warning=warning,
            year=today.year,
            serial=next_letter_serial(today.year),
            issued_on=today,
            reply_deadline=reply_deadline,
            facts=letter_facts(task=task, case=case, warning=warning, today=today),
            requirements=requirements.strip(),
            issued_by=actor,
        )
        if warning is not None and EarlyWarning.objects.filter(pk=warning.pk, state=WarningState.OPEN).update(
            state=WarningState.ESCALATED
        ):
            record_history(
                EarlyWarning.objects.get(pk=warning.pk), actor=actor, reason=f"发出督办函 {letter.number}"
            )
        notify(
            unit_heads([letter.unit_id]).get(letter.unit_id, []),
            kind=NotificationKind.SUPERVISION_LETTER,
            title=f"督办函 {letter.number}",
            body=f"{letter.facts}\n请于 {reply_deadline.isoformat()} 前回复。",
            link=reverse("supervision:letter_detail", args=[letter.pk]),
            reason="您是被督办事项牵头责任单位的负责人",
            dedupe_key=f"letter:{letter.pk}",
        )
        notify(
            leaders_by_unit([letter.unit_id], today).get(letter.unit_id, []),
            kind=NotificationKind.SUPERVISION_LETTER,
            title=f"督办函 {letter.number}",
            body=f"{letter.facts}\n回复时限：{reply_deadline.isoformat()}。",
            link=reverse("supervision:letter_detail", args=[letter.pk]),
            reason="您是被督办事项牵头责任单位的分管领导",
            dedupe_key=f"letter:{letter.pk}",
        )
    return letter


def reply_letter(letter: SupervisionLetter, *, actor, reply: str) -> SupervisionLetter:
    """单位回复: the answerable unit replies; the letter is closed (once: a conditional update)."""
    item = letter.item
    if not can_change_units(actor, item.unit_ids):
        raise DomainError("只有被督办事项的责任单位可以回复督办函。")
    if not reply.strip():
        raise DomainError("请填写回复内容。", field="reply")
    with transaction.atomic():
        closed = SupervisionLetter.objects.filter(pk=letter.pk, state=LetterState.ISSUED).update(
            state=LetterState.REPLIED, reply=reply.strip(), replied_at=timezone.now(), replied_by=actor
        )
        if not closed:
            raise DomainError("该督办函已回复办结。")
        letter.refresh_from_db()
        # simple_history records .save(), not .update(): keep the reply in the history too.
        letter.save(update_fields=["state"])
        notify(
            office_users(),
            kind=NotificationKind.SUPERVISION_LETTER,
            title=f"督办函 {letter.number} 已回复",
            body=reply.strip()[:500],
            link=reverse("supervision:letter_detail", args=[letter.pk]),
            reason="您是协调组办公室成员，跟踪督办函办理",
            dedupe_key=f"letter-reply:{letter.pk}",
        )
    return letter


def record_talk(
    *,
    actor,
    task=None,
    case=None,
    letter: SupervisionLetter | None = None,
    held_on: date,
    is_public: bool,
    interviewees: str,
    interviewers: str,
    summary: str,
) -> AdmonitionTalk:
    """记录约谈 of the item's responsible people (公开约谈 for items at risk)."""
    _require_office(actor)
    if letter is not None:
        task, case = letter.task, letter.case
    item = _item_kwargs(task=task, case=case)
    if not interviewees.strip():
        raise DomainError("请填写被约谈人。", field="interviewees")
    with transaction.atomic():
        return AdmonitionTalk.objects.create(
            **item,
            letter=letter,
            held_on=held_on,
            is_public=is_public,
            interviewees=interviewees.strip(),
            interviewers=interviewers.strip(),
            summary=summary.strip(),
            recorded_by=actor,
        )


def refer_clue(
    *,
    actor,
    task=None,
    case=None,
    letter: SupervisionLetter | None = None,
    referred_on: date,
    facts: str,
    recipient: str = "千山风景区纪工委",
) -> ClueReferral:
    """移送问题线索 to the discipline commission."""
    _require_office(actor)
    if letter is not None:
        task, case = letter.task, letter.case
    item = _item_kwargs(task=task, case=case)
    if not facts.strip():
        raise DomainError("请填写问题线索。", field="facts")
    with transaction.atomic():
        referral = ClueReferral.objects.create(
            **item,
            letter=letter,
            referred_on=referred_on,
            recipient=recipient.strip() or "千山风景区纪工委",
            facts=facts.strip(),
            referred_by=actor,
        )
        # The discipline commission receives the clue (docs/rules.md §7.2): every 纪工委 user is told.
        notify(
            discipline_users(),
            kind=NotificationKind.CLUE_REFERRAL,
            title=f"移送问题线索：{referral.item_label}",
            body=f"{referral.facts[:500]}\n移送日期：{referred_on.isoformat()}；移送机关：{referral.recipient}。",
            link=reverse("oversight:clue_detail", args=[referral.pk]),
            reason="您是纪工委成员，接收协调组办公室移送的问题线索",
            dedupe_key=f"clue:{referral.pk}",
        )
    return referral
