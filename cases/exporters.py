"""The case ledger (台账) and the public disclosure table (公示), as rows for the shared xlsx writer.

Both start from a queryset the caller has already scoped and run a FIXED number of queries,
whatever the number of rows:
- one query per many-to-many column (pollution types, cooperating units, related cases) for the
  whole filtered set, through the join table filtered by ``case IN (<the filtered queryset>)`` as
  a subquery, folded into a dict {case id: "name、name"};
- then one streaming ``.values(...).iterator()`` query for the case rows themselves, with the
  foreign keys' names joined in (a server-side cursor on PostgreSQL, one cursor on SQLite).
No model instances are built and nothing holds all rows at once, so with openpyxl's write-only
mode a 100 000-case export stays within a few hundred MB (bench/cases_ledger.py).
"""

from collections.abc import Iterator
from itertools import groupby

from django.db.models import QuerySet

from qianshan.common.privacy import mask_personal as _mask
from qianshan.common.privacy import people_names

from .enums import CaseState
from .models import PetitionCase

CHUNK = 2000  # rows fetched per round trip of the one streaming query

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


# (many-to-many field, attribute of the other side) of the ledger's joined-name columns.
LEDGER_M2M = (("pollution_types", "name"), ("cooperating_units", "name"), ("related_cases", "receipt_no"))
LEDGER_ORDER = ("inspection_id", "batch", "receipt_no", "pk")
LEDGER_FIELDS = (
    "pk",
    "receipt_no",
    "inspection__name",
    "batch",
    "transferred_on",
    "channel",
    "complaint",
    "locality__name",
    "is_key",
    "lead_unit__name",
    "case_leader",
    "handler",
    "deadline",
    "investigation",
    "finding",
    "handling",
    "accountability",
    "completion_status",
    "state",
    "is_repeat",
    "merge_no",
    *COUNTER_FIELDS,
    "remarks",
)


def _choices(name: str) -> dict:
    return {value: str(label) for value, label in PetitionCase._meta.get_field(name).flatchoices}


def m2m_names(qs: QuerySet, field_name: str, attr: str) -> dict[int, str]:
    """{case id: "a、b"} for one many-to-many field over the whole of ``qs``, in ONE query.

    The join table is filtered by ``case IN (qs)`` as a subquery, so the filtered set is never
    pulled into Python and the query count does not depend on its size. Names come in the other
    model's own ordering, like ``case.<field>.all()`` would give them.
    """
    field = PetitionCase._meta.get_field(field_name)
    through = field.remote_field.through
    src, dst = field.m2m_field_name(), field.m2m_reverse_field_name()
    other_order = [o.lstrip("-") for o in field.related_model._meta.ordering or ["pk"]]
    rows = (
        through.objects.filter(**{f"{src}__in": qs.order_by().values("pk")})
        .order_by(f"{src}_id", *(f"{dst}__{o}" for o in other_order))
        .values_list(f"{src}_id", f"{dst}__{attr}")
        .iterator(chunk_size=CHUNK)
    )
    return {
        case_id: "、".join(str(v[1]) for v in group) for case_id, group in groupby(rows, key=lambda r: r[0])
    }


def ledger_rows(qs: QuerySet, order: tuple[str, ...] = LEDGER_ORDER) -> Iterator[list]:
    """One row per case of ``qs`` in LEDGER_HEADERS order; 1 + len(LEDGER_M2M) queries in all.

    ``order`` is the list's sort (the exported rows come in the order the user saw them).
    """
    names = {field_name: m2m_names(qs, field_name, attr) for field_name, attr in LEDGER_M2M}
    types, cooperating, related = (names[f] for f, _ in LEDGER_M2M)
    channel, finding, completion, state = (
        _choices(n) for n in ("channel", "finding", "completion_status", "state")
    )
    cases = qs.order_by(*order).values(*LEDGER_FIELDS).iterator(chunk_size=CHUNK)
    for seq, c in enumerate(cases, start=1):
        pk = c["pk"]
        yield [
            seq,
            c["receipt_no"],
            c["inspection__name"],
            c["batch"],
            c["transferred_on"],
            channel.get(c["channel"], c["channel"]),
            c["complaint"],
            c["locality__name"] or "",
            types.get(pk, ""),
            "是" if c["is_key"] else "否",
            c["lead_unit__name"] or "",
            cooperating.get(pk, ""),
            c["case_leader"],
            c["handler"],
            c["deadline"],
            c["investigation"],
            finding.get(c["finding"], ""),
            c["handling"],
            c["accountability"],
            completion.get(c["completion_status"], c["completion_status"]),
            state.get(c["state"], c["state"]),
            "是" if c["is_repeat"] else "否",
            related.get(pk, ""),
            c["merge_no"],
            *(c[n] for n in COUNTER_FIELDS),
            c["remarks"],
        ]


