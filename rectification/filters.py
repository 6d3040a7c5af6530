import django_filters
from django.conf import settings
from django.db.models import Q
from django.forms import DateInput
from django.utils import timezone

from org.models import Inspection, Unit
from org.permissions import unit_filter
from qianshan.common.choices import units_matching
from qianshan.common.filters import YesNoAllSelect

from .domain.queries import (
    GRADE_NONE,
    ON_TIME,
    changed_on_task_q,
    due_soon_task_q,
    finished_task_q,
    grade_expression,
    open_task_q,
    overdue_task_q,
    schedule_status_q,
)
from .enums import ScheduleStatus, TaskGrade, TaskStatus
from .models import RectificationTask


class TaskFilter(django_filters.FilterSet):
    inspection = django_filters.ModelChoiceFilter(
        label="督察", queryset=Inspection.objects.all(), empty_label="全部督察"
    )
    status = django_filters.ChoiceFilter(label="任务状态", choices=TaskStatus.choices, empty_label="全部状态")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位", queryset=Unit.objects.all(), method="filter_unit", empty_label="全部单位"
    )
    overdue = django_filters.BooleanFilter(label="逾期", widget=YesNoAllSelect, method="filter_overdue")
    finished = django_filters.BooleanFilter(label="已完成", widget=YesNoAllSelect, method="filter_finished")
    # The filters the dashboard and home-page figures link to, one per status definition.
    schedule = django_filters.ChoiceFilter(
        label="序时进度",
        choices=[*ScheduleStatus.choices, (ON_TIME, "已完成或按序时推进")],
        method="filter_schedule",
        empty_label="全部进度",
    )
    due_soon = django_filters.BooleanFilter(
        label=f"{settings.DUE_SOON_DAYS}日内到期", widget=YesNoAllSelect, method="filter_due_soon"
    )
    grade = django_filters.ChoiceFilter(
        label="本年度等次",
        choices=[*TaskGrade.choices, (GRADE_NONE, "未评定")],
        method="filter_grade",
        empty_label="全部等次",
    )
    # The filters the stored reports' figures link to.
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位", queryset=Unit.objects.all(), empty_label="全部牵头单位"
    )
    changed_on = django_filters.DateFilter(
        label="当日有更新",
        method="filter_changed_on",
        widget=DateInput(attrs={"type": "date"}),
        help_text="该日任务、措施、时间节点或整改进展有更新（按日调度的“昨日变化”）",
    )
    q = django_filters.CharFilter(label="关键字", method="filter_text")

    class Meta:
        model = RectificationTask
        fields = ["inspection", "status", "unit"]

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(unit_filter([value.pk], ("lead_unit", "cooperating_units"), qs.model))

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_task_q()) if value else qs.exclude(overdue_task_q())

    def filter_finished(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(finished_task_q()) if value else qs.filter(open_task_q())

    def filter_schedule(self, qs, name, value):
        return qs.filter(schedule_status_q(value)) if value else qs

    def filter_due_soon(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(due_soon_task_q()) if value else qs.exclude(due_soon_task_q())

    def filter_grade(self, qs, name, value):
        """This year's grade (grade_expression, SQL); "none" = cannot be graded yet."""
        if not value:
            return qs
        return qs.alias(grade_now=grade_expression(timezone.localdate().year)).filter(grade_now=value)

    def filter_changed_on(self, qs, name, value):
        return qs.filter(changed_on_task_q(value)) if value else qs

    def filter_text(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # 编号, the problem text, the responsible person (pg_trgm indexes), or a unit (lead,
        # cooperating) whose name contains the keyword — matched first, then filtered by ids.
        q = Q(number__icontains=value) | Q(problem__icontains=value) | Q(responsible_person__icontains=value)
        units = units_matching(value)
        if units:
            q |= unit_filter(units, ("lead_unit", "cooperating_units"), qs.model)
        return qs.filter(q)
