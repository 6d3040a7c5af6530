"""The forms as PDF outside a request (the render_form command, the benchmark)."""

from cases.domain.errors import DomainError
from cases.models import PetitionCase
from qianshan.common.pdf import render_pdf

from ..enums import StepKind
from ..models import Step

STEP_OF = {"acceptance": StepKind.ACCEPTANCE, "review": StepKind.REVIEW}


def render_form_pdf(which: str, receipt_no: str) -> bytes:
    """The latest round's 验收意见 / 复核责任书, or the 事项单, of the case with ``receipt_no``."""
    from ..presentation import form_context, summary_context  # the same context as the pages

    cases = list(PetitionCase.objects.filter(receipt_no=receipt_no).select_related("inspection", "lead_unit"))
    if not cases:
        raise DomainError(f"没有受理编号为 {receipt_no} 的案件。")
    if len(cases) > 1:
        raise DomainError(f"受理编号 {receipt_no} 在多轮督察中重复，请在网页上导出。")
    case = cases[0]
    if which == "summary":
        return render_pdf("pdf/acceptance_summary.html", summary_context(case))
    step = (
        Step.objects.filter(case=case, kind=STEP_OF[which])
        .select_related("form", "case")
        .order_by("-round")
        .first()
    )
    if step is None:
        label = "验收" if which == "acceptance" else "复核"
        raise DomainError(f"案件 {receipt_no} 尚无{label}环节。")
    return render_pdf("pdf/acceptance_form.html", form_context(step.form, for_pdf=True))
