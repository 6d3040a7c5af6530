"""The browser form of a sheet: POST fields named by JSON path → the exchange-format dict.

Values are converted only as far as their HTML inputs allow (a count that is not a number stays
text); ``parse_sheets`` then judges the whole sheet, so the form and the JSON import share one
set of rules and messages.
"""

import re

from django import forms

from qianshan.common.widgets import DateInput

from .enums import MediaLevel, OverrideKind, ReferralBody, ReferralOutcome

_SUBJECT = re.compile(r"^(territorial|functional)\[(\d+)\]\.(\w+)$")
_BOOL_TRUE = {"1", "true", "on", "yes"}


def _bool(post, name: str) -> bool:
    return post.get(name, "") in _BOOL_TRUE


def _int(post, name: str):
    raw = (post.get(name) or "").strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def _subjects(post, key: str, fields: dict[str, str]) -> list[dict]:
    """The subjects present in the form, in index order (rows removed in the browser leave gaps)."""
    indexes = sorted(
        {int(m.group(2)) for name in post for m in [_SUBJECT.match(name)] if m and m.group(1) == key}
    )
    out = []
    for index in indexes:
        prefix = f"{key}[{index}]."
        out.append(
            {
                name: (_bool(post, prefix + name) if kind == "bool" else post.get(prefix + name, ""))
                for name, kind in fields.items()
            }
        )
    return out


def sheet_from_post(post) -> tuple[dict, dict[str, str]]:
    """The sheet dict and the reasons (``reason:<path>`` fields) from a submitted form."""
    media = []
    for level in MediaLevel:
        count = _int(post, f"bonus.media.{level.value}")
        media.extend([level.value] * (count if isinstance(count, int) and 0 < count <= 20 else 0))
    data = {
        "territorial": _subjects(
            post, "territorial", {"case_leader": "leader", "lead_unit_head": "leader", "handler": "bool"}
        ),
        "functional": _subjects(post, "functional", {"case_leader": "leader", "handler": "bool"}),
        "plan": {
            name: _bool(post, f"plan.{name}") for name in ("department", "measures", "milestones", "funding")
        },
        "plan_reviewed": _bool(post, "plan_reviewed"),
        "plan_implemented": _bool(post, "plan_implemented"),
        "archive": {
            "catalogue": _bool(post, "archive.catalogue"),
            "assignment_note": _bool(post, "archive.assignment_note"),
            "unit_materials": {
                "complete": _int(post, "archive.unit_materials.complete"),
                "units": _int(post, "archive.unit_materials.units"),
            },
            "site_records": {
                "complete": _int(post, "archive.site_records.complete"),
                "units": _int(post, "archive.site_records.units"),
            },
        },
        "problems": {"solved": _int(post, "problems.solved"), "total": _int(post, "problems.total")},
        "satisfaction_signed": _bool(post, "satisfaction_signed"),
        "bonus": {
            "praise": post.get("bonus.praise", "none"),
            "follow_up_visit": _bool(post, "bonus.follow_up_visit"),
            "source_governance": _bool(post, "bonus.source_governance"),
            "inference": _bool(post, "bonus.inference"),
            "media": media,
        },
        "deductions": {
            name: _bool(post, f"deductions.{name}")
            for name in ("penalty_missing", "deadline_missed", "repeat_complaint")
        },
        "fake": _bool(post, "fake"),
    }
    reasons = {name[len("reason:") :]: value for name, value in post.items() if name.startswith("reason:")}
    return data, reasons


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="情形", choices=OverrideKind.choices)
    occurred_on = forms.DateField(label="发生日期", widget=DateInput())
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="证明材料（PDF 或图片）", required=False)
    evidence_url = forms.CharField(label="证明链接", max_length=500, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销理由", max_length=500)


class UnitTalkForm(forms.Form):
    held_on = forms.DateField(label="约谈日期", widget=DateInput())
    interviewees = forms.CharField(label="被约谈的党政主要负责人", max_length=200)
    interviewers = forms.CharField(label="约谈人", max_length=200, required=False)
    is_public = forms.BooleanField(label="公开约谈", required=False)
    summary = forms.CharField(label="约谈内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    requirements = forms.CharField(label="限期整改要求", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限", widget=DateInput())


class TalkRectifiedForm(forms.Form):
    done_on = forms.DateField(label="整改完成日期", widget=DateInput())
    note = forms.CharField(label="整改完成情况", widget=forms.Textarea(attrs={"rows": 2}))


class ReferralForm(forms.Form):
    referred_on = forms.DateField(label="移送日期", widget=DateInput())
    body = forms.ChoiceField(label="移送机关", choices=ReferralBody.choices)
    persons = forms.CharField(label="拟问责对象", max_length=200)
    facts = forms.CharField(label="问责情形及事实", widget=forms.Textarea(attrs={"rows": 3}))
    circumstances = forms.TypedMultipleChoiceField(
        label="对应问责建议情形",
        choices=[(n, f"情形{n}") for n in range(1, 10)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[(c.value, c.label) for c in ReferralOutcome if c != ReferralOutcome.PENDING],
    )
    outcome_on = forms.DateField(label="结果日期", widget=DateInput())
    detail = forms.CharField(label="结果说明", widget=forms.Textarea(attrs={"rows": 2}))


class CalendarDateForm(forms.Form):
    due_on = forms.DateField(label="日期", widget=DateInput())
    done_on = forms.DateField(label="完成日期", widget=DateInput(), required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


def form_errors(form) -> str:
    """The form's errors as one Chinese sentence naming each field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return "；".join(parts)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="评分表文件",
        help_text="评分表 JSON（交换格式），或从本系统导出的“评分表 Excel”（.xlsx，可修改“评分明细”的“依据”列和“评分表”的“表面整改”列）",
    )
