from django.contrib import admin

from qianshan.common.admin import AppendOnlyHistoryAdmin, HistoryAdmin, ReadOnlyAdmin

from .models import (
    Attachment,
    CaseTally,
    CaseTransition,
    InvestigationPoint,
    PetitionCase,
    PollutionTally,
    PollutionType,
    ProgressEntry,
    ReboundCategory,
    ReboundEntry,
    RecheckDraw,
    RecheckVisit,
    TransferSheetImport,
)


@admin.register(PetitionCase)
class PetitionCaseAdmin(HistoryAdmin):
    list_display = ["receipt_no", "inspection", "batch", "lead_unit", "state", "deadline", "is_key"]
    list_filter = ["inspection", "state", "is_key", "finding"]
    search_fields = ["receipt_no", "complaint"]
    raw_id_fields = ["related_cases"]
    # State changes go through the case page's transitions, never a raw edit.
    readonly_fields = ["state", "version", "publicity_started_on", "closed_on"]

    def has_delete_permission(self, request, obj=None):
        return False  # a case's transitions, steps and sheets are the record; it is never deleted


@admin.register(CaseTransition)
class CaseTransitionAdmin(AppendOnlyHistoryAdmin):
    list_display = ["case", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state"]


@admin.register(PollutionType)
class PollutionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]


# --- evidence, progress, re-checks and imports: written by the domain, read-only here -------------
@admin.register(InvestigationPoint)
class InvestigationPointAdmin(HistoryAdmin):
    list_display = ["case", "seq", "content", "is_true", "is_resolved"]
    search_fields = ["case__receipt_no", "content"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "happened_on", "actor", "created_at"]
    search_fields = ["case__receipt_no", "text"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "photo_stage", "title", "sha256"]
    list_filter = ["kind"]
    search_fields = ["case__receipt_no", "title", "sha256"]


@admin.register(RecheckDraw)
class RecheckDrawAdmin(ReadOnlyAdmin):
    list_display = ["month", "seed", "population_size", "sample_size", "drawn_by", "drawn_at"]


@admin.register(RecheckVisit)
class RecheckVisitAdmin(ReadOnlyAdmin):
    list_display = ["draw", "case", "visited_on", "visitor", "result"]
    list_filter = ["result"]


@admin.register(ReboundEntry)
class ReboundEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "found_on", "disposition", "resolved_on"]


@admin.register(TransferSheetImport)
class TransferSheetImportAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "batch", "original_name", "state", "uploaded_by", "sha256"]
    list_filter = ["state"]


@admin.register(ReboundCategory)
class ReboundCategoryAdmin(HistoryAdmin):
    """反弹分类: the office renames the built-in ones and adds its own; built-in codes stay."""

    list_display = ["name", "code", "description", "sort_order", "is_builtin", "is_active"]
    list_editable = ["sort_order", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "is_builtin"] if obj is not None and obj.is_builtin else ["is_builtin"]

    def has_delete_permission(self, request, obj=None):
        # A built-in code is used by the re-check and look-back rebounds; one in use is the record.
        if obj is not None and (obj.is_builtin or obj.case_entries.exists() or obj.task_entries.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CaseTally)
class CaseTallyAdmin(ReadOnlyAdmin):
    """The trigger-kept case counts (cases.domain.tallies): shown for checking, never edited."""

    list_display = ["lead_unit_id", "state", "n"]
    list_filter = ["state"]


@admin.register(PollutionTally)
class PollutionTallyAdmin(ReadOnlyAdmin):
    list_display = ["pollutiontype_id", "n"]
