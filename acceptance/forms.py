from django import forms

from org.models import Unit, User

from .domain.services import EDITABLE_FIELDS
from .enums import ACCEPTANCE_SLOT_ROLES, REVIEW_SLOT_ROLES, FormKind
from .models import OpinionForm


def opinion_form_class(kind: str):
    """A ModelForm with the fields editable on this kind of form."""
    return forms.modelform_factory(
        OpinionForm,
        fields=EDITABLE_FIELDS[kind],
        widgets={
            "form_date": forms.DateInput(attrs={"type": "date"}),
            "accepted_on": forms.DateInput(attrs={"type": "date"}),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in EDITABLE_FIELDS[kind]
                if name.startswith("opinion_") or name == "statement"
            },
        },
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label="签字人", queryset=User.objects.none())
    role = forms.ChoiceField(label="签字栏")
    member_unit = forms.CharField(label="单位", max_length=100, required=False)
    member_post = forms.CharField(label="职务（职称）", max_length=60, required=False)
    member_phone = forms.CharField(label="联系电话", max_length=40, required=False)

    def __init__(self, *args, form_kind: str, member_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__role=member_role, is_active=True
        ).distinct()
        roles = ACCEPTANCE_SLOT_ROLES if form_kind == FormKind.ACCEPTANCE_OPINION else REVIEW_SLOT_ROLES
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class DecideForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="结论", choices=[("1", "通过"), ("0", "未通过（重新整改）")], coerce=lambda v: v == "1"
    )
    reasons = forms.CharField(
        label="未通过原因",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "未通过原因（未通过时必填）"}),
    )
    done_on = forms.DateField(
        label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date", "title": "完成日期"})
    )


class ApplyForm(forms.Form):
    applied_on = forms.DateField(
        label="申请日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    entrusted_body = forms.ModelChoiceField(
        label="委托专业机构（可选）",
        queryset=Unit.objects.filter(kind="body", is_active=True),
        required=False,
    )
