from django import forms

from .domain.services import check_fixed_three
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
            "transferred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "complaint": forms.Textarea(attrs={"rows": 4}),
            "standard": forms.Textarea(attrs={"rows": 3}),
            "work_plan": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "pollution_types": forms.CheckboxSelectMultiple,
            "cooperating_units": forms.SelectMultiple(attrs={"size": 5}),
        }

    def clean(self):
        data = super().clean()
        for name, message in check_fixed_three(data, self.instance.state):
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
