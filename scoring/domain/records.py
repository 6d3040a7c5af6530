"""Writes of the assessment's records: forcing events (一票否决事件), the assessment calendar
(考核日程), unit-level 约谈 with 限期整改, and 问责 referrals with their outcome (附件1 六).

Each function is one transaction, refuses with a Chinese ``DomainError`` naming the field, and
leaves a history row (who, when, why) through django-simple-history.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.domain.errors import DomainError
from org.enums import Role
from org.permissions import access_of
from qianshan.common.uploads import IMAGE, PDF, check_file

from ..enums import CalendarKind, OverrideKind, ReferralBody, ReferralOutcome
from ..models import AccountabilityReferral, AssessmentDate, AssessmentEvent
from ..params import YEAR_MAX, YEAR_MIN
from ..permissions import can_self_assess


def can_record_consequences(user) -> bool:
    """Record forcing events, unit 约谈, 问责 referrals and the calendar: the office, the leadership, admins."""
    access = access_of(user)
    return access.writes_all or access.has(Role.LEADERSHIP)


def can_record_outcome(user) -> bool:
    """Record a referral's outcome: also the discipline commission (纪工委)."""
    return can_record_consequences(user) or access_of(user).has(Role.DISCIPLINE)


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise DomainError(f"您无权{what}。")


def _year(year) -> int:
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(f"考核年度须在 {YEAR_MIN}–{YEAR_MAX} 之间。", field="year")
    return year


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field)
    return value


def _not_future(day: date | None, field: str, label: str, today: date | None = None) -> date:
    if day is None:
        raise DomainError(f"请填写{label}。", field=field)
    if day > (today or timezone.localdate()):
        raise DomainError(f"{label}不能晚于今天。", field=field)
    return day


# ------------------------------------------------------------------ forcing events


def record_event(
    *,
    unit,
    year: int,
    kind: str,
    occurred_on: date,
    description: str,
    actor,
    evidence=None,
    evidence_url: str = "",
) -> AssessmentEvent:
    """记录一票否决事件 with its evidence (a PDF or image, or a link, at least one)."""
    _require(can_record_consequences(actor), "记录一票否决事件")
    year = _year(year)
    if kind not in OverrideKind.values:
        raise DomainError("请选择情形：重大问题、通报批评或媒体曝光。", field="kind")
    occurred_on = _not_future(occurred_on, "occurred_on", "发生日期")
    description = _text(description, "description", "情况说明")
    evidence_url = (evidence_url or "").strip()
    if evidence_url and not evidence_url.startswith(("http://", "https://")):
        raise DomainError("证明链接须以 http:// 或 https:// 开头。", field="evidence_url")
    checked = None
    if evidence is not None:
        checked = check_file(evidence.name, evidence.read(), allowed={PDF, IMAGE}, field="evidence")
    if checked is None and not evidence_url:
        raise DomainError("请上传证明材料（PDF 或图片）或填写证明链接。", field="evidence")
    with transaction.atomic():
        event = AssessmentEvent(
            unit=unit,
            year=year,
            kind=kind,
            occurred_on=occurred_on,
            description=description,
            evidence_url=evidence_url,
            recorded_by=actor,
        )
        if checked is not None:
            event.evidence.save(checked.stored_name, checked.content(), save=False)
        event._history_user = actor
        event._change_reason = "记录一票否决事件"
        event.save()
    return event


def revoke_event(event: AssessmentEvent, *, reason: str, actor) -> AssessmentEvent:
    """撤销 a wrongly recorded event (kept, with the reason): the unit is no longer forced by it."""
    _require(can_record_consequences(actor), "撤销一票否决事件")
    reason = _text(reason, "revoked_reason", "撤销理由")
    with transaction.atomic():
        if not AssessmentEvent.objects.filter(pk=event.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason
        ):
            raise DomainError("该事件已撤销。")
        event.refresh_from_db()
        event._history_user = actor
        event._change_reason = f"撤销：{reason}"
        event.save()
    return event


# ------------------------------------------------------------------ the assessment calendar


def default_calendar(year: int) -> dict[str, date]:
    """The default dates of ``year``'s assessment (本系统解释 of “每年的第一季度完成上一年度考核结果的
    核算、排名、通报反馈工作”): all in the first quarter of the next year."""
    nxt = year + 1
    return {
        CalendarKind.SELF_START: date(nxt, 1, 5),
        CalendarKind.SELF_END: date(nxt, 1, 31),
        CalendarKind.REVIEW_END: date(nxt, 2, 28),
        CalendarKind.APPROVAL: date(nxt, 3, 15),
        CalendarKind.PUBLICATION: date(nxt, 3, 31),
    }


def ensure_calendar(year: int) -> list[AssessmentDate]:
    """The calendar of ``year``, created with the default dates where a step has none yet."""
    year = _year(year)
    for kind, due in default_calendar(year).items():
        try:
            with transaction.atomic():
                AssessmentDate.objects.get_or_create(year=year, kind=kind, defaults={"due_on": due})
        except IntegrityError:  # created by a parallel request
            pass
    return list(AssessmentDate.objects.filter(year=year).order_by("due_on", "pk"))


