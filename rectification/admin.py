from django.contrib import admin

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin

from .models import (
    AnnualTarget,
    Attachment,
    LookBackCheck,
    Measure,
    Milestone,
    ProgressReport,
    RectificationTask,
    TaskReboundEntry,
    TaskStepRecord,
)


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0


@admin.register(RectificationTask)
class RectificationTaskAdmin(HistoryAdmin):
    list_display = ["number", "inspection", "lead_unit", "deadline", "status"]
    list_filter = ["inspection", "status"]
    search_fields = ["number", "problem"]
    inlines = [AnnualTargetInline, MeasureInline]
    # The status changes only through the close-out steps (rectification.domain), each logged.
    readonly_fields = ["status"]

    def has_delete_permission(self, request, obj=None):
        return False  # its close-out steps are the record


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["__str__", "kind", "responsible_unit", "deadline", "done"]
    list_filter = ["kind", "done"]
    inlines = [MilestoneInline]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(HistoryAdmin):
    list_display = ["task", "year", "reached"]


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["measure", "due", "description", "done_on"]


# --- progress, look-back checks, evidence and close-out log: written by the domain -------------
@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["task", "measure", "reported_on", "percent", "reported_by"]


@admin.register(LookBackCheck)
class LookBackCheckAdmin(ReadOnlyAdmin):
    list_display = ["measure", "checked_on", "inspector", "result"]
    list_filter = ["result"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "size", "uploaded_by"]


@admin.register(TaskStepRecord)
class TaskStepRecordAdmin(ReadOnlyAdmin):
    list_display = ["task", "step", "from_status", "to_status", "actor", "at"]


@admin.register(TaskReboundEntry)
class TaskReboundEntryAdmin(ReadOnlyAdmin):
    list_display = ["task", "found_on", "category", "resolved_on"]
    list_filter = ["category"]
