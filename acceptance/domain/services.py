"""Writes of the acceptance and review chain (docs/rules.md §5): apply, organise, sign, decide.

Case state changes go through cases.domain.transitions.transition only. Every function is one
transaction; a step is finished by a conditional update on outcome=pending, so two people
deciding the same step at once give one decision and one refusal.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.domain.transitions import accept_case, review_case, transition
from cases.enums import CaseState
from cases.models import PetitionCase
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.domain.units import users_of_units
from org.enums import Role
from org.models import User
from org.permissions import access_of, can_change_units

from ..enums import FormKind, SlotRole, StepKind, StepOutcome
from ..models import OpinionForm, SignatureSlot, Step
from . import rules
from .signing import VALID, incomplete_message, verify_signatures, void_stale

FORM_OF_STEP = {StepKind.ACCEPTANCE: FormKind.ACCEPTANCE_OPINION, StepKind.REVIEW: FormKind.REVIEW_LETTER}
MEMBER_ROLE = {
    FormKind.ACCEPTANCE_OPINION: Role.ACCEPTANCE_MEMBER,
    FormKind.REVIEW_LETTER: Role.REVIEW_MEMBER,
}
EDITABLE_FIELDS = {
    FormKind.ACCEPTANCE_OPINION: (
        "form_date",
        "unit_name",
        "statement",
        "opinion_rectification",
        "opinion_penalty",
        "opinion_satisfaction",
        "opinion_accountability",
    ),
    FormKind.REVIEW_LETTER: (
        "unit_name",
        "accepted_on",
        "reviewed_on",
        "opinion_finding",
        "opinion_rectification",
        "opinion_penalty",
        "opinion_satisfaction",
        "opinion_accountability",
    ),
}
FINDINGS_NEEDING_REVIEW = rules.FINDINGS_NEEDING_REVIEW


def _is_office(actor) -> bool:
    return access_of(actor).writes_all


def _require_case_unit_or_office(case: PetitionCase, actor) -> None:
    if not can_change_units(actor, case.unit_ids):
        raise DomainError("只有案件承办单位或协调组办公室可以申请。")


def _require_organiser(step: Step, actor) -> None:
    """Office/admin, or a member assigned on the step's form, decides the step."""
    if _is_office(actor):
        return
    form = getattr(step, "form", None)
    if form is None or not form.slots.filter(user=actor).exists():
        raise DomainError("您不是该环节的验收/复核组成员，无权操作。")


def apply_for_acceptance(
    case: PetitionCase,
    *,
    actor,
    applied_on: date | None = None,
    entrusted_body=None,
    supervising_unit=None,
) -> Step:
    """申请验收: open a new round's acceptance step and its 验收意见 form for a completed case.

    The application goes to the body 附件2 三1 names by the lead unit's kind (its locality's 党委政府,
    or a city department's 党组), which organises the acceptance. ``supervising_unit`` is the city
    industry department supervising the case (督导责任单位), whose member must sign the opinion.
    """
    _require_case_unit_or_office(case, actor)
    if case.state != CaseState.COMPLETED:
        raise DomainError(f"案件当前环节为“{case.get_state_display()}”，办结后才能申请验收。")
    receiving, organiser = rules.receiving_body(case.lead_unit)
    if supervising_unit is not None:
        codes = supervising_unit.tag_codes()
        if not {rules.T.INDUSTRY, rules.T.CITY_DEPARTMENT} <= codes:
            raise DomainError(
                f"督导责任单位须为市级行业主管部门：“{supervising_unit.name}”不是。", field="supervising_unit"
            )
    with transaction.atomic():
        if Step.objects.filter(case=case, outcome=StepOutcome.PENDING).exists():
            raise DomainError("该案件已有办理中的验收复核环节。")
        rnd = Step.objects.filter(case=case, kind=StepKind.ACCEPTANCE).count() + 1
        step = Step.objects.create(
            case=case,
            kind=StepKind.ACCEPTANCE,
            round=rnd,
            starts_on=applied_on or timezone.localdate(),
            unit=case.lead_unit,
            entrusted_body=entrusted_body,
            receiving_body=receiving,
            organiser=organiser,
            supervising_unit=supervising_unit,
            created_by=actor,
        )
        body = entrusted_body or case.lead_unit
        OpinionForm.objects.create(
            step=step,
            kind=FormKind.ACCEPTANCE_OPINION,
            unit_name=body.name if body else "",
            statement="达到了整改验收标准",
        )
    return step


