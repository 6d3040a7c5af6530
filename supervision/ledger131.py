"""“131”总台账: ONE workbook of every item — rectification tasks and petition cases — with the three
things the plan fixes for each (responsibility: unit, person, phone; standard; deadline), its status,
every date of the close-out chain (完成/办结、验收、复核、公示、销号、备案) and its grade or score.

Starts from the user's own scope (tasks_visible_to / cases_visible_to) and runs a FIXED number of
queries whatever the number of rows: one per joined-name column over the whole set (cooperating
units of tasks, of cases; the cases' scores), then one streaming ``.values(...).iterator()`` query per
kind with the chain dates, completion and grade as SQL subqueries. Dates are written as real dates.
"""

from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from itertools import groupby

from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from cases.domain.queries import cases_visible_to, overdue_q
from cases.enums import CaseState
from cases.exporters import m2m_names
from cases.models import CaseTransition, PetitionCase
from notifications.domain.background import JobError
from qianshan.common.excel import write_xlsx
from rectification.domain.queries import (
    GRADE_NONE,
    grade_expression,
    overdue_task_q,
    tasks_visible_to,
    with_latest_progress,
)
from rectification.enums import TaskGrade, TaskStatus, TaskStep
from rectification.models import Measure, RectificationTask, TaskStepRecord

CHUNK = 2000
SHEET_TITLE = "131总台账"
HEADERS = [
    "序号",
    "类别",
    "编号",
    "督察",
    "问题内容",
    "责任单位",
    "配合单位",
    "责任人",
    "联系电话",
    "包案领导",
    "整改标准",
    "整改时限",
    "当前状态",
    "是否逾期",
    "完成情况",
    "完成（办结）日期",
    "验收日期",
    "复核日期",
    "公示日期",
    "销号日期",
    "备案日期",
    "考核等次或得分",
]
WIDTHS = [6, 10, 18, 22, 50, 20, 24, 10, 14, 10, 40, 12, 10, 8, 20, 14, 12, 12, 12, 12, 12, 24]
DATE_COLUMNS = ("完成（办结）日期", "验收日期", "复核日期", "公示日期", "销号日期", "备案日期")


def _last_step_on(step: str) -> Subquery:
    """The date a task last took close-out ``step`` (TaskStepRecord.on_date)."""
    rows = TaskStepRecord.objects.filter(task=OuterRef("pk"), step=step).order_by("-at", "-id")
    return Subquery(rows.values("on_date")[:1])


def _count(qs) -> Coalesce:
    counted = qs.order_by().values("task").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def task_rows(qs: QuerySet, *, year: int, today: date) -> Iterator[list]:
    """One row per task of ``qs``; 2 queries (cooperating units, then the streamed rows)."""
    cooperating = _m2m(qs, RectificationTask, "cooperating_units", "name")
    statuses = dict(TaskStatus.choices)
    grades = {**dict(TaskGrade.choices), GRADE_NONE: "未评定"}
    measures = Measure.objects.filter(task=OuterRef("pk"))
    rows = (
        with_latest_progress(qs)
        .annotate(
            measures_total=_count(measures),
            measures_done=_count(measures.filter(done=True)),
            grade=grade_expression(year, today),
            is_overdue=_flag(overdue_task_q(today)),
            **{
                f"step_{s}": _last_step_on(s)
                for s in (
                    TaskStep.COMPLETE,
                    TaskStep.ACCEPT,
                    TaskStep.PUBLICIZE,
                    TaskStep.CLOSE,
                    TaskStep.FILE,
                )
            },
        )
        .order_by("inspection_id", "seq", "number", "pk")
        .values(
            "pk",
            "number",
            "inspection__name",
            "problem",
            "lead_unit__name",
            "responsible_person",
            "contact_phone",
            "standard",
            "deadline",
            "status",
            "is_overdue",
            "measures_total",
            "measures_done",
            "last_percent",
            "grade",
            *(f"step_{s}" for s in TaskStep.values if s != TaskStep.REOPEN),
        )
        .iterator(chunk_size=CHUNK)
    )
    for t in rows:
        completion = f"措施完成 {t['measures_done']}/{t['measures_total']}"
        if t["last_percent"] is not None:
            completion += f"，最近报告 {t['last_percent']}%"
        yield [
            "整改任务",
            t["number"],
            t["inspection__name"],
            t["problem"],
            t["lead_unit__name"] or "",
            cooperating.get(t["pk"], ""),
            t["responsible_person"],
            t["contact_phone"],
            "",
            t["standard"],
            t["deadline"],
            statuses.get(t["status"], t["status"]),
            "是" if t["is_overdue"] else "否",
            completion,
            t["step_complete"],
            t["step_accept"],
            None,  # a task has no city review (复核 is of petition cases)
            t["step_publicize"],
            t["step_close"],
            t["step_file"],
            f"{year}年度 {grades.get(t['grade'], t['grade'])}",
        ]


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _m2m(qs: QuerySet, model, field_name: str, attr: str) -> dict[int, str]:
    """{row id: "a、b"} of one many-to-many field over the whole of ``qs``, in one query."""
    if model is PetitionCase:
        return m2m_names(qs, field_name, attr)
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    src, dst = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(**{f"{src}__in": qs.order_by().values("pk")})
        .order_by(f"{src}_id", f"{dst}__name", f"{dst}_id")
        .values_list(f"{src}_id", f"{dst}__{attr}")
        .iterator(chunk_size=CHUNK)
    )
    return {pk: "、".join(str(v[1]) for v in group) for pk, group in groupby(rows, key=lambda r: r[0])}


