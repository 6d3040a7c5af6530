"""What the form pages and PDFs show (附件1–3), shared by views, the render_form command and the bench."""

from pathlib import Path

from .domain.deadlines import Deadlines
from .domain.signing import verify_signatures
from .enums import FormKind, SlotRole, StepKind
from .models import Step

# 复核责任书: which opinion each signed slot answers for (附件2), in the paper's order.
REVIEW_OPINIONS = [
    (SlotRole.FINDING, "opinion_finding"),
    (SlotRole.RECTIFICATION, "opinion_rectification"),
    (SlotRole.PENALTY, "opinion_penalty"),
    (SlotRole.SATISFACTION, "opinion_satisfaction"),
    (SlotRole.ACCOUNTABILITY, "opinion_accountability"),
]
ACCEPTANCE_OPINIONS = [
    ("整改情况验收意见", "opinion_rectification"),
    ("行政处罚情况验收意见", "opinion_penalty"),
    ("群众满意情况验收意见", "opinion_satisfaction"),
    ("责任追究情况验收意见", "opinion_accountability"),
]


def form_context(form, *, for_pdf: bool = False) -> dict:
    """What the page and the PDF of a form show; verifies (and voids) the signatures first."""
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
    return {
        "form": form,
        "step": step,
        "case": step.case,
        "check": check,
        "leaders": by_role.get(SlotRole.LEADER, []),
        "members": members,
        "opinions": opinions,
        "draft": not check.all_valid,
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
