import django_filters
from django.conf import settings
from django.forms import DateInput

from org.models import Inspection, Unit
from org.permissions import inline_unit_filter, unit_filter
from qianshan.common.choices import units_matching
from qianshan.common.filters import YesNoAllSelect
from qianshan.common.listing import keyword_q

from .domain.queries import (
    changed_on_q,
    due_soon_q,
    finished_case_q,
    open_case_q,
    overdue_as_of_q,
    overdue_q,
)
from .enums import CaseState, CompletionStatus
from .models import PetitionCase, PollutionType
from .sorting import CASE_KEYWORD_FIELDS


class CaseFilter(django_filters.FilterSet):
    inspection = django_filters.ModelChoiceFilter(
        label="督察", queryset=Inspection.objects.all(), empty_label="全部督察"
    )
    batch = django_filters.NumberFilter(label="交办批次")
    state = django_filters.ChoiceFilter(label="当前环节", choices=CaseState.choices, empty_label="全部环节")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位", queryset=Unit.objects.all(), method="filter_unit", empty_label="全部单位"
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位", queryset=Unit.objects.all(), empty_label="全部牵头单位"
    )
    locality = django_filters.ModelChoiceFilter(
        label="行政区域", queryset=Unit.objects.filter(kind="region"), empty_label="全部区域"
    )
    pollution_type = django_filters.ModelChoiceFilter(
        label="污染类型",
        queryset=PollutionType.objects.all(),
        field_name="pollution_types",
        empty_label="全部类型",
    )
    is_key = django_filters.BooleanFilter(label="重点件", widget=YesNoAllSelect)
    transferred_from = django_filters.DateFilter(
        label="交办日期起",
        field_name="transferred_on",
        lookup_expr="gte",
        widget=DateInput(attrs={"type": "date"}),
    )
    transferred_to = django_filters.DateFilter(
        label="交办日期止",
        field_name="transferred_on",
        lookup_expr="lte",
        widget=DateInput(attrs={"type": "date"}),
    )
    closed_from = django_filters.DateFilter(
        label="销号日期起",
        field_name="closed_on",
        lookup_expr="gte",
        widget=DateInput(attrs={"type": "date"}),
    )
    closed_to = django_filters.DateFilter(
        label="销号日期止",
        field_name="closed_on",
        lookup_expr="lte",
        widget=DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label="逾期", widget=YesNoAllSelect, method="filter_overdue")
    # The filters the dashboard and home-page figures link to, one per status definition.
    finished = django_filters.BooleanFilter(label="已办结", widget=YesNoAllSelect, method="filter_finished")
    due_soon = django_filters.BooleanFilter(
        label=f"{settings.DUE_SOON_DAYS}日内到期", widget=YesNoAllSelect, method="filter_due_soon"
    )
    overdue_on = django_filters.DateFilter(
        label="截至该日逾期",
        method="filter_overdue_on",
        widget=DateInput(attrs={"type": "date"}),
        help_text="该日结束时已过整改时限且尚未办结的案件（逾期趋势图各点）",
    )
    # The filters the stored reports' figures link to.
    completion_status = django_filters.ChoiceFilter(
        label="办结状态", choices=CompletionStatus.choices, empty_label="全部办结状态"
    )
    changed_on = django_filters.DateFilter(
        label="当日有流转",
        method="filter_changed_on",
        widget=DateInput(attrs={"type": "date"}),
        help_text="该日有环节流转的案件（按日调度的“昨日变化”）",
    )
    q = django_filters.CharFilter(label="关键字", method="filter_text")

    class Meta:
        model = PetitionCase
        fields = ["inspection", "batch", "state", "unit", "locality", "pollution_type", "is_key"]

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        # EXISTS on the cooperating units, not a join: one row per case, so counts stay right.
        return qs.filter(unit_filter([value.pk], ("lead_unit", "cooperating_units"), qs.model))

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())

    def filter_finished(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(finished_case_q()) if value else qs.filter(open_case_q())

    def filter_due_soon(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(due_soon_q()) if value else qs.exclude(due_soon_q())

    def filter_overdue_on(self, qs, name, value):
        return qs.filter(overdue_as_of_q(value)) if value else qs

    def filter_changed_on(self, qs, name, value):
        return qs.filter(changed_on_q(value)) if value else qs

    def filter_text(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # A unit (lead, cooperating, locality) whose name contains the keyword, or 受理编号, the
        # complaint text (which holds the place/address), the handler — bigram and pg_trgm
        # indexes. PostgreSQL ORs one bitmap index scan per branch (inline_unit_filter: the
        # cooperating units' cases as an array, where an EXISTS branch made it read every row);
        # the unit branches come first, so a row they match skips the keyword's text tests.
        q = keyword_q(value, CASE_KEYWORD_FIELDS, bigram_indexed=True)
        units = units_matching(value)
        if units:
            q = inline_unit_filter(units, ("lead_unit", "locality", "cooperating_units"), qs.model) | q
        return qs.filter(q)