def _last_transition_at(state: str) -> Subquery:
    rows = CaseTransition.objects.filter(case=OuterRef("pk"), to_state=state).order_by("-at", "-id")
    return Subquery(rows.values("at")[:1])


def _local_date(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def case_scores(qs: QuerySet) -> dict[int, str]:
    """{case id: "单位 得分（复核/自评，年度）；…"}: per case and assessed unit, the latest year's
    submitted review, else its submitted self-assessment; one query over the whole of ``qs``."""
    from scoring.enums import SheetStatus, SheetVersion
    from scoring.models import ScoringSheet
    from scoring.rules import fmt2

    sheets = (
        ScoringSheet.objects.filter(case__in=qs.order_by().values("pk"), status=SheetStatus.SUBMITTED)
        .order_by("case_id", "locality__name", "locality_id", "-year", "version")
        .values_list("case_id", "locality_id", "locality__name", "year", "version", "total_num", "total_den")
        .iterator(chunk_size=CHUNK)
    )
    out: dict[int, str] = {}
    for case_id, group in groupby(sheets, key=lambda r: r[0]):
        parts, seen = [], set()
        # per unit: latest year first, and within it "review" sorts before "self"
        for _, unit_id, unit_name, year, version, num, den in group:
            if unit_id in seen:
                continue
            seen.add(unit_id)
            label = "复核" if version == SheetVersion.REVIEW else "自评"
            parts.append(f"{unit_name} {fmt2(Fraction(num, den))}分（{year}年{label}）")
        out[case_id] = "；".join(parts)
    return out


def case_rows(qs: QuerySet, *, today: date) -> Iterator[list]:
    """One row per case of ``qs``; 3 queries (cooperating units, scores, then the streamed rows)."""
    cooperating = m2m_names(qs, "cooperating_units", "name")
    scores = case_scores(qs)
    states = dict(CaseState.choices)
    rows = (
        qs.annotate(
            is_overdue=_flag(overdue_q(today)),
            at_completed=_last_transition_at(CaseState.COMPLETED),
            at_accepted=_last_transition_at(CaseState.ACCEPTED),
            at_reviewed=_last_transition_at(CaseState.REVIEWED),
            at_filed=_last_transition_at(CaseState.FILED),
        )
        .order_by("inspection_id", "batch", "receipt_no", "pk")
        .values(
            "pk",
            "receipt_no",
            "inspection__name",
            "complaint",
            "lead_unit__name",
            "handler",
            "handler_phone",
            "case_leader",
            "standard",
            "deadline",
            "state",
            "is_overdue",
            "completion_status",
            "publicity_started_on",
            "closed_on",
            "at_completed",
            "at_accepted",
            "at_reviewed",
            "at_filed",
        )
        .iterator(chunk_size=CHUNK)
    )
    completion = dict(PetitionCase._meta.get_field("completion_status").flatchoices)
    for c in rows:
        yield [
            "信访案件",
            c["receipt_no"],
            c["inspection__name"],
            c["complaint"],
            c["lead_unit__name"] or "",
            cooperating.get(c["pk"], ""),
            c["handler"],
            c["handler_phone"],
            c["case_leader"],
            c["standard"],
            c["deadline"],
            states.get(c["state"], c["state"]),
            "是" if c["is_overdue"] else "否",
            str(completion.get(c["completion_status"], c["completion_status"])),
            _local_date(c["at_completed"]),
            _local_date(c["at_accepted"]),
            _local_date(c["at_reviewed"]),
            c["publicity_started_on"],
            c["closed_on"],
            _local_date(c["at_filed"]),
            scores.get(c["pk"], "未评分"),
        ]


def ledger_querysets(user) -> tuple[QuerySet, QuerySet]:
    return tasks_visible_to(user), cases_visible_to(user)


def ledger_rows(user, *, today: date | None = None, progress=None) -> Iterator[list]:
    """Every task, then every case, the user may see, numbered; 5 queries in all."""
    today = today or timezone.localdate()
    tasks, cases = ledger_querysets(user)
    seq = 0
    for part in (task_rows(tasks, year=today.year, today=today), case_rows(cases, today=today)):
        for row in part:
            seq += 1
            if progress is not None:
                progress.advance()
            yield [seq, *row]


def ledger_sheet(user, *, today: date | None = None, progress=None) -> tuple:
    return (SHEET_TITLE, HEADERS, ledger_rows(user, today=today, progress=progress), WIDTHS)


def ledger_size(user) -> int:
    tasks, cases = ledger_querysets(user)
    return tasks.count() + cases.count()


def export_job(job, progress, out_path) -> None:
    """Background-job runner of the 131 ledger (notifications.domain.background.JOB_TYPES)."""
    if QueryDict(job.params.get("query", "")):
        raise JobError("“131”总台账不接受筛选条件。")
    progress.set_total(ledger_size(job.owner))
    write_xlsx([ledger_sheet(job.owner, progress=progress)], target=out_path)
