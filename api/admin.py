"""The admin creates integration clients, issues tokens (shown once) and revokes them."""

import re

from django import forms
from django.contrib import admin, messages

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin
from qianshan.common.errors import DomainError

from .domain.tokens import DEFAULT_DAYS, issue_token, revoke_token
from .models import ApiCall, ApiClient, ApiToken, IdempotencyKey
from .scopes import SCOPE_CHOICES

RATE_RE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="接口权限范围", choices=SCOPE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = ["name", "user", "scopes", "throttle_rate", "is_active", "notes"]

    def clean_throttle_rate(self):
        value = self.cleaned_data["throttle_rate"].strip()
        if not RATE_RE.fullmatch(value):
            raise forms.ValidationError("格式应为“次数/时间单位”，如 600/min、10000/hour。")
        return value


class TokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "created_at", "created_by", "expires_at", "revoked_at", "revoked_by", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    form = ApiClientForm
    list_display = ["name", "user", "throttle_rate", "is_active", "created_at"]
    raw_id_fields = ["user"]
    inlines = [TokenInline]
    actions = ["issue_tokens"]

    @admin.action(description=f"签发新令牌（有效期 {DEFAULT_DAYS} 天，只显示一次）")
    def issue_tokens(self, request, queryset):
        for client in queryset:
            try:
                _, raw = issue_token(client, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{client}：{exc.message}", messages.ERROR)
                continue
            self.message_user(
                request, f"{client} 的新令牌（只显示这一次，请立即复制保存）：{raw}", messages.WARNING
            )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["client", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["client"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # Needed to run the revoke action; the fields themselves stay read-only.
        return obj is None and request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description="吊销所选令牌（立即生效）")
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token, actor=request.user)
        self.message_user(request, f"已吊销 {queryset.count()} 个令牌。")


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "client", "user", "method", "path", "status", "duration_ms"]
    list_filter = ["client", "status", "method"]
    date_hierarchy = "at"


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "key", "method", "path", "response_status"]
