from django.contrib import admin

from qianshan.common.admin import AppendOnlyHistoryAdmin, HistoryAdmin

from .models import Holiday, OpinionForm, Signature, SignatureSlot, Step


@admin.register(Holiday)
class HolidayAdmin(HistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


# Steps, their outcomes, opinion forms, slots and signatures are written by the acceptance pages
# only (acceptance.domain): the admin shows them and their history, never changes or deletes them.
@admin.register(Step)
class StepAdmin(AppendOnlyHistoryAdmin):
    list_display = ["case", "kind", "round", "starts_on", "done_on", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["case__receipt_no"]
    raw_id_fields = ["case"]


class SlotInline(admin.TabularInline):
    model = SignatureSlot
    extra = 0
    raw_id_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpinionForm)
class OpinionFormAdmin(AppendOnlyHistoryAdmin):
    list_display = ["step", "kind"]
    inlines = [SlotInline]
    raw_id_fields = ["step"]


@admin.register(Signature)
class SignatureAdmin(AppendOnlyHistoryAdmin):
    """Signatures are evidence: read only here."""

    list_display = ["slot", "signer", "signed_at", "void"]


@admin.register(SignatureSlot)
class SignatureSlotAdmin(AppendOnlyHistoryAdmin):
    list_display = ["form", "role", "user", "unit", "member_unit", "order"]
    list_filter = ["role"]
