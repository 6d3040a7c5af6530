from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CaseTransition, PetitionCase, PollutionType


@admin.register(PetitionCase)
class PetitionCaseAdmin(SimpleHistoryAdmin):
    list_display = ["receipt_no", "inspection", "batch", "lead_unit", "state", "deadline", "is_key"]
    list_filter = ["inspection", "state", "is_key", "finding"]
    search_fields = ["receipt_no", "complaint"]
    raw_id_fields = ["related_cases"]
    # State changes go through the case page's transitions, never a raw edit.
    readonly_fields = ["state", "version", "publicity_started_on", "closed_on"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(admin.ModelAdmin):
    list_display = ["case", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PollutionType)
class PollutionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
