from django.contrib import admin

from qianshan.common.admin import HistoryAdmin

from .models import DisciplineInspection, FollowUpItem, LeaderAssignment, Meeting, SpecialInspection


class RecordedByAdmin(HistoryAdmin):
    """记录人 is whoever adds the row in the admin."""

    def save_model(self, request, obj, form, change):
        if not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Meeting)
class MeetingAdmin(RecordedByAdmin):
    list_display = ["held_on", "kind", "title", "studies_environment"]
    list_filter = ["kind", "studies_environment"]
    # The minutes are checked by content on the meeting page; the admin shows them, never replaces them.
    readonly_fields = ["minutes", "minutes_name", "minutes_type", "minutes_sha256", "recorded_by"]
    filter_horizontal = ["approved_inspections", "units"]


@admin.register(LeaderAssignment)
class LeaderAssignmentAdmin(RecordedByAdmin):
    list_display = ["leader", "unit", "starts_on", "ends_on", "duty"]
    list_filter = ["leader"]
    readonly_fields = ["recorded_by"]


class FollowUpInline(admin.TabularInline):
    model = FollowUpItem
    extra = 0
    fields = ["description", "unit", "task", "case", "deadline", "state", "resolved_on"]
    raw_id_fields = ["task", "case"]


@admin.register(DisciplineInspection)
class DisciplineInspectionAdmin(RecordedByAdmin):
    list_display = ["inspected_on", "inspectors"]
    readonly_fields = ["recorded_by"]
    filter_horizontal = ["units"]
    inlines = [FollowUpInline]


@admin.register(SpecialInspection)
class SpecialInspectionAdmin(RecordedByAdmin):
    list_display = ["title", "area", "field", "starts_on", "ends_on"]
    readonly_fields = ["recorded_by"]
    filter_horizontal = ["units"]
    inlines = [FollowUpInline]


@admin.register(FollowUpItem)
class FollowUpItemAdmin(HistoryAdmin):
    list_display = ["description", "unit", "state", "deadline", "resolved_on"]
    list_filter = ["state"]
    raw_id_fields = ["task", "case"]
