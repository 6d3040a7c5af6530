import django_filters
from django.db.models import Q
from django.utils import timezone

from org.models import Inspection, Unit
from org.permissions import unit_filter
from qianshan.common.filters import YesNoAllSelect

from .domain.queries import graded_tasks, overdue_task_q
from .enums import TaskGrade, TaskStatus
from .grading import Grade
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
    grade = django_filters.ChoiceFilter(
        label="本年度等次",
        choices=[*TaskGrade.choices, ("none", "未评定")],
        method="filter_grade",
        empty_label="全部等次",
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

    def filter_grade(self, qs, name, value):
        """This year's grade as graded_tasks computes it; "none" = cannot be graded yet (4 queries)."""
        if not value:
            return qs
        keep = [
            t.pk
            for t in graded_tasks(qs, timezone.localdate().year)
            if (t.grade.grade if isinstance(t.grade, Grade) else "none") == value
        ]
        return qs.filter(pk__in=keep)

    def filter_text(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(number__icontains=value) | Q(problem__icontains=value) | Q(responsible_person__icontains=value)
        )
