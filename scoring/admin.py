from django.contrib import admin

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin, WithdrawableAdmin

from .models import (
    AccountabilityReferral,
    AssessmentDate,
    AssessmentEvent,
    AssessmentStep,
    ScoringSheet,
    UnitAssessment,
)


# Sheets and assessments change through the scoring pages (exact totals, workflow steps);
# the admin shows them and their history, and may only withdraw one with a recorded reason.
@admin.register(ScoringSheet)
class ScoringSheetAdmin(WithdrawableAdmin):
    list_display = ["case", "locality", "year", "version", "status"]
    list_filter = ["year", "version", "status"]
    search_fields = ["case__receipt_no"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(WithdrawableAdmin):
    list_display = ["unit", "year", "state", "published_score", "published_rank"]
    list_filter = ["year", "state"]

    def has_change_permission(self, request, obj=None):
        return False

    def withdrawal_refusal(self, obj):
        if obj.steps.exists():
            return f"“{obj}”已有考核流程记录，不能撤回；请在考核页面按流程退回。"
        return None


@admin.register(AssessmentStep)
class AssessmentStepAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "from_state", "to_state", "actor", "at"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(HistoryAdmin):
    list_display = ["unit", "year", "kind", "occurred_on", "recorded_by", "revoked_at"]
    list_filter = ["year", "kind"]


@admin.register(AssessmentDate)
class AssessmentDateAdmin(HistoryAdmin):
    list_display = ["year", "kind", "due_on", "done_on"]
    list_filter = ["year"]


@admin.register(AccountabilityReferral)
class AccountabilityReferralAdmin(HistoryAdmin):
    list_display = ["unit", "year", "referred_on", "body", "outcome", "outcome_on"]
    list_filter = ["year", "body", "outcome"]
