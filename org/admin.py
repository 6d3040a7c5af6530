from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin

from .models import Inspection, RoleAssignment, Unit, User, Withdrawal


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["name", "kind", "parent", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "aliases"]


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
