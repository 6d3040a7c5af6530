from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin

from .models import Inspection, RoleAssignment, Unit, UnitTag, User, Withdrawal


@admin.register(UnitTag)
class UnitTagAdmin(HistoryAdmin):
    """单位类别: the admin-editable list of unit kinds the sign-off rules check."""

    list_display = ["name", "code", "description", "sort_order"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # A built-in kind's code is what the rules look for: renaming it would silently drop the rule.
        from .enums import UnitTagCode

        return ["code"] if obj is not None and obj.code in UnitTagCode.values else []


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["name", "kind", "tag_names", "parent", "contact_phone", "is_active"]
    list_filter = ["kind", "tags", "is_active"]
    search_fields = ["name", "short_name", "aliases"]
    filter_horizontal = ["tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="单位类别")
    def tag_names(self, obj):
        return "、".join(tag.name for tag in obj.tags.all())


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin, HistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("单位与签名", {"fields": ("full_name", "phone", "post", "signature_image")}),
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(HistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ["code", "name", "level", "round", "is_look_back", "start_date", "end_date"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["object_repr", "content_type", "actor", "at", "reason"]
    list_filter = ["content_type"]