def ledger_sheet(qs: QuerySet, order: tuple[str, ...] = LEDGER_ORDER) -> tuple:
    return ("信访案件台账", LEDGER_HEADERS, ledger_rows(qs, order), LEDGER_WIDTHS)


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

# Personal data typed into free text never reaches the public page (qianshan.common.privacy).


PUBLIC_FIELDS = (
    "pk",
    "receipt_no",
    "complaint",
    "locality__name",
    "investigation",
    "finding",
    "handling",
    "accountability",
    "remarks",
)


def public_queryset(inspection, batch=None) -> QuerySet:
    qs = PetitionCase.objects.filter(inspection=inspection, state__in=PUBLIC_STATES)
    if batch:
        qs = qs.filter(batch=batch)
    return qs.order_by("batch", "receipt_no", "pk")


def public_rows(qs: QuerySet) -> Iterator[list]:
    """The published columns only; every free text masked; no contact, handler or leader.

    Two queries whatever the number of rows: the pollution types of the whole set, then the
    streamed case rows.
    """
    types = m2m_names(qs, "pollution_types", "name")
    finding = _choices("finding")
    names = people_names()

    def mask_personal(text):
        return _mask(text, names)

    for seq, c in enumerate(qs.values(*PUBLIC_FIELDS).iterator(chunk_size=CHUNK), start=1):
        yield [
            seq,
            c["receipt_no"],
            mask_personal(c["complaint"]),
            c["locality__name"] or "",
            types.get(c["pk"], ""),
            mask_personal(c["investigation"]),
            finding.get(c["finding"], ""),
            mask_personal(c["handling"]),
            mask_personal(c["accountability"]),
            mask_personal(c["remarks"]),
        ]


def mask_personal(text: str) -> str:
    """Free text as a public page shows it (no names from the database: see public_rows)."""
    return _mask(text)


# --- rebound ledger (反弹台账) -------------------------------------------------------------------
REBOUND_HEADERS = [
    "序号",
    "受理编号",
    "督察",
    "牵头单位",
    "发现日期",
    "来源",
    "分类",
    "反弹情况",
    "处置措施",
    "处置完成日期",
    "当前环节",
    "记录人",
]
REBOUND_WIDTHS = [6, 20, 22, 20, 12, 18, 12, 40, 40, 12, 10, 10]


def rebound_rows(entries: QuerySet) -> Iterator[list]:
    """One row per rebound entry of ``entries`` (already scoped); ONE streamed query."""
    states = _choices("state")
    rows = entries.order_by("-found_on", "-pk").values(
        "case__receipt_no",
        "case__inspection__name",
        "case__lead_unit__name",
        "found_on",
        "visit__draw__month",
        "category__name",
        "description",
        "disposition",
        "resolved_on",
        "case__state",
        "recorded_by__username",
        "recorded_by__full_name",
    )
    for seq, e in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        month = e["visit__draw__month"]
        name = e["recorded_by__full_name"] or e["recorded_by__username"]
        yield [
            seq,
            e["case__receipt_no"],
            e["case__inspection__name"],
            e["case__lead_unit__name"] or "",
            e["found_on"],
            f"{month:%Y-%m}复查回访" if month else "其他途径发现",
            e["category__name"] or "未分类",
            e["description"],
            e["disposition"],
            e["resolved_on"],
            states.get(e["case__state"], e["case__state"]),
            name or "",
        ]


def rebound_sheet(entries: QuerySet) -> tuple:
    return ("信访案件反弹台账", REBOUND_HEADERS, rebound_rows(entries), REBOUND_WIDTHS)
