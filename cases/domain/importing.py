"""Import of the inspection team's transfer sheets (交办单 / 一览表, .xlsx) — and of our own ledger.

Columns are found by their header text in any order, below any title rows. Rows are keyed by
(inspection, 受理编号): a row for a new number creates a case in "received"; a row for a known
number updates only the cells that differ (with history), so importing the same file again
changes nothing. An empty cell never clears what the units have recorded — a re-import of the
original sheet must not wipe their work. Import never changes a case's state.

Any bad row makes the whole file save nothing; every problem is reported with row, column, value.
"""

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from org.domain.units import unit_lookup
from org.models import Inspection
from qianshan.common import sheets
from qianshan.common.excel import neutralise_formulas
from qianshan.common.sheets import normalise, parse_date

from ..enums import Channel, CompletionStatus, Finding, ImportState
from ..models import PetitionCase, PollutionType, TransferSheetImport
from .errors import DomainError
from .evidence import link_repeat_originals
from .hooks import facts_changed

HEADER_SCAN_ROWS = 20
FILE_LEVEL_ROW = 0


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    col_index: int | None = None  # 1-based, for marking the cell in the error workbook

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class RowPlan:
    row: int
    receipt_no: str
    action: str  # create / update / unchanged
    values: dict = field(default_factory=dict)  # field → new value (what differs)
    m2m: dict = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # labels of changed fields (for the preview)


@dataclass
class ImportReport:
    plans: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    batch: int | None = None
    # receipt no. → the inspection's cases as plan_import loaded them (reused when applying)
    existing: dict[str, PetitionCase] = field(default_factory=dict, repr=False)

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    def as_dict(self) -> dict:
        return {
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "errors": [p.as_dict() for p in self.problems],
        }


# --- cell parsers: (value, context) → parsed, or raise ValueError("Chinese message") ----------
def _text(value, ctx):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, ctx):
    return parse_date(value)  # the shared reading of the five date forms and Excel serials


def _choice(labels: dict[str, str], what: str) -> Callable:
    def parse(value, ctx):
        text = _text(value, ctx)
        if text in labels:
            return labels[text]
        raise ValueError(f"“{text}”不是有效的{what}，应为：" + "、".join(k for k in labels if len(k) > 1))

    return parse


YES_NO = {"是": True, "否": False, "Y": True, "N": False, "√": True}


def _bool(value, ctx):
    text = _text(value, ctx)
    if text in YES_NO:
        return YES_NO[text]
    raise ValueError(f"“{text}”应为“是”或“否”")


def _int(value, ctx):
    if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
        return int(value)
    text = _text(value, ctx)
    if text.isdigit():
        return int(text)
    raise ValueError(f"“{text}”不是非负整数")


def _batch(value, ctx):
    text = _text(value, ctx)
    match = re.fullmatch(r"第?\s*(\d+)\s*批?", text)
    if match:
        return int(match.group(1))
    raise ValueError(f"“{text}”不是有效的批次")


def _decimal(value, ctx):
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or number < 0 or not number.is_finite():
        raise ValueError(f"“{value}”不是非负数")
    return number.quantize(Decimal("0.01"))


SPLIT_RE = re.compile(r"[、，,/；;\s]+")


def _unit(value, ctx):
    text = _text(value, ctx)
    unit = ctx["units"].get(normalise(text))
    if unit is None:
        raise ValueError(f"“{text}”与系统中任何单位的名称或别名都不匹配")
    return unit


def _units(value, ctx):
    return [_unit(part, ctx) for part in SPLIT_RE.split(_text(value, ctx)) if part]


POLLUTION_SYNONYMS = {"噪音": "噪声", "固体废物": "固废", "废气": "大气", "空气": "大气", "臭气": "异味"}


def _pollution(value, ctx):
    found = []
    for part in SPLIT_RE.split(_text(value, ctx)):
        if not part:
            continue
        name = POLLUTION_SYNONYMS.get(part, part)
        ptype = ctx["pollution"].get(name) or ctx["pollution"].get(name.removesuffix("污染"))
        if ptype is None:
            vocab = "、".join(ctx["pollution"])
            raise ValueError(f"污染类型“{part}”不在词表中（{vocab}）")
        if ptype not in found:
            found.append(ptype)
    return found


