"""Import the task list (整改清单) from .xlsx: header-matched, all or nothing, idempotent.

One row per measure; rows with the same 任务编号 form one task (its columns may repeat on every
row or be given once). Title rows above the header are allowed. Every problem is reported as
「第N行“列名”：…」 and nothing is saved unless the whole file is right. Re-importing the same
file changes no row; importing an export of the same tasks changes none either.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from cases.domain.errors import DomainError
from org.domain.units import unit_lookup
from qianshan.common.sheets import normalise, parse_date, read_rows

from ..enums import MeasureKind
from ..exporters import COLUMNS
from ..models import Measure, Milestone, RectificationTask

HEADER_SCAN_ROWS = 10
REQUIRED = (
    "任务编号",
    "反馈问题",
    "牵头单位",
    "责任人",
    "整改标准",
    "整改时限",
    "措施类别",
    "措施内容",
    "措施时限",
)
TASK_COLUMNS = {
    "任务序号": "seq",
    "反馈问题": "problem",
    "整改目标": "target",
    "牵头单位": "lead_unit",
    "配合单位": "cooperating_units",
    "督导单位": "supervising_unit",
    "验收单位": "accepting_unit",
    "责任人": "responsible_person",
    "联系电话": "contact_phone",
    "整改标准": "standard",
    "整改时限": "deadline",
}
MEASURE_COLUMNS = {
    "措施序号": "seq",
    "措施类别": "kind",
    "措施内容": "content",
    "措施责任单位": "responsible_unit",
    "措施责任人": "responsible_person",
    "措施时限": "deadline",
    "时间节点": "milestones",
}
_MILESTONE = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(.*)$")


class ImportErrors(DomainError):
    """The file was refused; ``errors`` holds one Chinese line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("导入失败，未保存任何数据：\n" + "\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    tasks_created: int = 0
    tasks_updated: int = 0
    tasks_unchanged: int = 0
    measures_created: int = 0
    measures_updated: int = 0
    milestones_created: int = 0
    milestones_deleted: int = 0
    numbers: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def read_task_rows(source) -> list[tuple[int, tuple]]:
    """The rows of a task-list workbook (bytes, path or binary file); an unreadable one is refused."""
    return _read_rows(source)


def import_task_list(source, *, inspection, actor=None, rows=None, progress=None) -> ImportResult:
    """Read ``source`` (path or binary file) and create/update the inspection's tasks and measures.

    ``rows`` are the workbook's rows when the caller has read them already (``read_task_rows``);
    ``progress`` (a background job's) counts the tasks saved.
    """
    rows = _read_rows(source) if rows is None else rows
    header_at, columns = _find_header(rows)
    units = unit_lookup()
    errors: list[str] = []
    groups: dict[str, dict] = {}
    for line, raw in rows[header_at + 1 :]:
        parsed = _parse_row(raw, columns, line, units, errors)
        if parsed is None:
            continue
        number, task_values, measure_values = parsed
        group = groups.setdefault(number, {"task": {}, "measures": [], "line": line})
        for name, value in task_values.items():
            if value in (None, "", ()):
                continue
            known = group["task"].get(name)
            if known not in (None, "", ()) and known != value:
                errors.append(
                    f"第{line}行“{_label(name)}”：与第{group['line']}行同一任务 {number} 的值不一致"
                )
            else:
                group["task"][name] = value
        if measure_values is not None:
            group["measures"].append((line, measure_values))
    _check_groups(groups, errors)
    if errors:
        raise ImportErrors(errors)
    if progress is not None:
        progress.set_total(len(groups))
    with transaction.atomic():
        result = ImportResult()
        for number, group in groups.items():
            _save_task(inspection, number, group, result, actor)
            if progress is not None:
                progress.advance()
    return result


# --- reading -------------------------------------------------------------------------------------


def _read_rows(source) -> list[tuple[int, tuple]]:
    try:
        return read_rows(source)
    except ImportErrors:
        raise
    except DomainError as exc:  # not a workbook, or an empty sheet
        raise ImportErrors([exc.message]) from exc


def _find_header(rows) -> tuple[int, dict[str, int]]:
    for index, (number, row) in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = [normalise(v) for v in row]
        if "任务编号" in names and "措施内容" in names:
            columns = {}
            for position, name in enumerate(names):
                if name in COLUMNS and name not in columns:
                    columns[name] = position
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                raise ImportErrors([f"第{number}行表头缺少列：{'、'.join(missing)}"])
            return index, columns
    raise ImportErrors([f"前{HEADER_SCAN_ROWS}行中找不到表头（须包含“任务编号”和“措施内容”列）"])


def _parse_row(raw, columns, line, units, errors):
    def cell(name):
        position = columns.get(name)
        if position is None or position >= len(raw):
            return None
        value = raw[position]
        return value.strip() if isinstance(value, str) else value

    def fail(name, message):
        errors.append(f"第{line}行“{name}”：{message}")

    number = cell("任务编号")
    if number in (None, ""):
        fail("任务编号", "不能为空")
        return None
    number = str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)
    task = {}
    for name, attr in TASK_COLUMNS.items():
        value = cell(name)
        if attr == "seq":
            value = _int(value, name, fail)
        elif attr == "deadline":
            value = _date(value, name, fail)
        elif attr in ("lead_unit", "supervising_unit", "accepting_unit"):
            value = _unit(value, name, units, fail)
        elif attr == "cooperating_units":
            value = tuple(
                sorted(
                    {
                        u.pk
                        for part in re.split(r"[、,，;；\n]", str(value or ""))
                        if part.strip()
                        for u in [_unit(part.strip(), name, units, fail)]
                        if u
                    }
                )
            )
        else:
            value = "" if value is None else str(value)
        task[attr] = value
    content = cell("措施内容")
    if content in (None, ""):
        if any(cell(n) not in (None, "") for n in MEASURE_COLUMNS if n != "措施内容"):
            fail("措施内容", "不能为空")
        return number, task, None
    measure = {
        "seq": _int(cell("措施序号"), "措施序号", fail),
        "kind": _kind(cell("措施类别"), fail),
        "content": str(content),
        "responsible_unit": _unit(cell("措施责任单位"), "措施责任单位", units, fail),
        "responsible_person": "" if cell("措施责任人") is None else str(cell("措施责任人")),
        "deadline": _date(cell("措施时限"), "措施时限", fail),
        "milestones": _milestones(cell("时间节点"), fail),
    }
    if measure["deadline"] is None and not any(e.startswith(f"第{line}行“措施时限”") for e in errors):
        fail("措施时限", "不能为空")
    return number, task, measure