def set_calendar_date(entry: AssessmentDate, *, due_on: date | None, done_on: date | None, note: str, actor):
    """Change a step's date, mark it done (not in the future), or add a note."""
    _require(can_record_consequences(actor), "修改考核日程")
    if due_on is None:
        raise DomainError("请填写日期。", field="due_on")
    if done_on is not None:
        _not_future(done_on, "done_on", "完成日期")
    with transaction.atomic():
        entry.due_on, entry.done_on, entry.note = due_on, done_on, (note or "").strip()[:200]
        entry._history_user = actor
        entry._change_reason = "修改考核日程"
        entry.save()
    return entry


# ------------------------------------------------------------------ unit-level 约谈


def record_unit_talk(
    *,
    unit,
    year: int,
    held_on: date,
    interviewees: str,
    interviewers: str,
    summary: str,
    requirements: str,
    deadline: date | None,
    actor,
    is_public: bool = False,
):
    """约谈 the unit's principal leaders (党政主要负责人) with 限期整改 requirements and a deadline
    (附件1 六: 考核结果为不合格的). The deadline goes on the unit's to-do until the rectification is recorded."""
    from supervision.models import AdmonitionTalk

    _require(can_record_consequences(actor), "记录约谈")
    year = _year(year)
    held_on = _not_future(held_on, "held_on", "约谈日期")
    interviewees = _text(interviewees, "interviewees", "被约谈的党政主要负责人")
    requirements = _text(requirements, "rectify_requirements", "限期整改要求")
    if deadline is None:
        raise DomainError("请填写整改期限。", field="rectify_deadline")
    if deadline < held_on:
        raise DomainError("整改期限不能早于约谈日期。", field="rectify_deadline")
    with transaction.atomic():
        talk = AdmonitionTalk(
            unit=unit,
            assessment_year=year,
            held_on=held_on,
            is_public=is_public,
            interviewees=interviewees,
            interviewers=(interviewers or "").strip(),
            summary=(summary or "").strip() or requirements,
            rectify_requirements=requirements,
            rectify_deadline=deadline,
            recorded_by=actor,
        )
        talk._history_user = actor
        talk._change_reason = f"{year}年度考核约谈单位主要负责人"
        talk.save()
    return talk


def record_talk_rectified(talk, *, done_on: date, note: str, actor):
    """The unit (or the office) records that the 限期整改 requirements are met."""
    from supervision.models import AdmonitionTalk

    if not (can_record_consequences(actor) or can_self_assess(actor, talk.unit_id)):
        raise DomainError("您无权填报该约谈的整改情况。")
    done_on = _not_future(done_on, "rectified_on", "整改完成日期")
    note = _text(note, "rectified_note", "整改完成情况")
    with transaction.atomic():
        if not AdmonitionTalk.objects.filter(pk=talk.pk, rectified_on__isnull=True).update(
            rectified_on=done_on, rectified_note=note
        ):
            raise DomainError("该约谈的整改情况已填报。")
        talk.refresh_from_db()
        talk._history_user = actor
        talk._change_reason = "填报限期整改完成情况"
        talk.save()
    return talk


# ------------------------------------------------------------------ 问责 referrals


def record_referral(
    *, unit, year: int, referred_on: date, body: str, persons: str, facts: str, circumstances, actor
) -> AccountabilityReferral:
    """移送问责: to 纪检监察机关 or 组织部门, naming whom and on which facts (附件1 六)."""
    _require(can_record_consequences(actor), "记录问责移送")
    year = _year(year)
    if body not in ReferralBody.values:
        raise DomainError("请选择移送机关：纪检监察机关或组织部门。", field="body")
    referred_on = _not_future(referred_on, "referred_on", "移送日期")
    persons = _text(persons, "persons", "拟问责对象")
    facts = _text(facts, "facts", "问责情形及事实")
    numbers = sorted({int(n) for n in circumstances or []})
    if any(not 1 <= n <= 9 for n in numbers):
        raise DomainError("问责建议情形的序号为 1—9。", field="circumstances")
    with transaction.atomic():
        referral = AccountabilityReferral(
            unit=unit,
            year=year,
            referred_on=referred_on,
            body=body,
            persons=persons,
            facts=facts,
            circumstances=numbers,
            recorded_by=actor,
        )
        referral._history_user = actor
        referral._change_reason = f"移送{referral.get_body_display()}"
        referral.save()
    return referral


def record_referral_outcome(
    referral: AccountabilityReferral, *, outcome: str, outcome_on: date | None, detail: str, actor
) -> AccountabilityReferral:
    """The referral's outcome (已问责 / 不予问责, dated, with what was decided)."""
    _require(can_record_outcome(actor), "填写问责结果")
    if outcome not in (ReferralOutcome.HELD, ReferralOutcome.NOT_HELD):
        raise DomainError("请选择办理结果：已问责或不予问责。", field="outcome")
    outcome_on = _not_future(outcome_on, "outcome_on", "结果日期")
    if outcome_on < referral.referred_on:
        raise DomainError("结果日期不能早于移送日期。", field="outcome_on")
    detail = _text(detail, "outcome_detail", "结果说明")
    with transaction.atomic():
        referral.outcome, referral.outcome_on, referral.outcome_detail = outcome, outcome_on, detail
        referral._history_user = actor
        referral._change_reason = f"办理结果：{referral.get_outcome_display()}"
        referral.save()
    return referral