def _receipts(value, ctx):
    return [part for part in SPLIT_RE.split(_text(value, ctx)) if part]


FINDING_LABELS = {label: value for value, label in Finding.choices}
COMPLETION_LABELS = {label: value for value, label in CompletionStatus.choices} | {
    "是": CompletionStatus.DONE,
    "否": CompletionStatus.IN_PROGRESS,
    "办结": CompletionStatus.DONE,
    "未办结": CompletionStatus.IN_PROGRESS,
}
CHANNEL_LABELS = {label: value for value, label in Channel.choices}


@dataclass(frozen=True)
class Column:
    key: str
    parse: Callable | None  # None: recognised and ignored
    headers: tuple[str, ...]


COUNTERS = [
    ("ordered_rectify", "责令整改（家次）"),
    ("penalty_cases", "立案处罚（家次）"),
    ("fine_amount", "罚款金额（万元）"),
    ("criminal_investigations", "立案侦查（件次）"),
    ("administrative_detentions", "行政拘留（人次）"),
    ("criminal_detentions", "刑事拘留（人次）"),
    ("interviews", "约谈（人次）"),
    ("persons_held_accountable", "问责（人次）"),
]

COLUMNS = [
    Column("seq", None, ("序号",)),
    Column("state", None, ("当前环节",)),
    Column("inspection", _text, ("督察",)),
    Column("receipt_no", _text, ("受理编号",)),
    Column("batch", _batch, ("交办批次", "批次")),
    Column("transferred_on", _date, ("交办日期", "转办日期")),
    Column("channel", _choice(CHANNEL_LABELS, "举报方式"), ("举报方式", "来源方式")),
    Column("complaint", _text, ("交办问题基本情况", "举报内容", "信访问题基本情况")),
    Column("locality", _unit, ("行政区域", "所属区域")),
    Column("pollution_types", _pollution, ("污染类型",)),
    Column("is_key", _bool, ("是否重点件", "重点件")),
    Column("lead_unit", _unit, ("牵头责任单位", "责任单位")),
    Column("cooperating_units", _units, ("配合单位",)),
    Column("case_leader", _text, ("包案领导",)),
    Column("handler", _text, ("具体负责人",)),
    Column("deadline", _date, ("整改时限",)),
    Column("investigation", _text, ("调查核实情况",)),
    Column("finding", _choice(FINDING_LABELS, "核实结论"), ("是否属实",)),
    Column("handling", _text, ("处理和整改情况",)),
    Column("accountability", _text, ("问责情况",)),
    Column("completion_status", _choice(COMPLETION_LABELS, "办结状态"), ("办结状态", "是否办结")),
    Column("is_repeat", _bool, ("是否重复", "是否重复件")),
    Column("related", _receipts, ("重复关联件编号", "重复关联件")),
    Column("merge_no", _text, ("合并编号",)),
    *(Column(key, _decimal if key == "fine_amount" else _int, (label,)) for key, label in COUNTERS),
    Column("remarks", _text, ("备注",)),
]
M2M_KEYS = {"pollution_types", "cooperating_units"}
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS if column.parse is not None}
REQUIRED_HEADERS = ("受理编号", "交办问题基本情况")


HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _header in _column.headers:
        HEADER_INDEX[normalise(_header)] = _column
        HEADER_INDEX[normalise(_header).split("（")[0]] = _column


# --- reading the workbook ------------------------------------------------------------------------
@dataclass
class Sheet:
    header_row: int
    columns: dict[int, tuple[Column, str]]  # 1-based column → (column, header text as written)
    rows: list[tuple[int, tuple]]  # (Excel row number, cell values)
    title_text: str


def read_sheet(data: bytes) -> Sheet:
    """The header and the data rows of the first worksheet; DomainError for a file-level problem."""
    all_rows = sheets.read_rows(data)  # not an .xlsx / an empty sheet: DomainError
    for index, (number, cells) in enumerate(all_rows[:HEADER_SCAN_ROWS]):
        headers = [normalise(c) for c in cells]
        if "受理编号" in headers:
            missing = [h for h in REQUIRED_HEADERS if h not in headers and not _has_alias(h, headers)]
            if missing:
                break
            columns = {}
            for col, (text, raw) in enumerate(zip(headers, cells, strict=True), start=1):
                column = HEADER_INDEX.get(text) or HEADER_INDEX.get(text.split("（")[0])
                if column is not None and column.parse is not None:
                    columns[col] = (column, str(raw).strip())
            title = " ".join(str(v) for _, r in all_rows[:index] for v in r if v)
            return Sheet(number, columns, all_rows[index + 1 :], title)
    raise DomainError(
        "未找到表头：前 20 行中须有一行包含“受理编号”和“交办问题基本情况”两列（列的顺序不限）。"
    )


