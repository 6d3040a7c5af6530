"""Admin helpers shared by every app's admin.py.

The admin is a window on the record, not a second way to write it:
- ``ReadOnlyAdmin`` / ``AppendOnlyHistoryAdmin``: logs, signatures and evidence are shown, never
  added, changed or deleted (the domain writes them; PostgreSQL refuses too, see
  ``qianshan.common.append_only``).
- ``HistoryAdmin`` replaces simple-history's ``SimpleHistoryAdmin`` everywhere: its history pages
  stay, its "revert" is gone (a revert writes every field of an old version, state included, with
  no transition row, so state and log would disagree).
- ``WithdrawableAdmin``: no delete; an action "撤回" asks for a reason and keeps a ``Withdrawal``
  row (who, when, why, a snapshot of the row) before the row goes.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    """No add, change or delete in admin, for anyone (superusers included)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Logs and evidence: the admin may look, never change or delete (the domain writes them)."""


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin without revert: a history version can be looked at, never saved back."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # simple-history saves the old version on POST even when the button is hidden
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AppendOnlyHistoryAdmin(ReadOnlyMixin, HistoryAdmin):
    """An append-only record that also keeps simple-history rows: read-only, history visible."""


class NoDeleteInlineMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由", widget=forms.Textarea(attrs={"rows": 4}), min_length=4, max_length=2000
    )


def withdraw_reason_action(modeladmin, request, queryset):
    """撤回所选记录：须写明理由；每条留下撤回记录（何人、何时、为何、原内容）。"""
    from org.models import Withdrawal

    form = WithdrawalForm(request.POST if "confirm_withdrawal" in request.POST else None)
    if form.is_valid():
        refusals = [msg for obj in queryset if (msg := modeladmin.withdrawal_refusal(obj))]
        if refusals:
            for msg in refusals:
                modeladmin.message_user(request, msg, messages.ERROR)
            return None
        reason = form.cleaned_data["reason"]
        count = 0
        with transaction.atomic():
            for obj in queryset.select_for_update():
                Withdrawal.record(obj, actor=request.user, reason=reason, snapshot=snapshot(obj))
                obj._change_reason = f"撤回：{reason}"  # simple-history keeps it on the "-" row
                obj.delete()
                count += 1
        modeladmin.message_user(request, f"已撤回 {count} 条{queryset.model._meta.verbose_name}。")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"撤回{queryset.model._meta.verbose_name}",
        "objects": list(queryset),
        "form": form,
        "opts": queryset.model._meta,
        "action": request.POST.get("action", "withdraw"),
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "admin/withdraw_confirmation.html", context)


withdraw_reason_action.short_description = "撤回所选记录（须填写理由）"


def snapshot(obj) -> dict:
    """The row's fields as JSON-safe values, kept with its withdrawal."""
    import json

    return json.loads(json.dumps(model_to_dict(obj), cls=DjangoJSONEncoder, default=str))


class WithdrawableAdmin(HistoryAdmin):
    """No delete: sheets, assessments and letters are withdrawn with a recorded reason instead."""

    actions = [withdraw_reason_action]

    def has_delete_permission(self, request, obj=None):
        return False

    def withdrawal_refusal(self, obj) -> str | None:
        """A Chinese message when this row may not be withdrawn (it carries an append-only log)."""
        return None
