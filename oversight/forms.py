"""Forms of the oversight pages: they parse; the rules (and their Chinese messages) are in domain/records.py.

Every required or malformed field says which field it is ("请填写会议名称。", "督查日期：请输入有效日期。").
"""

from django import forms

from cases.domain.queries import cases_visible_to
from org.enums import Role
from org.models import Inspection, Unit, User
from qianshan.common.widgets import DateInput
from rectification.domain.queries import tasks_visible_to

from .enums import FollowUpState, MeetingKind

DATE = DateInput()
TEXT = forms.Textarea(attrs={"rows": 4})


class NamedErrorsForm(forms.Form):
    """Required / invalid messages that name the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label
            verb = "请选择" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "请填写"
            field.error_messages["required"] = f"{verb}{label}。"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label}：请输入有效日期（年-月-日）。"
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_choice"] = f"{label}：所选项目不存在。"
                field.error_messages["invalid_pk_value"] = f"{label}：所选项目不存在。"
            elif isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"{label}：所选项目不存在。"


def _units():
    return Unit.objects.filter(is_active=True)


class MeetingForm(NamedErrorsForm):
    kind = forms.ChoiceField(label="会议类型", choices=[("", "请选择"), *MeetingKind.choices])
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="会议日期", widget=DATE)
    studies_environment = forms.BooleanField(
        label="研究生态环境保护工作",
        required=False,
        help_text="党工委会议或联席会议研究了生态环境保护工作的请勾选，计入“每两个月至少研究一次”",
    )
    attendees = forms.CharField(label="出席人员", widget=TEXT)
    decisions = forms.CharField(label="研究决定事项", widget=TEXT)
    approved_inspections = forms.ModelMultipleChoiceField(
        label="审议通过的整改清单",
        queryset=Inspection.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本次会议审议通过了哪一轮督察的反馈问题整改清单（可不选）",
    )
    units = forms.ModelMultipleChoiceField(
        label="涉及单位",
        queryset=_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="所选单位的用户可以查看本会议记录",
    )
    minutes = forms.FileField(
        label="会议纪要", required=False, help_text="PDF、Word/Excel 或图片；修改时不选文件则保留原纪要"
    )


class AssignmentForm(NamedErrorsForm):
    leader = forms.ModelChoiceField(
        label="分管领导",
        queryset=User.objects.filter(is_active=True, role_assignments__role=Role.LEADERSHIP).distinct(),
        empty_label="请选择",
    )
    units = forms.ModelMultipleChoiceField(
        label="分管单位", queryset=_units(), widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label="起始日期", widget=DATE)
    ends_on = forms.DateField(label="终止日期", widget=DATE, required=False, help_text="空白表示至今仍分管")
    duty = forms.CharField(
        label="分管职务", max_length=100, required=False, help_text="例如：管委会分管副主任"
    )


class DisciplineInspectionForm(NamedErrorsForm):
    inspected_on = forms.DateField(label="督查日期", widget=DATE)
    units = forms.ModelMultipleChoiceField(
        label="督查单位", queryset=_units(), widget=forms.CheckboxSelectMultiple
    )
    inspectors = forms.CharField(label="督查人员", max_length=200)
    findings = forms.CharField(label="发现的问题", widget=TEXT)


class SpecialInspectionForm(NamedErrorsForm):
    title = forms.CharField(label="督查名称", max_length=200)
    area = forms.CharField(label="督查区域", max_length=100, required=False, help_text="区域与领域至少填一项")
    field = forms.CharField(label="督查领域", max_length=100, required=False)
    scope = forms.CharField(label="督查范围", widget=TEXT)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE, required=False)
    members = forms.CharField(
        label="督查组成员", max_length=300, help_text="以市督改办人员为主，可有专家和行业主管部门人员"
    )
    units = forms.ModelMultipleChoiceField(
        label="涉及单位", queryset=_units(), required=False, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label="发现的问题", widget=TEXT, required=False)


def _by_number(qs, value: str, number_field: str, label: str):
    """A task or case by its number (or “督察编号/编号” when the number recurs across inspections)."""
    value = value.strip()
    if not value:
        return None
    code, _, number = value.rpartition("/")
    rows = qs.filter(**{number_field: number.strip()})
    if code:
        rows = rows.filter(inspection__code=code.strip())
    found = list(rows.select_related("lead_unit")[:2])
    if not found:
        raise forms.ValidationError(f"{label}：找不到编号为“{value}”的记录（或您无权查看）。")
    if len(found) > 1:
        raise forms.ValidationError(
            f"{label}：编号“{value}”在多个督察轮次中都有，请写成“督察编号/编号”，例如 C1/{number.strip()}。"
        )
    return found[0]


class FollowUpForm(NamedErrorsForm):
    description = forms.CharField(label="跟进事项", widget=forms.Textarea(attrs={"rows": 3}))
    task = forms.CharField(
        label="关联整改任务编号", required=False, help_text="填写任务编号；与信访案件二选一，也可都不填"
    )
    case = forms.CharField(label="关联信访案件受理编号", required=False)
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=_units(),
        required=False,
        empty_label="（关联事项的牵头单位）",
        help_text="不选则为所关联任务或案件的牵头单位",
    )
    deadline = forms.DateField(label="整改时限", widget=DATE, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_task(self):
        return _by_number(
            tasks_visible_to(self.user), self.cleaned_data["task"], "number", "关联整改任务编号"
        )

    def clean_case(self):
        return _by_number(
            cases_visible_to(self.user), self.cleaned_data["case"], "receipt_no", "关联信访案件受理编号"
        )


class FollowUpStateForm(NamedErrorsForm):
    state = forms.ChoiceField(label="状态", choices=FollowUpState.choices)
    resolved_on = forms.DateField(label="整改完成日期", widget=DATE, required=False)
    resolution = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ClueOutcomeForm(NamedErrorsForm):
    handling_body = forms.CharField(label="承办机关", max_length=100, initial="千山风景区纪工委")
    outcome = forms.CharField(label="处理结果", widget=TEXT)
    outcome_on = forms.DateField(label="办结日期", widget=DATE)


class ListFilterForm(forms.Form):
    """One unit to narrow a list to (records of that unit)."""

    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.all(), required=False, empty_label="全部单位"
    )
