from django import forms

from org.models import Inspection, Unit
from qianshan.common.widgets import DateInput

from .enums import LetterState, ReportKind, WarningLevel, WarningState

UNRESOLVED = "unresolved"
DATE = DateInput()


class DashboardFilterForm(forms.Form):
    inspection = forms.ModelChoiceField(
        label="督察", queryset=Inspection.objects.all(), required=False, empty_label="全部督察"
    )
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.all(), required=False, empty_label="全部单位"
    )


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *ReportKind.choices], required=False)


class WarningFilterForm(forms.Form):
    level = forms.ChoiceField(
        label="预警等级", choices=[("", "全部等级"), *WarningLevel.choices], required=False
    )
    state = forms.ChoiceField(
        label="处理状态",
        # 未解除 = open_warning_q (未处理 and 已发督办函), what the dashboard's warning figures count.
        choices=[("", "全部状态"), (UNRESOLVED, "未解除（含已发督办函）"), *WarningState.choices],
        required=False,
    )
    # A weekly or monthly report's warning figures link to the warnings raised in its period.
    raised_from = forms.DateField(label="预警日期起", required=False, widget=DATE)
    raised_to = forms.DateField(label="预警日期止", required=False, widget=DATE)


class LetterFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *LetterState.choices], required=False)


class LetterForm(forms.Form):
    reply_deadline = forms.DateField(label="回复时限", widget=DATE)
    requirements = forms.CharField(
        label="督办要求",
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="请你单位高度重视，认真分析滞后原因，制定切实可行的整改措施，加快推进整改工作，"
        "并于回复时限前将整改进展情况书面报送协调组办公室。",
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label="回复内容", widget=forms.Textarea(attrs={"rows": 5}))


class TalkForm(forms.Form):
    held_on = forms.DateField(label="约谈日期", widget=DATE)
    is_public = forms.BooleanField(
        label="公开约谈", required=False, help_text="对完成有风险的问题公开约谈责任单位负责人"
    )
    interviewees = forms.CharField(label="被约谈人", max_length=200)
    interviewers = forms.CharField(label="约谈人", max_length=200)
    summary = forms.CharField(label="约谈内容及要求", widget=forms.Textarea(attrs={"rows": 5}))


class ReferralForm(forms.Form):
    referred_on = forms.DateField(label="移送日期", widget=DATE)
    recipient = forms.CharField(label="移送机关", max_length=100, initial="千山风景区纪工委")
    facts = forms.CharField(label="问题线索", widget=forms.Textarea(attrs={"rows": 6}))


class DeliveryForm(forms.Form):
    """报送登记: to whom, when, how; the PDF is the report's own unless a stamped copy is uploaded."""

    recipients = forms.MultipleChoiceField(
        label="报送对象",
        choices=[(n, n) for n in ("市委", "市政府", "市督改办")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_recipients = forms.CharField(
        label="其他报送对象", max_length=200, required=False, help_text="多个用顿号“、”分隔"
    )
    delivered_on = forms.DateField(label="报送日期", widget=DATE)
    method = forms.CharField(
        label="报送方式", max_length=50, required=False, help_text="如：机要交换、电子公文"
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    file = forms.FileField(
        label="报送文件（PDF）",
        required=False,
        help_text="留空则由系统生成本报告的 PDF 作为报送文件；已盖章的报送件请在此上传。",
    )

    def recipient_list(self) -> list[str]:
        other = self.cleaned_data.get("other_recipients") or ""
        return [
            *self.cleaned_data.get("recipients", []),
            *other.replace("，", "、").replace(",", "、").split("、"),
        ]
