from django import forms

from .models import RectificationTask


class TaskForm(forms.ModelForm):
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
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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

    def split(self) -> tuple[dict, dict]:
        values = {k: v for k, v in self.cleaned_data.items() if k != "cooperating_units"}
        return values, {"cooperating_units": self.cleaned_data["cooperating_units"]}
