"""整改清单: the rectification plan as a table, one row per measure, grouped by task number.

The same columns are read back by rectification.domain.imports, so export → import is a no-op; the
status columns after them (任务状态、序时进度、完成情况、年度等次) are for reading only and the
import ignores them.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .domain.queries import annotate_schedule_status, grade_of, with_latest_progress
from .enums import ScheduleStatus
from .grading import Grade
from .models import Measure, Milestone

COLUMNS = (
    "任务编号",
    "任务序号",
    "反馈问题",
    "整改目标",
    "牵头单位",
    "配合单位",
    "督导单位",
    "验收单位",
    "责任人",
    "联系电话",
    "整改标准",
    "整改时限",
    "措施序号",
    "措施类别",
    "措施内容",
    "措施责任单位",
    "措施责任人",
    "措施时限",
    "时间节点",
)
WIDTHS = (10, 6, 40, 30, 20, 20, 18, 18, 10, 14, 30, 12, 6, 10, 40, 20, 10, 12, 40)
# Read-only columns after the importable ones: what the task's state is today.
STATUS_COLUMNS = ("任务状态", "序时进度", "完成情况", "年度等次")
EXPORT_COLUMNS = (*COLUMNS, *STATUS_COLUMNS)
EXPORT_WIDTHS = (*WIDTHS, 10, 10, 26, 22)
SHEET_TITLE = "整改清单"


def milestones_text(milestones) -> str:
    """2021-06-30 方案印发；2021-09-30 完工 — one milestone per "；"."""
    return "；".join(f"{m.due:%Y-%m-%d} {m.description}" for m in milestones)


def _grade_label(task, year: int, today: date) -> str:
    grade = grade_of(task, year, today=today)
    return f"{year}年度 {grade.grade.label}" if isinstance(grade, Grade) else f"{year}年度 未评定（{grade}）"


def task_list_rows(qs: QuerySet, *, today: date | None = None) -> Iterator[list]:
    """Rows of the task list for the tasks of ``qs`` (already scoped); a constant number of queries.

    After the importable columns: the task's status, its schedule status (SQL), its completion
    (measures done / all, the latest progress report's percentage) and this year's grade."""
    today = today or timezone.localdate()
    qs = with_latest_progress(annotate_schedule_status(qs, today))
    tasks = qs.select_related("lead_unit", "supervising_unit", "accepting_unit").prefetch_related(
        "cooperating_units",
        "annual_targets",
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("responsible_unit").order_by("seq", "id"),
        ),
        Prefetch("measures__milestones", queryset=Milestone.objects.order_by("due", "id")),
    )
    for task in tasks.order_by("inspection_id", "seq", "number"):
        head = [
            task.number,
            task.seq,
            task.problem,
            task.target,
            task.lead_unit.name,
            "、".join(u.name for u in task.cooperating_units.all()),
            task.supervising_unit.name if task.supervising_unit else "",
            task.accepting_unit.name if task.accepting_unit else "",
            task.responsible_person,
            task.contact_phone,
            task.standard,
            task.deadline,
        ]
        measures = list(task.measures.all())
        completion = f"措施完成 {sum(1 for m in measures if m.done)}/{len(measures)}"
        if task.last_percent is not None:
            completion += f"，最近报告 {task.last_percent}%"
        status = [
            task.get_status_display(),
            ScheduleStatus(task.schedule_status).label,
            completion,
            _grade_label(task, today.year, today),
        ]
        if not measures:
            yield [*head, "", "", "", "", "", "", "", *status]
        for measure in measures:
            yield [
                *head,
                measure.seq,
                measure.get_kind_display(),
                measure.content,
                measure.responsible_unit.name if measure.responsible_unit else "",
                measure.responsible_person,
                measure.deadline,
                milestones_text(measure.milestones.all()),
                *status,
            ]


def task_list_sheet(qs: QuerySet):
    return (SHEET_TITLE, EXPORT_COLUMNS, task_list_rows(qs), EXPORT_WIDTHS)


# --- task rebound ledger (整改任务反弹台账) -------------------------------------------------------
REBOUND_HEADERS = (
    "序号",
    "任务编号",
    "督察",
    "牵头单位",
    "整改措施",
    "发现日期",
    "来源",
    "分类",
    "反弹情况",
    "处置措施",
    "处置完成日期",
    "任务状态",
    "记录人",
)
REBOUND_WIDTHS = (6, 12, 22, 20, 30, 12, 18, 12, 40, 40, 12, 10, 10)


def task_rebound_rows(entries: QuerySet) -> Iterator[list]:
    """One row per entry of ``entries`` (already scoped); ONE streamed query, dates as dates."""
    from .enums import TaskStatus

    statuses = dict(TaskStatus.choices)
    rows = entries.order_by("-found_on", "-pk").values(
        "task__number",
        "task__inspection__name",
        "task__lead_unit__name",
        "measure__seq",
        "measure__content",
        "found_on",
        "look_back_check__checked_on",
        "category__name",
        "description",
        "disposition",
        "resolved_on",
        "task__status",
        "recorded_by__full_name",
        "recorded_by__username",
    )
    for seq, e in enumerate(rows.iterator(chunk_size=2000), start=1):
        checked = e["look_back_check__checked_on"]
        measure = f"措施{e['measure__seq']} {e['measure__content'][:40]}" if e["measure__seq"] else ""
        yield [
            seq,
            e["task__number"],
            e["task__inspection__name"],
            e["task__lead_unit__name"],
            measure,
            e["found_on"],
            f"{checked:%Y-%m-%d}回头看检查" if checked else "其他途径发现",
            e["category__name"] or "未分类",
            e["description"],
            e["disposition"],
            e["resolved_on"],
            statuses.get(e["task__status"], e["task__status"]),
            e["recorded_by__full_name"] or e["recorded_by__username"] or "",
        ]


def task_rebound_sheet(entries: QuerySet) -> tuple:
    return ("整改任务反弹台账", REBOUND_HEADERS, task_rebound_rows(entries), REBOUND_WIDTHS)