def assign_signer(
    form: OpinionForm,
    *,
    actor,
    user: User,
    role: str,
    unit=None,
    member_post: str = "",
    member_phone: str = "",
) -> SignatureSlot:
    """Assign ``user`` of ``unit`` to sign ``role`` on the form (office only).

    Refused once the form is signed, and when the unit's kinds do not fit the slot (the rule's
    words, acceptance.domain.rules.SLOT_RULES).
    """
    if not _is_office(actor):
        raise DomainError("只有协调组办公室可以指定签字人。")
    needed = MEMBER_ROLE[form.kind]
    if not access_of(user).has(needed):
        raise DomainError(f"{user.display_name}不是{Role(needed).label}，不能指定为签字人。", field="user")
    if role not in rules.SLOT_RULES[form.kind]:
        raise DomainError("该表单没有此签字栏。", field="role")
    misfit = rules.slot_misfit(form, role, unit)
    if misfit:
        raise DomainError(misfit, field="unit")
    with transaction.atomic():
        _require_editable(form, actor=actor)
        if form.slots.filter(role=role, user=user).exists():
            raise DomainError("该人员已指定在此签字栏。", field="user")
        slot = SignatureSlot.objects.create(
            form=form,
            role=role,
            user=user,
            unit=unit,
            member_post=member_post or user.post,
            member_phone=member_phone or user.phone,
            order=form.slots.count() + 1,
        )
        notify(
            [user],
            kind=NotificationKind.SIGNATURE_REQUEST,
            title=f"待签字：{form.get_kind_display()}（{form.step.case.receipt_no}）",
            body=f"您被指定为“{slot.get_role_display()}”签字人。",
            link=f"/acceptance/forms/{form.pk}/",
            reason="您被指定为签字人",
            dedupe_key=f"acceptance:slot:{slot.pk}",
        )
    return slot


def _require_editable(form: OpinionForm, *, actor) -> None:
    if not form.step.is_open:
        raise DomainError("该环节已办结，表单不能再修改。")
    # A signature left valid by a raw edit that changed its content is voided by this write.
    void_stale(form, actor=actor, reason="修改表单前核对")
    if verify_signatures(form).frozen:
        raise DomainError("表单已有有效签字，已冻结，不能修改。")


def _clean_checklist(form: OpinionForm, checklist: dict) -> dict:
    """Only the points of the form's checklist, each {"met": True/False/None, "note": text}."""
    codes = {code for code, _ in rules.checklist_points(form, form.step.case)}
    cleaned = {}
    for code, entry in (checklist or {}).items():
        if code not in codes:
            continue
        met = entry.get("met")
        note = str(entry.get("note") or "").strip()[:500]
        if met is False and not note:
            raise DomainError("逐项核对中“不符合”的项须写明说明。", field="checklist")
        cleaned[code] = {"met": met if met in (True, False) else None, "note": note}
    return cleaned


def update_form(form: OpinionForm, *, actor, values: dict) -> OpinionForm:
    """Save the form's editable fields and checklist (office or an assigned member) while nobody
    has signed it."""
    if not _is_office(actor) and not form.slots.filter(user=actor).exists():
        raise DomainError("您无权修改此表单。")
    allowed = EDITABLE_FIELDS[form.kind]
    with transaction.atomic():
        _require_editable(form, actor=actor)
        for name, value in values.items():
            if name in allowed:
                setattr(form, name, value)
        if "checklist" in values:
            form.checklist = {**form.checklist, **_clean_checklist(form, values["checklist"])}
        form._history_user = actor
        form.save()
    return form


