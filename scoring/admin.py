from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qianshan.common.admin import ReadOnlyAdmin

from .models import AssessmentStep, ScoringSheet, UnitAssessment


# Sheets and assessments change through the scoring pages (exact totals, workflow steps);
# the admin shows them and their history.
@admin.register(ScoringSheet)
class ScoringSheetAdmin(SimpleHistoryAdmin):
    list_display = ["case", "locality", "year", "version", "status"]
    list_filter = ["year", "version", "status"]
    search_fields = ["case__receipt_no"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "state", "override_kind", "published_score", "published_rank"]
    list_filter = ["year", "state"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssessmentStep)
class AssessmentStepAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "from_state", "to_state", "actor", "at"]