def _int(value, name, fail):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        fail(name, f"“{value}”不是整数")
        return None
    if not number.is_integer() or number < 0:
        fail(name, f"“{value}”不是整数")
        return None
    return int(number)


def _date(value, name, fail):
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except ValueError:
        fail(name, f"“{value}”不是有效日期（例如 2021-12-31）")
        return None


def _unit(value, name, units, fail):
    if value in (None, ""):
        return None
    unit = units.get(normalise(value))
    if unit is None:
        fail(name, f"找不到单位“{value}”")
    return unit


def _kind(value, fail):
    text = normalise(value)
    for kind in MeasureKind:
        if text in (kind.value, kind.label):
            return kind.value
    fail("措施类别", f"“{value or ''}”不是有效类别（{'、'.join(MeasureKind.labels)}）")
    return None


def _milestones(value, fail) -> tuple:
    items = []
    for part in re.split(r"[;；\n]", str(value or "")):
        if not part.strip():
            continue
        match = _MILESTONE.match(part)
        due = _date(match.group(1), "时间节点", fail) if match else None
        if due is None:
            if not match:
                fail("时间节点", f"“{part.strip()}”应为“日期 节点内容”，多个节点用“；”分隔")
            continue
        items.append((due, match.group(2).strip() or "时间节点"))
    return tuple(items)


def _label(attr: str) -> str:
    for name, known in TASK_COLUMNS.items():
        if known == attr:
            return name
    return attr


def _check_groups(groups, errors) -> None:
    for number, group in groups.items():
        task, line = group["task"], group["line"]
        for name in ("反馈问题", "牵头单位", "责任人", "整改标准", "整改时限"):
            if task.get(TASK_COLUMNS[name]) in (None, ""):
                errors.append(f"第{line}行“{name}”：任务 {number} 缺少{name}")
        seen = {}
        for position, (row_line, measure) in enumerate(group["measures"], start=1):
            seq = measure["seq"] or position
            measure["seq"] = seq
            if seq in seen:
                errors.append(
                    f"第{row_line}行“措施序号”：任务 {number} 的措施序号 {seq} 与第{seen[seq]}行重复"
                )
            seen[seq] = row_line


# --- saving --------------------------------------------------------------------------------------


def _save_task(inspection, number, group, result: ImportResult, actor) -> None:
    values = dict(group["task"])
    coop = values.pop("cooperating_units", ()) or ()
    values["seq"] = values.get("seq") or 0
    task = RectificationTask.objects.filter(inspection=inspection, number=number).first()
    result.numbers.append(number)
    if task is None:
        task = RectificationTask(inspection=inspection, number=number, **values)
        task._history_user, task._change_reason = actor, "导入整改清单"
        task.save()
        result.tasks_created += 1
        created = changed = True
    else:
        created, changed = False, _apply(task, values, actor)
    if set(coop) != {u.pk for u in task.cooperating_units.all()}:
        task.cooperating_units.set(coop)
        changed = True
    existing = {m.seq: m for m in task.measures.prefetch_related("milestones")}
    for _line, measure_values in group["measures"]:
        values = dict(measure_values)
        milestones = values.pop("milestones")
        measure = existing.get(values["seq"])
        if measure is None:
            measure = Measure(task=task, **values)
            measure._history_user, measure._change_reason = actor, "导入整改清单"
            measure.save()
            result.measures_created += 1
            changed = True
            current = []
        else:
            if _apply(measure, values, actor):
                result.measures_updated += 1
                changed = True
            current = list(measure.milestones.all())
        wanted = set(milestones)
        have = {(m.due, m.description): m for m in current}
        for due, description in milestones:
            if (due, description) not in have:
                Milestone.objects.create(measure=measure, due=due, description=description)
                result.milestones_created += 1
                changed = True
        for key, milestone in have.items():
            # A milestone already done is a fact of the work, not of the plan: keep it.
            if key not in wanted and milestone.done_on is None:
                milestone.delete()
                result.milestones_deleted += 1
                changed = True
    if not created:
        if changed:
            result.tasks_updated += 1
        else:
            result.tasks_unchanged += 1


def _apply(obj, values: dict, actor) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(obj, name, values[name])
    obj._history_user, obj._change_reason = actor, "导入整改清单"
    obj.save()
    return True
