"""签字表单批量下载: a zip of the signed 验收意见 / 复核责任书 PDFs of a selection, built by a worker.

The selection (督察, 交办批次, 表单) is taken from the owner's own scope again in the worker. Only a
form whose every signature is present and valid (bound to the content it shows now) goes in as a
PDF; every other form of the selection is listed in the zip's 清单.txt with the reason, so the
reader knows what is missing. Each PDF is rendered by the same template as the form page's PDF.
"""

import zipfile

from django import forms

from notifications.domain.background import JobError
from org.models import Inspection
from qianshan.common.pdf import render_pdf

from .domain.queries import forms_visible_to
from .enums import FormKind
from .models import Signature


class BundleForm(forms.Form):
    inspection = forms.ModelChoiceField(
        label="督察", queryset=Inspection.objects.all(), required=False, empty_label="全部督察"
    )
    batch = forms.IntegerField(label="交办批次", required=False, min_value=1, max_value=999)
    kind = forms.ChoiceField(label="表单", choices=[("", "全部表单"), *FormKind.choices], required=False)

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "inspection": data["inspection"].pk if data["inspection"] else None,
            "batch": data["batch"],
            "kind": data["kind"] or "",
        }


def bundle_forms(user, params: dict):
    """The forms of the selection the user may read that carry at least one valid signature."""
    qs = forms_visible_to(user).filter(pk__in=Signature.objects.filter(void=False).values("slot__form_id"))
    if params.get("inspection"):
        qs = qs.filter(step__case__inspection_id=params["inspection"])
    if params.get("batch"):
        qs = qs.filter(step__case__batch=params["batch"])
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    return qs.select_related("step__case__inspection", "step__case__lead_unit").order_by(
        "step__case__inspection_id", "step__case__receipt_no", "step__round", "kind", "pk"
    )


def bundle_signed_forms(job, progress, out_path) -> None:
    from .presentation import form_context  # the same context as the form page and its PDF

    qs = bundle_forms(job.owner, job.params)
    total = qs.count()
    if not total:
        raise JobError("所选范围内没有已签字的表单，请修改筛选条件。")
    progress.set_total(total)
    listing = ["签字表单批量下载清单", ""]
    included = 0
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for form in qs.iterator(chunk_size=100):
            case = form.step.case
            name = f"{case.receipt_no}-第{form.step.round}轮-{form.get_kind_display()}.pdf"
            context = form_context(form, for_pdf=True)
            if context["draft"]:
                listing.append(f"未收入  {name}：签字未全或已失效，须重新签字后再下载")
            else:
                bundle.writestr(name, render_pdf("pdf/acceptance_form.html", context))
                listing.append(f"已收入  {name}")
                included += 1
            progress.advance()
        listing[1] = f"共 {total} 份表单，收入签字完整的 {included} 份。"
        bundle.writestr("清单.txt", "\n".join(listing) + "\n")
