from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Holiday, OpinionForm, Signature, SignatureSlot, Step


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(Step)
class StepAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "round", "starts_on", "done_on", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["case__receipt_no"]
    raw_id_fields = ["case"]


class SlotInline(admin.TabularInline):
    model = SignatureSlot
    extra = 0
    raw_id_fields = ["user"]


@admin.register(OpinionForm)
class OpinionFormAdmin(SimpleHistoryAdmin):
    list_display = ["step", "kind"]
    inlines = [SlotInline]
    raw_id_fields = ["step"]


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    """Signatures are evidence: read only here."""

    list_display = ["slot", "signer", "signed_at", "void"]
    readonly_fields = [f.name for f in Signature._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignatureSlot)
class SignatureSlotAdmin(SimpleHistoryAdmin):
    list_display = ["form", "role", "user", "unit", "member_unit", "order"]
    list_filter = ["role"]
