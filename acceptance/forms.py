from django import forms
from django.db.models import Q

from org.enums import UnitKind, UnitTagCode
from org.models import Unit, User
from qianshan.common.widgets import DateInput

from .domain.rules import ACCEPTANCE_REQUIRED, REVIEW_REQUIRED
from .domain.services import EDITABLE_FIELDS
from .enums import ACCEPTANCE_SLOT_ROLES, REVIEW_SLOT_ROLES, FormKind
from .models import OpinionForm

MET_CHOICES = [("", "—— 请选择 ——"), ("1", "符合"), ("0", "不符合")]


class OpinionEditForm(forms.ModelForm):
    """The form's editable fields, then one 符合/不符合 + 说明 pair per checklist point."""

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        saved = self.instance.checklist or {}
        for i, (code, text) in enumerate(self.points, start=1):
            entry = saved.get(code) or {}
            met = entry.get("met")
            self.fields[f"met_{code}"] = forms.ChoiceField(
                label=f"{i}. {text}", choices=MET_CHOICES, required=False
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=f"第{i}项说明", required=False, max_length=500
            )
            self.initial.setdefault(f"met_{code}", "" if met is None else ("1" if met else "0"))
            self.initial.setdefault(f"note_{code}", entry.get("note", ""))

    def main_fields(self):
        return [self[name] for name in self._meta.fields]

    def checklist_fields(self):
        """(number, point text, its 符合/不符合 field, its note field) for the template's table."""
        return [
            (i, text, self[f"met_{code}"], self[f"note_{code}"])
            for i, (code, text) in enumerate(self.points, start=1)
        ]

    def values(self) -> dict:
        """The fields for acceptance.domain.services.update_form, checklist included."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["checklist"] = {
            code: {
                "met": {"1": True, "0": False}.get(self.cleaned_data.get(f"met_{code}")),
                "note": self.cleaned_data.get(f"note_{code}", ""),
            }
            for code, _text in self.points
        }
        return data


def opinion_form_class(kind: str):
    """A ModelForm with the fields editable on this kind of form (dates as ISO date inputs)."""
    return forms.modelform_factory(
        OpinionForm,
        form=OpinionEditForm,
        fields=EDITABLE_FIELDS[kind],
        # The names the missing list uses, so a person finds the field it names.
        labels=dict(ACCEPTANCE_REQUIRED if kind == FormKind.ACCEPTANCE_OPINION else REVIEW_REQUIRED),
        widgets={
            "form_date": DateInput(),
            "accepted_on": DateInput(),
            "reviewed_on": DateInput(),
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


class UnitChoiceField(forms.ModelChoiceField):
    """A unit shown with its kinds, so the office sees which slots its people fit."""

    def label_from_instance(self, obj):
        tags = "、".join(tag.name for tag in obj.tags.all())
        return f"{obj.name}（{tags}）" if tags else obj.name


def _active_units():
    return Unit.objects.filter(is_active=True).prefetch_related("tags").order_by("sort_order", "id")


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label="签字人", queryset=User.objects.none())
    role = forms.ChoiceField(label="签字栏")
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    member_post = forms.CharField(label="职务（职称）", max_length=60, required=False)
    member_phone = forms.CharField(label="联系电话", max_length=40, required=False)

    def __init__(self, *args, form_kind: str, member_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__role=member_role, is_active=True
        ).distinct()
        self.fields["unit"].queryset = _active_units()
        roles = ACCEPTANCE_SLOT_ROLES if form_kind == FormKind.ACCEPTANCE_OPINION else REVIEW_SLOT_ROLES
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class DecideForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="结论", choices=[("1", "通过"), ("0", "未通过（重新整改）")], coerce=lambda v: v == "1"
    )
    reasons = forms.CharField(
        label="未通过原因",
        required=False,
        help_text="未通过时必填",
    )
    done_on = forms.DateField(label="完成日期", required=False, widget=DateInput(attrs={"title": "完成日期"}))


class ApplyForm(forms.Form):
    applied_on = forms.DateField(label="申请日期", required=False, widget=DateInput())
    entrusted_body = UnitChoiceField(
        label="委托专业机构（可选）",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="不委托",
    )
    supervising_unit = UnitChoiceField(
        label="督导责任单位（市级行业主管部门）",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="不指定",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrusted_body"].queryset = (
            _active_units()
            .filter(Q(kind=UnitKind.BODY) | Q(tags__code=UnitTagCode.PROFESSIONAL_BODY))
            .distinct()
        )
        self.fields["supervising_unit"].queryset = (
            _active_units()
            .filter(tags__code=UnitTagCode.INDUSTRY)
            .filter(tags__code=UnitTagCode.CITY_DEPARTMENT)
        ).distinct()
