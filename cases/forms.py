import re
from datetime import datetime

from django import forms

from org.models import Inspection
from qianshan.common.widgets import DateInput

from .domain.services import check_case_facts, check_fixed_three
from .enums import AttachmentKind, PhotoStage, RecheckResult
from .models import PetitionCase


class CaseForm(forms.ModelForm):
    """The core fields of a case; refuses a missing fixed-three field once past "received"."""

    class Meta:
        model = PetitionCase
        fields = [
            "batch",
            "transferred_on",
            "channel",
            "complaint",
            "locality",
            "pollution_types",
            "lead_unit",
            "cooperating_units",
            "handler",
            "handler_phone",
            "case_leader",
            "case_leader_level",
            "standard",
            "deadline",
            "is_key",
            "key_leader",
            "work_plan",
            "remarks",
        ]
        widgets = {
            "transferred_on": DateInput(),
            "deadline": DateInput(),
            "complaint": forms.Textarea(attrs={"rows": 4}),
            "standard": forms.Textarea(attrs={"rows": 3}),
            "work_plan": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "pollution_types": forms.CheckboxSelectMultiple,
            "cooperating_units": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, assigns_units: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not assigns_units:  # only the office assigns units (cases.domain.services)
            for name in ("lead_unit", "cooperating_units"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "由协调组办公室指定"

    def clean(self):
        data = super().clean()
        for name, message in check_fixed_three(data, self.instance.state):
            self.add_error(name, message)
        for name, message in check_case_facts(data):
            if name not in self.errors:
                self.add_error(name, message)
        if data.get("is_key"):
            if not (data.get("key_leader") or "").strip():
                self.add_error("key_leader", "重点件必须明确包保主要领导。")
            if not (data.get("work_plan") or "").strip():
                self.add_error("work_plan", "重点件必须有工作方案。")
        return data

    def split(self) -> tuple[dict, dict]:
        """(plain field values, m2m values) for the domain service."""
        m2m_names = {"pollution_types", "cooperating_units"}
        values = {k: v for k, v in self.cleaned_data.items() if k not in m2m_names}
        m2m = {k: v for k, v in self.cleaned_data.items() if k in m2m_names}
        return values, m2m


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandlingForm(forms.ModelForm):
    """调查与办理: what the handling units record as the case goes (finding, handling, counters…)."""

    related_receipts = forms.CharField(
        label="重复关联件编号", required=False, help_text="多个受理编号用顿号、逗号或空格分隔"
    )
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PetitionCase
        fields = [
            "finding",
            "investigation",
            "plan",
            "handling",
            "accountability",
            "completion_status",
            "acceptance_category",
            "points_investigated",
            "points_resolved",
            "violations_penalised",
            "accountability_done",
            "complainant_accepted",
            "completion_evidence",
            "ordered_rectify",
            "penalty_cases",
            "fine_amount",
            "criminal_investigations",
            "administrative_detentions",
            "criminal_detentions",
            "interviews",
            "persons_held_accountable",
            "channel",
            "is_repeat",
            "merge_no",
            "complainant_contact",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("investigation", "plan", "handling", "accountability", "completion_evidence")
        }

    def __init__(self, *args, visible_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_cases = visible_cases
        if not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at
            self.initial["related_receipts"] = "、".join(
                c.receipt_no for c in self.instance.related_cases.all()
            )

    def clean_related_receipts(self):
        numbers = [n for n in re.split(r"[、，,\s]+", self.cleaned_data["related_receipts"]) if n]
        found = list(self.visible_cases.filter(receipt_no__in=numbers)) if numbers else []
        missing = sorted(set(numbers) - {c.receipt_no for c in found})
        if missing:
            raise forms.ValidationError("找不到受理编号：" + "、".join(missing))
        return found

    def split(self) -> tuple[dict, list, object]:
        data = dict(self.cleaned_data)
        related = data.pop("related_receipts")
        loaded_at = data.pop("loaded_at")
        return data, related, loaded_at


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by qianshan.common.uploads."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class UploadFieldsMixin(forms.Form):
    photo_stage = forms.ChoiceField(label="整改前后", choices=PhotoStage.choices, initial=PhotoStage.NONE)
    pair_label = forms.CharField(label="对比点位", max_length=50, required=False)


class ProgressForm(UploadFieldsMixin):
    cache_empty_html = True  # the case page's empty form: {% form_fields %} renders it once
    happened_on = forms.DateField(label="进展日期", widget=DateInput())
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    is_temporary = forms.BooleanField(
        label="临时性应对措施",
        required=False,
        help_text="仅以临时性应对措施暂时解决问题的请勾选：群众身边问题不得因此视为办结（附件2 一（三）1）",
    )
    files = MultipleFileField(
        label="现场照片（可多张）",
        required=False,
        # accept="image/*" without `capture`: a phone offers its camera and its gallery. Large
        # photos are scaled down in the browser first (static/js/photo-upload.js); the server
        # checks every file again (qianshan.common.uploads).
        widget=MultipleFileInput(attrs={"accept": "image/*", "data-downscale": "2560"}),
        help_text="可一次选择多张；手机上可直接拍照。大照片上传前会自动压缩，拍摄时间和位置（如有）随照片保存。"
        "文档材料请在“档案目录”中上传。",
    )
    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices, initial=AttachmentKind.PHOTO)
    field_order = ["happened_on", "text", "files", "kind", "photo_stage", "pair_label"]


class AttachmentForm(UploadFieldsMixin):
    cache_empty_html = True  # the case page's empty form: {% form_fields %} renders it once
    prefix = "att"  # shares the case page with the progress form: distinct field ids
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices)
    title = forms.CharField(label="说明", max_length=200, required=False)
    field_order = ["file", "kind", "title", "photo_stage", "pair_label"]


class ImportForm(forms.Form):
    inspection = forms.ModelChoiceField(label="督察", queryset=Inspection.objects.all())
    batch = forms.IntegerField(
        label="交办批次", required=False, min_value=1, help_text="表中没有批次列、标题中也没有“第N批”时填写"
    )
    file = forms.FileField(label="交办单（.xlsx）")


class DrawForm(forms.Form):
    month = forms.CharField(label="月份", help_text="如 2021-08")
    seed = forms.IntegerField(label="随机种子", required=False, min_value=0)

    def clean_month(self):
        try:
            return datetime.strptime(self.cleaned_data["month"].strip(), "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError("月份格式应为 YYYY-MM，如 2021-08。") from exc


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DateInput())
    visitor = forms.CharField(label="回访人", max_length=50)
    result = forms.ChoiceField(
        label="回访结果", choices=[(RecheckResult.HOLDS, "整改成效巩固"), (RecheckResult.REBOUNDED, "反弹")]
    )
    notes = forms.CharField(label="回访情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="回访照片", required=False)


class DispositionForm(forms.Form):
    """分类处置 of a rebound (the case and the task rebound ledgers share it)."""

    category = forms.ModelChoiceField(label="分类", queryset=None, empty_label=None)
    disposition = forms.CharField(label="处置措施", widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = forms.DateField(label="处置完成日期", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .domain.rebounds import active_categories

        self.fields["category"].queryset = active_categories()


class PointForm(forms.Form):
    """One complaint point (举报问题要点) row of the points form on the case page."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(
        label="问题要点",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写问题要点的内容。"},
    )
    is_true = forms.TypedChoiceField(
        label="是否属实",
        choices=[("1", "属实"), ("0", "不属实")],
        coerce=lambda value: value == "1",
        initial="1",
    )
    is_resolved = forms.BooleanField(label="已解决", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)


class BasePointFormSet(forms.BaseFormSet):
    def points(self) -> list[dict]:
        """The rows to keep, in order, as set_points() takes them (blank new rows and deleted rows dropped)."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PointFormSet = forms.formset_factory(
    PointForm, formset=BasePointFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)
