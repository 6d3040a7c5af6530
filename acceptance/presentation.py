"""What the form pages and PDFs show (附件1–3), shared by views, the render_form command and the bench."""

from pathlib import Path

from .domain import rules
from .domain.deadlines import Deadlines
from .domain.rules import ACCEPTANCE_OPINIONS, REVIEW_OPINIONS
from .domain.services import unsigned_items
from .domain.signing import verify_signatures
from .enums import FormKind, SlotRole, StepKind
from .models import Step

__all__ = ["ACCEPTANCE_OPINIONS", "REVIEW_OPINIONS", "form_context", "summary_context"]


def _summary(form, case, check) -> list[tuple[str, str]]:
    """What a signature will bind, as (label, value) lines for the 签字 panel."""
    lines = [("受理编号", case.receipt_no), ("是否属实", case.get_finding_display() or "—")]
    if form.kind == FormKind.ACCEPTANCE_OPINION:
        lines += [
            ("验收分类", case.get_acceptance_category_display() or "—"),
            ("日期", f"{form.form_date:%Y-%m-%d}" if form.form_date else "（未填）"),
            ("承办单位（委托专业机构）", form.unit_name or "（未填）"),
            ("验收结论", form.statement or "（未填）"),
        ]
    else:
        lines += [
            ("验收单位", form.unit_name or "（未填）"),
            ("验收日期", f"{form.accepted_on:%Y-%m-%d}" if form.accepted_on else "（未填）"),
            ("复核日期", f"{form.reviewed_on:%Y-%m-%d}" if form.reviewed_on else "（未填）"),
        ]
    filled = sum(1 for row in check.content["checklist"] if row[1] is not None)
    lines.append(("逐项核对", f"{filled}/{len(check.content['checklist'])} 项已填写"))
    lines.append(("签字人", f"{len(check.slots)} 人（按用户编号及其单位、职务绑定）"))
    return lines


def form_context(form, *, for_pdf: bool = False) -> dict:
    """What the page and the PDF of a form show. Read-only: checking the signatures writes nothing."""
    check = verify_signatures(form)
    for c in check.slots:
        image = c.signature.signer.signature_image if c.signature else None
        c.image_src = ""
        if image:
            c.image_src = Path(image.path).as_uri() if for_pdf else image.url
    by_role = {}
    for c in check.slots:
        by_role.setdefault(c.slot.role, []).append(c)
    step = form.step
    step.deadline = Deadlines().of(step)
    if form.kind == FormKind.ACCEPTANCE_OPINION:
        opinions = [(label, getattr(form, field), []) for label, field in ACCEPTANCE_OPINIONS]
    else:
        opinions = [
            (role.label, getattr(form, field), by_role.get(role, [])) for role, field in REVIEW_OPINIONS
        ]
    members = [
        c for c in check.slots if c.slot.role in (SlotRole.MEMBER, SlotRole.INDUSTRY_MEMBER, SlotRole.LEADER)
    ]
    case = step.case
    slots = [c.slot for c in check.slots]
    missing = rules.missing_for_signing(form, slots=slots, case=case)
    return {
        "form": form,
        "step": step,
        "case": case,
        "check": check,
        "leaders": by_role.get(SlotRole.LEADER, []),
        "members": members,
        "opinions": opinions,
        "draft": not check.all_valid,
        "missing": missing,
        "unsigned": unsigned_items(form, check) if not missing else [],
        "checklist": rules.checklist_rows(form, case),
        "checklist_title": "验收标准逐项核对（附件2 一（三））"
        if form.kind == FormKind.ACCEPTANCE_OPINION
        else "复核原则：五个不放过（附件2 二（一））",
        "temporary_refusal": rules.temporary_measure_refusal(case)
        if form.kind == FormKind.ACCEPTANCE_OPINION
        else None,
        "summary_lines": _summary(form, case, check),
        "slot_rules": [
            (SlotRole(role).label, rule.words)
            for role, rule in rules.SLOT_RULES[form.kind].items()
            if rule.fits or rule.all_of
        ],
    }


def summary_context(case) -> dict:
    """验收复核情况事项单 (附件3): the latest round's acceptance and review on one sheet."""
    steps = list(Step.objects.filter(case=case).select_related("form").order_by("-round", "pk"))
    latest = steps[0].round if steps else None
    by_kind = {s.kind: s for s in steps if s.round == latest}
    result = {"case": case, "round": latest}
    for key, kind in (("acceptance", StepKind.ACCEPTANCE), ("review", StepKind.REVIEW)):
        step = by_kind.get(kind)
        result[key] = form_context(step.form) if step is not None else None
    result["review_application"] = by_kind.get(StepKind.REVIEW_APPLICATION)
    signed = [result[k]["check"].all_valid for k in ("acceptance", "review") if result[k]]
    result["draft"] = len(signed) < 2 or not all(signed)
    return result
