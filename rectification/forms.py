from django import forms

from org.models import Inspection
from qianshan.common.widgets import DateInput

from .enums import LookBackResult
from .evidence import fields_of
from .models import Measure, RectificationTask


class TaskForm(forms.ModelForm):
    # When the form was loaded: a save is refused if the task changed since (update_task).
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RectificationTask
        fields = [
            "problem",
            "target",
            "lead_unit",
            "cooperating_units",
            "supervising_unit",
            "accepting_unit",
            "responsible_person",
            "contact_phone",
            "standard",
            "deadline",
        ]
        widgets = {
            "deadline": DateInput(),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "target": forms.Textarea(attrs={"rows": 3}),
            "standard": forms.Textarea(attrs={"rows": 3}),
            "cooperating_units": forms.SelectMultiple(attrs={"size": 5}),
        }
        error_messages = {
            name: {
                "required": f"“{RectificationTask._meta.get_field(name).verbose_name}”必填：整改任务必须明确责任单位、责任人、整改标准和整改时限。"
            }
            for name in ("lead_unit", "responsible_person", "standard", "deadline")
        }

    # Only the coordination office assigns units (rectification.domain.services.update_task).
    ASSIGNMENT_FIELDS = ("lead_unit", "cooperating_units", "supervising_unit", "accepting_unit")

    def __init__(self, *args, assigns_units: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at
        if not assigns_units:
            for name in self.ASSIGNMENT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "由协调组办公室指定"

    def split(self) -> tuple[dict, dict, object]:
        """(field values, m2m values, when the form was loaded)."""
        values = {k: v for k, v in self.cleaned_data.items() if k not in ("cooperating_units", "loaded_at")}
        return (
            values,
            {"cooperating_units": self.cleaned_data["cooperating_units"]},
            self.cleaned_data["loaded_at"],
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; content is checked by qianshan.common.uploads, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


DATE = DateInput()


class MeasureCompleteForm(forms.Form):
    """完成措施: the evidence fields of the measure's kind, the completion date and files."""

    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_temporary = forms.BooleanField(
        label="临时性应对措施",
        required=False,
        help_text="仅以临时性应对措施暂时解决问题的请勾选：临时性措施不得视为完成",
    )
    files = MultipleFileField(label="依据材料（图片或PDF）")

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        evidence_fields = {}
        for name in fields_of(measure.kind):
            field = Measure._meta.get_field(name).formfield(required=False)
            if isinstance(field, forms.DateField):
                field.widget = DATE
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            field.initial = getattr(measure, name)
            evidence_fields[name] = field
        # Evidence first, in the order of the kind's rule, then date, note and files.
        self.fields = {**evidence_fields, **self.fields}
        self.fields["is_temporary"].initial = measure.is_temporary
        self.evidence_names = list(evidence_fields)

    def evidence(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.evidence_names}


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    measure = forms.ModelChoiceField(
        label="所属措施", queryset=Measure.objects.none(), required=False, empty_label="整个任务"
    )
    percent = forms.IntegerField(label="完成比例（%）", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label="照片或附件",
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf", "data-downscale": "2560"}),
        help_text="可一次选择多个；大照片上传前会自动压缩，拍摄时间和位置（如有）随照片保存。",
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = task.measures.order_by("seq")
        self.fields["measure"].label_from_instance = lambda m: f"措施{m.seq}：{m.content[:30]}"


class LookBackForm(forms.Form):
    checked_on = forms.DateField(label="检查日期", widget=DATE)
    inspector = forms.CharField(label="检查人", max_length=100)
    result = forms.ChoiceField(label="检查结果", choices=LookBackResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label="现场照片")


class StepForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnnualTargetForm(forms.Form):
    reached = forms.TypedChoiceField(
        label="是否达到",
        choices=[("1", "已达到"), ("0", "未达到")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(label="达到依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    inspection = forms.ModelChoiceField(label="督察", queryset=Inspection.objects.all())
    file = forms.FileField(label="整改清单（.xlsx）")