def _has_alias(header: str, headers: list[str]) -> bool:
    column = HEADER_INDEX[header]
    return any(normalise(h) in headers for h in column.headers)


# --- the stored parse: the workbook is read once, at upload ---------------------------------------
_TYPES = {"dt": datetime, "d": date, "t": time}


def _cell_to_json(value):
    for tag, kind in _TYPES.items():  # datetime before date: a datetime is a date too
        if isinstance(value, kind):
            return {"$": tag, "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$": "td", "v": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$": "dec", "v": str(value)}
    return value


def _cell_from_json(value):
    if not isinstance(value, dict):
        return value
    tag, raw = value["$"], value["v"]
    if tag == "td":
        return timedelta(seconds=raw)
    if tag == "dec":
        return Decimal(raw)
    return _TYPES[tag].fromisoformat(raw)


def parse_to_json(data: bytes) -> dict:
    """The workbook read once, as JSON: the mapped columns of every data row, or the file-level error."""
    try:
        sheet = read_sheet(data)
    except DomainError as exc:
        return {"error": exc.message}
    cols = sorted(sheet.columns)
    return {
        "header_row": sheet.header_row,
        "title": sheet.title_text,
        "columns": [[col, sheet.columns[col][0].key, sheet.columns[col][1]] for col in cols],
        "rows": [
            [number, {str(col): _cell_to_json(cells[col - 1]) for col in cols if col - 1 < len(cells)}]
            for number, cells in sheet.rows
        ],
    }


def sheet_from_json(parsed: dict) -> Sheet:
    """The Sheet ``parse_to_json`` stored; DomainError for the file-level error it recorded."""
    if "error" in parsed:
        raise DomainError(parsed["error"])
    columns = {col: (COLUMNS_BY_KEY[key], header) for col, key, header in parsed["columns"]}
    width = max(columns, default=0)
    rows = []
    for number, cells in parsed["rows"]:
        values = [None] * width
        for col, value in cells.items():
            values[int(col) - 1] = _cell_from_json(value)
        rows.append((number, tuple(values)))
    return Sheet(parsed["header_row"], columns, rows, parsed["title"])


def plan_parsed(parsed: dict, inspection: Inspection, *, batch: int | None = None) -> ImportReport:
    """As ``plan_import``, from the stored parse (the workbook is not read again)."""
    report = ImportReport()
    try:
        sheet = sheet_from_json(parsed)
    except DomainError as exc:
        report.problems.append(Problem(FILE_LEVEL_ROW, "", "", exc.message))
        return report
    return plan_sheet(sheet, inspection, batch=batch, report=report)


def stored_parse(record: TransferSheetImport) -> dict:
    """The record's stored parse; a record from before it was stored is read once and kept."""
    if record.parsed is None:
        try:
            with record.file.open("rb") as f:
                data = f.read()
        except OSError:
            return {"error": "上传的交办单文件已不在服务器上，请重新上传。"}
        record.parsed = parse_to_json(data)
        TransferSheetImport.objects.filter(pk=record.pk).update(parsed=record.parsed)
    return record.parsed


def _context(inspection: Inspection) -> dict:
    return {
        "units": unit_lookup(),  # normalised name, short name or alias → active unit
        "pollution": {p.name: p for p in PollutionType.objects.all()},
        "inspection": inspection,
    }


# --- planning ------------------------------------------------------------------------------------
def plan_import(data: bytes, inspection: Inspection, *, batch: int | None = None) -> ImportReport:
    """Read and check the whole file; what it would create/update, and every problem. Writes nothing."""
    return plan_parsed(parse_to_json(data), inspection, batch=batch)


def plan_sheet(
    sheet: Sheet, inspection: Inspection, *, batch: int | None = None, report: ImportReport | None = None
) -> ImportReport:
    """Check the rows of a read sheet (from a file, or built by the API from JSON rows)."""
    report = report or ImportReport()
    title_batch = re.search(r"第\s*(\d+)\s*批", sheet.title_text)
    report.batch = batch or (int(title_batch.group(1)) if title_batch else None)
    ctx = _context(inspection)
    existing = report.existing = {
        c.receipt_no: c
        for c in PetitionCase.objects.filter(inspection=inspection).prefetch_related(
            "pollution_types", "cooperating_units", "related_cases"
        )
    }
    parsed_rows = _parse_rows(sheet, ctx, report)
    seen: dict[str, int] = {}
    for number, values, receipt_col in parsed_rows:
        receipt_no = values.get("receipt_no", "")
        if not receipt_no:
            report.problems.append(Problem(number, "受理编号", "", "缺少受理编号", receipt_col))
            continue
        if receipt_no in seen:
            message = f"受理编号与第 {seen[receipt_no]} 行重复"
            report.problems.append(Problem(number, "受理编号", receipt_no, message, receipt_col))
            continue
        seen[receipt_no] = number
        report.plans.append(_plan_row(number, values, existing.get(receipt_no), report))
    known = set(existing) | set(seen)
    for plan in report.plans:
        for other in plan.related:
            if other not in known:
                message = f"重复关联件“{other}”在本督察中不存在"
                report.problems.append(Problem(plan.row, "重复关联件编号", other, message))
    return report


def _parse_rows(sheet: Sheet, ctx: dict, report: ImportReport):
    inspection = ctx["inspection"]
    for number, cells in sheet.rows:
        values, receipt_col = {}, None
        for col, (column, header) in sheet.columns.items():
            raw = cells[col - 1] if col - 1 < len(cells) else None
            if column.key == "receipt_no":
                receipt_col = col
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                value = column.parse(raw, ctx)
            except ValueError as exc:
                report.problems.append(Problem(number, header, _show(raw), str(exc), col))
                continue
            if column.key == "inspection":
                if value not in (inspection.name, inspection.code):
                    message = f"督察“{value}”与所选督察“{inspection.name}”不符"
                    report.problems.append(Problem(number, header, value, message, col))
                continue
            values[column.key] = value
        if "batch" not in values and report.batch:
            values["batch"] = report.batch
        yield number, values, receipt_col


def _show(raw) -> str:
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d")
    return str(raw)


def _plan_row(number: int, values: dict, case: PetitionCase | None, report: ImportReport) -> RowPlan:
    receipt_no = values.pop("receipt_no")
    related = values.pop("related", [])
    m2m = {k: values.pop(k) for k in list(values) if k in M2M_KEYS}
    if case is None:
        if not values.get("complaint"):
            message = "新案件须填写交办问题基本情况"
            report.problems.append(Problem(number, "交办问题基本情况", "", message))
        if related:
            values["is_repeat"] = True
        return RowPlan(number, receipt_no, "create", values, m2m, related, ["新建"])
    changed = {k: v for k, v in values.items() if getattr(case, k) != v}
    changed_m2m = {
        k: v for k, v in m2m.items() if {o.pk for o in getattr(case, k).all()} != {o.pk for o in v}
    }
    current_related = {c.receipt_no for c in case.related_cases.all()}
    new_related = [r for r in related if r not in current_related]
    labels = [str(PetitionCase._meta.get_field(k).verbose_name) for k in [*changed, *changed_m2m]]
    if new_related:
        labels.append("重复关联件")
    action = "update" if labels else "unchanged"
    return RowPlan(number, receipt_no, action, changed, changed_m2m, new_related, labels)


# --- applying ------------------------------------------------------------------------------------
def import_cases(
    data: bytes, inspection: Inspection, *, actor, batch: int | None = None, dry_run: bool = False
) -> ImportReport:
    """Plan and, when the file has no problem at all and it is not a dry run, save it in one transaction."""
    return apply_report(plan_import(data, inspection, batch=batch), inspection, actor=actor, dry_run=dry_run)


def apply_report(
    report: ImportReport, inspection: Inspection, *, actor, dry_run: bool = False, progress=None
) -> ImportReport:
    """Save a plan that has no problem at all (unless a dry run), in one transaction.

    ``progress`` (a background job's, see notifications.domain.background.Progress) counts the
    rows written."""
    if report.problems or dry_run:
        return report
    try:
        with transaction.atomic():
            _apply(report, inspection, actor, progress=progress)
    except IntegrityError as exc:  # someone imported the same numbers a moment ago
        raise DomainError("导入时案件已被他人同时导入或修改，请重新上传预览。") from exc
    return report


def sheet_of_records(records: list[dict]) -> Sheet:
    """A Sheet from records keyed by column key (``receipt_no``, ``deadline`` …), so that cases
    sent as data (the exchange API) are checked by exactly the parsers and rules of the file
    import. Row numbers are 1-based positions in ``records``; a list value is joined with 、."""
    columns = {i: (column, column.key) for i, column in enumerate(COLUMNS_BY_KEY.values(), start=1)}
    rows = []
    for number, record in enumerate(records, start=1):
        cells = []
        for column, _ in columns.values():
            value = record.get(column.key)
            if isinstance(value, list | tuple):
                value = "、".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
            cells.append(value)
        rows.append((number, tuple(cells)))
    return Sheet(header_row=0, columns=columns, rows=rows, title_text="")


def create_cases(
    records: list[dict], inspection: Inspection, *, actor, batch: int | None = None
) -> tuple[ImportReport, list[PetitionCase]]:
    """Create new cases from records, all or nothing, checked as a transfer sheet is.

    Unlike the file import, a record must not name a known 受理编号 (creating is not updating).
    Returns the report (with problems, nothing saved) or the created cases.
    """
    report = plan_sheet(sheet_of_records(records), inspection, batch=batch)
    for plan in report.plans:
        if plan.action != "create":
            message = "受理编号在本督察中已存在，不能重复新建"
            report.problems.append(Problem(plan.row, "receipt_no", plan.receipt_no, message))
    if report.problems:
        return report, []
    try:
        with transaction.atomic():
            _apply(report, inspection, actor, reason="接口新建")
    except IntegrityError as exc:  # someone created the same numbers a moment ago
        raise DomainError("案件已被他人同时新建，请查询后重试。") from exc
    numbers = [plan.receipt_no for plan in report.plans]
    created = {
        c.receipt_no: c for c in PetitionCase.objects.filter(inspection=inspection, receipt_no__in=numbers)
    }
    return report, [created[n] for n in numbers]


def _apply(
    report: ImportReport, inspection: Inspection, actor, *, reason: str = "导入交办单", progress=None
) -> None:
    """Write the plan, reusing the cases plan_import loaded (no query per updated row)."""
    cases = dict(report.existing)
    if progress is not None:
        progress.set_total(sum(1 for p in report.plans if p.action != "unchanged"))
    reasons: dict[int, str] = {}  # case id → this import's change reason, for the repeat links below
    for plan in report.plans:
        if plan.action == "unchanged":
            continue
        if progress is not None:
            progress.advance()
        if plan.action == "create":
            case = PetitionCase(inspection=inspection, receipt_no=plan.receipt_no)
            change_reason = f"{reason}：新建"
        else:
            case = cases[plan.receipt_no]
            change_reason = f"{reason}：" + "、".join(plan.changes)
        for name, value in plan.values.items():
            setattr(case, name, value)
        case._history_user = actor
        case._change_reason = change_reason
        if case.pk is None:
            case.save()
        else:
            # Only the changed columns: the row loaded while planning must not write back
            # anything else (above all its state, which import never changes).
            case.save(update_fields=[*plan.values, "updated_at"])
        for name, items in plan.m2m.items():
            getattr(case, name).set(items)
        cases[plan.receipt_no] = case
        reasons[case.pk] = change_reason
    for plan in report.plans:
        if plan.related:  # every related number is a known or a new case (checked while planning)
            cases[plan.receipt_no].related_cases.add(*(cases[r] for r in plan.related))
            link_repeat_originals(
                [cases[plan.receipt_no], *(cases[r] for r in plan.related)], actor=actor, reasons=reasons
            )
    # Signatures bound to facts this import changed are voided now, by this write (docs/rules.md §5).
    updated = [cases[p.receipt_no] for p in report.plans if p.action == "update"]
    facts_changed(updated, actor=actor, reason="导入交办单更新案件")


# --- the upload → preview → confirm record -------------------------------------------------------
def record_upload(
    data: bytes, *, inspection: Inspection, batch: int | None, original_name: str, actor
) -> TransferSheetImport:
    """Keep an uploaded transfer sheet for preview; a file with any problem is stored as refused.

    The workbook is parsed here, once: the parse is stored and the preview, the confirmation and
    the error list plan from it (against the cases as they are then), never reading the file again.
    """
    parsed = parse_to_json(data)
    report = plan_parsed(parsed, inspection, batch=batch)
    record = TransferSheetImport(
        inspection=inspection,
        batch=batch,
        original_name=original_name[-200:],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        summary=report.as_dict(),
        parsed=parsed,
        state=ImportState.REJECTED if report.problems else ImportState.PREVIEWED,
    )
    record._history_user = actor
    record._change_reason = "上传交办单"
    with transaction.atomic():
        record.file.save("sheet.xlsx", ContentFile(data), save=False)
        record.save()
    return record


def problem_lines(problems: list[Problem], limit: int = 20) -> list[str]:
    """Problems as Chinese lines naming the row and column, the first ``limit`` of them."""
    lines = []
    for p in problems[:limit]:
        where = f"第 {p.row} 行" if p.row else "文件"
        column = f"“{p.column}”" if p.column else ""
        value = f"（{p.value}）" if p.value else ""
        lines.append(f"{where}{column}{value}：{p.message}")
    if len(problems) > limit:
        lines.append(f"……另有 {len(problems) - limit} 处问题，请下载问题清单查看。")
    return lines


def confirm_import(record: TransferSheetImport, *, actor, progress=None) -> ImportReport:
    """确认导入: import a previewed sheet once; a second press, a refused file or a new problem is refused.

    One transaction: a conditional update claims the record (previewed → confirmed), the cases are
    written and the summary stored; any refusal rolls all of it back.
    """
    parsed = stored_parse(record)
    now = timezone.now()
    with transaction.atomic():
        claimed = TransferSheetImport.objects.filter(pk=record.pk, state=ImportState.PREVIEWED).update(
            state=ImportState.CONFIRMED, confirmed_at=now
        )
        if not claimed:
            raise DomainError("此文件已导入或有错误，不能再次确认。")
        report = plan_parsed(parsed, record.inspection, batch=record.batch)
        apply_report(report, record.inspection, actor=actor, progress=progress)
        if report.problems:
            lines = "\n".join(problem_lines(report.problems))
            raise DomainError(f"文件有错误，未导入任何内容，请查看问题清单。\n{lines}")
        summary = report.as_dict()
        # .update() bypasses simple-history: save the claimed row with its summary to record
        # who confirmed it (the claim above already guards the race).
        fresh = TransferSheetImport.objects.get(pk=record.pk)
        fresh.summary = summary
        fresh._history_user = actor
        fresh._change_reason = "确认导入"
        fresh.save(update_fields=["summary"])
    record.state, record.confirmed_at, record.summary = ImportState.CONFIRMED, now, summary
    return report


# --- the error workbook --------------------------------------------------------------------------
def error_workbook(data: bytes, problems: list[Problem]) -> bytes:
    """The uploaded workbook with every bad cell filled red and commented, plus a problem list sheet."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    try:
        book = load_workbook(io.BytesIO(data))
        ws = book.worksheets[0]
    except Exception:
        # Not a readable workbook: the answer is the problem list alone (no empty default sheet).
        book = Workbook()
        book.remove(book.active)
        ws = None
    if ws is not None:
        neutralise_formulas(book)
        for problem in problems:
            if problem.row and problem.col_index:
                cell = ws.cell(row=problem.row, column=problem.col_index)
                cell.fill = red
                cell.comment = Comment(problem.message, "导入检查")
            elif problem.row:
                ws.cell(row=problem.row, column=1).fill = red
    listing = book.create_sheet("问题清单", 0)
    listing.append(["行", "列", "值", "问题"])
    for problem in problems:
        listing.append([problem.row or "", problem.column, problem.value, problem.message])
    neutralise_formulas(book)
    for letter, width in zip("ABCD", (8, 18, 30, 60), strict=True):
        listing.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
