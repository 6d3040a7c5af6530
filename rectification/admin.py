from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualTarget, Measure, Milestone, RectificationTask


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0


@admin.register(RectificationTask)
class RectificationTaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "inspection", "lead_unit", "deadline", "status"]
    list_filter = ["inspection", "status"]
    search_fields = ["number", "problem"]
    inlines = [AnnualTargetInline, MeasureInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "responsible_unit", "deadline", "done"]
    list_filter = ["kind", "done"]
    inlines = [MilestoneInline]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(SimpleHistoryAdmin):
    list_display = ["task", "year", "reached"]