def _finish(step: Step, outcome: str, done_on: date, reasons: str = "", *, actor) -> None:
    updated = Step.objects.filter(pk=step.pk, outcome=StepOutcome.PENDING).update(
        outcome=outcome, done_on=done_on, reasons=reasons
    )
    if not updated:
        raise DomainError("该环节已被他人办结，请刷新页面。")
    step.outcome, step.done_on, step.reasons = outcome, done_on, reasons
    # QuerySet.update() bypasses simple-history; a save of the fresh row records who and when.
    fresh = Step.objects.get(pk=step.pk)
    fresh._history_user = actor
    fresh._change_reason = f"{step.get_kind_display()}：{StepOutcome(outcome).label}"[:100]
    fresh.save()


def unsigned_items(form: OpinionForm, check=None) -> list[str]:
    """What still keeps the step from a decision: every slot validly signed, each opinion's required
    unit kinds covered by valid signatures (empty when the form may be decided)."""
    check = check or verify_signatures(form)
    items = [
        f"{c.slot.get_role_display()}{c.slot.user.display_name}"
        + ("（签字已失效）" if c.status != "unsigned" else "（未签字）")
        for c in check.slots
        if c.status != VALID
    ]
    valid_units: dict[str, list] = {}
    for c in check.slots:
        if c.status == VALID:
            valid_units.setdefault(c.slot.role, []).append(c.slot.unit)
    names = rules.tag_names()
    for role in rules.SLOT_RULES[form.kind]:
        lacking = rules.uncovered_kinds(form, role, valid_units.get(role, []), form.step.case)
        if lacking:
            items.append(f"{SlotRole(role).label}：{'、'.join(names.get(k, k) for k in lacking)}尚未签字背书")
    return items


def _require_signed(form: OpinionForm) -> None:
    """Deciding (通过 or 未通过) needs the complete form validly signed in every required slot."""
    missing = rules.missing_for_signing(form)
    if missing:
        raise DomainError(incomplete_message(missing).replace("不能签字", "不能记录结论"))
    unsigned = unsigned_items(form)
    if unsigned:
        raise DomainError("签字未齐，不能记录结论：" + "；".join(unsigned) + "。")


def _reopen(step: Step, *, actor, label: str, reasons: str, done_on: date) -> None:
    if not reasons.strip():
        raise DomainError(f"{label}未通过须填写原因。", field="reasons")
    _finish(step, StepOutcome.FAILED, done_on, reasons, actor=actor)
    case = transition(step.case, CaseState.REOPENED, actor=actor, reason=f"{label}未通过：{reasons}")
    by_unit = users_of_units(case.unit_ids, (Role.UNIT_STAFF, Role.UNIT_HEAD))
    notify(
        [user for users in by_unit.values() for user in users],
        kind=NotificationKind.CASE_REOPENED,
        title=f"{label}未通过，案件{case.receipt_no}重新整改",
        body=reasons,
        link=f"/acceptance/cases/{case.pk}/",
        reason="您所在单位承办此案件",
        dedupe_key=f"acceptance:reopen:{step.pk}",
    )


def decide_acceptance(
    step: Step, *, actor, passed: bool, reasons: str = "", done_on: date | None = None
) -> Step:
    """验收结论: passed (all signed, industry member included) → case accepted and the 3-day
    review application step opens; failed → case reopened with the reasons."""
    if step.kind != StepKind.ACCEPTANCE:
        raise DomainError("该环节不是验收环节。")
    _require_organiser(step, actor)
    done_on = done_on or timezone.localdate()
    step.case.refresh_from_db()  # the state machine checks the stored state and version
    case = step.case
    with transaction.atomic():
        _require_signed(step.form)
        unmet = rules.unmet_points(step.form, case)
        if not passed:
            reasons = reasons.strip() or "；".join(unmet)
            _reopen(step, actor=actor, label="验收", reasons=reasons, done_on=done_on)
            return step
        if unmet:
            raise DomainError(
                "验收标准尚有未达到的项，不能通过："
                + "；".join(unmet)
                + "。请记录“未通过”，以上各项为未通过原因。",
                field="passed",
            )
        refusal = rules.temporary_measure_refusal(case)
        if refusal:
            raise DomainError(refusal, field="passed")
        _finish(step, StepOutcome.PASSED, done_on, actor=actor)
        accept_case(step.case, actor=actor, reason="验收通过")
        Step.objects.create(
            case=step.case,
            kind=StepKind.REVIEW_APPLICATION,
            round=step.round,
            starts_on=done_on,
            created_by=actor,
        )
    return step


