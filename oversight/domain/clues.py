"""移送问题线索的办理结果 (正文五5): the receiving body records what became of a referred clue."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.domain.errors import DomainError
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from supervision.domain.queries import office_users
from supervision.models import ClueReferral

from .access import can_write_discipline_records


def record_outcome(
    *,
    actor,
    referral: ClueReferral,
    handling_body: str,
    outcome: str,
    outcome_on: date | None,
    today: date | None = None,
) -> ClueReferral:
    """记录线索处理结果: who handled it, what was decided, when; the office is told."""
    if not can_write_discipline_records(actor):
        raise DomainError("只有纪工委或协调组办公室可以记录问题线索的处理结果。")
    today = today or timezone.localdate()
    handling_body = (handling_body or "").strip()
    outcome = (outcome or "").strip()
    if not handling_body:
        raise DomainError("请填写承办机关。", field="handling_body")
    if not outcome:
        raise DomainError("请填写处理结果。", field="outcome")
    if outcome_on is None:
        raise DomainError("请填写办结日期。", field="outcome_on")
    if outcome_on < referral.referred_on:
        raise DomainError(
            f"办结日期不能早于移送日期（{referral.referred_on.isoformat()}）。", field="outcome_on"
        )
    if outcome_on > today:
        raise DomainError(f"办结日期不能晚于今天（{today.isoformat()}）。", field="outcome_on")
    first = not referral.outcome
    referral.handling_body, referral.outcome, referral.outcome_on = handling_body, outcome, outcome_on
    referral._history_user = actor
    referral._change_reason = "记录线索处理结果" if first else "修改线索处理结果"
    with transaction.atomic():
        referral.save()
        notify(
            office_users(),
            kind=NotificationKind.CLUE_REFERRAL,
            title=f"问题线索处理结果：{referral.item_label}",
            body=f"{handling_body}（{outcome_on.isoformat()}）：{outcome[:300]}",
            link=reverse("oversight:clue_detail", args=[referral.pk]),
            reason="您是协调组办公室成员，跟踪移送问题线索的办理",
            dedupe_key=f"clue-outcome:{referral.pk}:{outcome_on.isoformat()}",
        )
    return referral
