"""The case ledger (台账) and the public disclosure table (公示), as rows for the shared xlsx writer.

Both start from a queryset the caller has already scoped; rows are fetched in chunks with their
related rows prefetched, so the number of queries does not grow with the rows of a chunk and a
100 000-case export keeps a flat memory profile (openpyxl write-only mode).
"""

import re
from collections.abc import Iterator

from django.db.models import QuerySet

from .enums import CaseState
from .models import PetitionCase

CHUNK = 2000

COUNTER_FIELDS = [
    "ordered_rectify",
    "penalty_cases",
    "fine_amount",
    "criminal_investigations",
    "administrative_detentions",
    "criminal_detentions",
    "interviews",
    "persons_held_accountable",
]


def _label(name: str) -> str:
    return str(PetitionCase._meta.get_field(name).verbose_name)


LEDGER_HEADERS = [
    "序号",
    "受理编号",
    "督察",
    "交办批次",
    "交办日期",
    "举报方式",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "是否重点件",
    "牵头责任单位",
    "配合单位",
    "包案领导",
    "具体负责人",
    "整改时限",
    "调查核实情况",
    "是否属实",
    "处理和整改情况",
    "问责情况",
    "办结状态",
    "当前环节",
    "是否重复",
    "重复关联件编号",
    "合并编号",
    *(_label(n) for n in COUNTER_FIELDS),
    "备注",
]
LEDGER_WIDTHS = [6, 20, 22, 8, 12, 8, 50, 12, 14, 8, 24, 24, 10, 10, 12, 40, 10, 40, 24, 10, 10, 8, 20, 12]
LEDGER_WIDTHS += [12] * len(COUNTER_FIELDS) + [24]


def ledger_queryset(qs: QuerySet) -> QuerySet:
    return (
        qs.select_related("inspection", "locality", "lead_unit")
        .prefetch_related("pollution_types", "cooperating_units", "related_cases")
        .order_by("inspection_id", "batch", "receipt_no", "pk")
    )


def _names(items) -> str:
    return "、".join(str(i) for i in items)


def ledger_rows(qs: QuerySet) -> Iterator[list]:
    for seq, c in enumerate(ledger_queryset(qs).iterator(chunk_size=CHUNK), start=1):
        yield [
            seq,
            c.receipt_no,
            c.inspection.name,
            c.batch,
            c.transferred_on,
            c.get_channel_display(),
            c.complaint,
            c.locality.name if c.locality else "",
            _names(c.pollution_types.all()),
            "是" if c.is_key else "否",
            c.lead_unit.name if c.lead_unit else "",
            _names(u.name for u in c.cooperating_units.all()),
            c.case_leader,
            c.handler,
            c.deadline,
            c.investigation,
            c.get_finding_display() if c.finding else "",
            c.handling,
            c.accountability,
            c.get_completion_status_display(),
            c.get_state_display(),
            "是" if c.is_repeat else "否",
            _names(r.receipt_no for r in c.related_cases.all()),
            c.merge_no,
            *(getattr(c, n) for n in COUNTER_FIELDS),
            c.remarks,
        ]


def ledger_sheet(qs: QuerySet) -> tuple:
    return ("信访案件台账", LEDGER_HEADERS, ledger_rows(qs), LEDGER_WIDTHS)


# --- public disclosure ---------------------------------------------------------------------------
PUBLIC_STATES = (CaseState.PUBLICIZED, CaseState.CLOSED, CaseState.FILED)
PUBLIC_HEADERS = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "调查核实情况",
    "是否属实",
    "处理和整改情况",
    "问责情况",
    "备注",
]
PUBLIC_WIDTHS = [6, 20, 50, 12, 14, 50, 10, 50, 30, 20]

# Personal data typed into free text never reaches the public page: phone numbers and ID numbers.
_PERSONAL_RE = re.compile(r"(?<!\d)(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\d{17}[\dXx]|0\d{2,3}-?\d{7,8})(?!\d)")


def mask_personal(text: str) -> str:
    return _PERSONAL_RE.sub("＊＊＊", text or "")


def public_queryset(inspection, batch=None) -> QuerySet:
    qs = PetitionCase.objects.filter(inspection=inspection, state__in=PUBLIC_STATES)
    if batch:
        qs = qs.filter(batch=batch)
    return qs.select_related("locality").prefetch_related("pollution_types").order_by("batch", "receipt_no")


def public_rows(qs: QuerySet) -> Iterator[list]:
    """The published columns only; every free text masked; no contact, handler or leader."""
    for seq, c in enumerate(qs, start=1):
        yield [
            seq,
            c.receipt_no,
            mask_personal(c.complaint),
            c.locality.name if c.locality else "",
            _names(c.pollution_types.all()),
            mask_personal(c.investigation),
            c.get_finding_display() if c.finding else "",
            mask_personal(c.handling),
            mask_personal(c.accountability),
            mask_personal(c.remarks),
        ]