def apply_for_review(step: Step, *, actor, applied_on: date | None = None) -> Step:
    """申请复核: the handling side applies to the office; opens the 5-day review and its 责任书."""
    if step.kind != StepKind.REVIEW_APPLICATION:
        raise DomainError("该环节不是申请复核环节。")
    _require_case_unit_or_office(step.case, actor)
    applied_on = applied_on or timezone.localdate()
    acceptance = Step.objects.select_related("form").get(
        case=step.case, round=step.round, kind=StepKind.ACCEPTANCE
    )
    if not verify_signatures(acceptance.form).all_valid:
        raise DomainError("验收意见的签字已失效，须重新签字后才能申请复核。")
    with transaction.atomic():
        _finish(step, StepOutcome.PASSED, applied_on, actor=actor)
        review = Step.objects.create(
            case=step.case, kind=StepKind.REVIEW, round=step.round, starts_on=applied_on, created_by=actor
        )
        OpinionForm.objects.create(
            step=review,
            kind=FormKind.REVIEW_LETTER,
            unit_name=acceptance.form.unit_name,
            accepted_on=acceptance.done_on,
        )
    return review


def decide_review(step: Step, *, actor, passed: bool, reasons: str = "", done_on: date | None = None) -> Step:
    """复核结论: passed (all five opinions and the leader signed; the finding reviewed where the
    case is 不属实/部分属实) → case reviewed, then publicized; failed → reopened."""
    if step.kind != StepKind.REVIEW:
        raise DomainError("该环节不是复核环节。")
    _require_organiser(step, actor)
    done_on = done_on or timezone.localdate()
    step.case.refresh_from_db()  # the state machine checks the stored state and version
    case = step.case
    with transaction.atomic():
        form = step.form
        _require_signed(form)
        unmet = rules.unmet_points(form, case)
        if not passed:
            reasons = reasons.strip() or "；".join(unmet)
            _reopen(step, actor=actor, label="复核", reasons=reasons, done_on=done_on)
            return step
        if unmet:
            raise DomainError(
                "复核原则（五个不放过）尚有未做到的项，不能通过：" + "；".join(unmet) + "。请记录“未通过”。",
                field="passed",
            )
        acceptance = Step.objects.get(case=case, round=step.round, kind=StepKind.ACCEPTANCE)
        if not verify_signatures(acceptance.form).all_valid:
            raise DomainError("验收意见的签字已失效，须重新签字后才能完成复核。")
        _finish(step, StepOutcome.PASSED, done_on, actor=actor)
        case = review_case(case, actor=actor, reason="复核通过")
        # The chain hands the case on to publicity itself (验收复核办法: 复核后公示).
        transition(case, CaseState.PUBLICIZED, actor=None, reason="复核通过，转入公示")
    return step


def check_chain_signatures(case: PetitionCase) -> None:
    """Refuse (DomainError) when the latest round's passed acceptance or review has a void signature.

    Cases closed before the system held their chain (no steps) pass: there is nothing to check.
    """
    latest = Step.objects.filter(case=case, kind__in=[StepKind.ACCEPTANCE, StepKind.REVIEW]).order_by(
        "-round"
    )
    round_ = latest.values_list("round", flat=True).first()
    if round_ is None:
        return
    for step in latest.filter(round=round_, outcome=StepOutcome.PASSED).select_related("form"):
        if not verify_signatures(step.form).all_valid:
            label = StepKind(step.kind).label
            raise DomainError(f"{label}的签字已因案件事实变更而失效，须重新签字后才能继续。")
