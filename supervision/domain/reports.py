"""调度与报告: the daily dispatch and the weekly / monthly reports, built as dated records.

Each builder takes a snapshot of figures and lists into ``Report.data`` (JSON). One report per
kind and period (a unique constraint): a second build for the same period returns the stored
one and notifies nobody again. Every builder runs a fixed number of queries, whatever the
number of tasks and cases (tests assert it).
"""

import logging
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries import open_case_q
from cases.enums import FINISHED_STATES, CaseState, CompletionStatus
from cases.models import CaseTransition, PetitionCase
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.models import Inspection, Unit
from rectification.domain.queries import open_task_q
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import ReportKind, WarningLevel
from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, Report, SupervisionLetter
from .queries import day_bounds, office_users, task_ids_changed_between, task_statuses, unit_heads

log = logging.getLogger(__name__)

TASK_STATUS_ORDER = [
    ScheduleStatus.COMPLETE,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.OVERDUE,
]
ENFORCEMENT_FIELDS = [
    "ordered_rectify",
    "penalty_cases",
    "fine_amount",
    "criminal_investigations",
    "administrative_detentions",
    "criminal_detentions",
    "interviews",
    "persons_held_accountable",
]


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The period a report built on ``day`` covers: that day, the previous week (Mon–Sun) or month."""
    if kind == ReportKind.DAILY:
        return day, day
    if kind == ReportKind.WEEKLY:
        this_monday = day - timedelta(days=day.weekday())
        return this_monday - timedelta(days=7), this_monday - timedelta(days=1)
    if kind == ReportKind.MONTHLY:
        last = day.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    raise ValueError(f"unknown report kind {kind!r}")


def _task_row(task, status) -> dict:
    return {
        "id": task.pk,
        "situation": ScheduleStatus(status).label,
        "number": task.number,
        "problem": task.problem[:80],
        "text": task.problem[:80],
        "inspection": task.inspection.name,
        "unit": task.lead_unit.name,
        "unit_id": task.lead_unit_id,
        "deadline": task.deadline.isoformat(),
        "status": str(status),
        "status_label": ScheduleStatus(status).label,
    }


def _case_row(case) -> dict:
    return {
        "id": case.pk,
        "receipt_no": case.receipt_no,
        "complaint": case.complaint[:80],
        "text": case.complaint[:80],
        "inspection": case.inspection.name,
        "unit": case.lead_unit.name if case.lead_unit_id else "",
        "unit_id": case.lead_unit_id,
        "deadline": case.deadline.isoformat() if case.deadline else "",
        "state": case.state,
        "state_label": case.get_state_display(),
        "situation": case.get_state_display(),
    }


# --- weekly and monthly report -----------------------------------------------------------------


def report_data(start: date, end: date, *, as_of: date) -> dict:
    """Figures and lists of a weekly or monthly report (14 queries whatever the number of items)."""
    inspections = list(Inspection.objects.order_by("start_date", "pk"))
    names = {i.pk: i.name for i in inspections}
    tasks = list(RectificationTask.objects.select_related("inspection", "lead_unit"))
    statuses = task_statuses(tasks, as_of)
    by_insp: dict[int, Counter] = {}
    for task in tasks:
        by_insp.setdefault(task.inspection_id, Counter())[statuses[task.pk]] += 1
    task_by_inspection = [
        {
            "inspection": names[pk],
            "inspection_id": pk,
            **{str(s): by_insp[pk][s] for s in TASK_STATUS_ORDER},
            "total": sum(by_insp[pk].values()),
        }
        for pk in names
        if pk in by_insp
    ]
    task_totals = {str(s): sum(r[str(s)] for r in task_by_inspection) for s in TASK_STATUS_ORDER}
    task_totals["total"] = len(tasks)
    slow_tasks = [
        _task_row(t, statuses[t.pk])
        for t in tasks
        if statuses[t.pk] in (ScheduleStatus.BEHIND, ScheduleStatus.OVERDUE)
    ]

    state_counts = (
        PetitionCase.objects.order_by().values_list("inspection_id", "state").annotate(n=Count("pk"))
    )
    by_state: dict[int, dict] = {}
    for insp_id, state, n in state_counts:
        by_state.setdefault(insp_id, {})[state] = n
    case_by_inspection = [
        {
            "inspection": names[pk],
            "inspection_id": pk,
            "states": {s.value: by_state[pk].get(s.value, 0) for s in CaseState},
            "total": sum(by_state[pk].values()),
        }
        for pk in names
        if pk in by_state
    ]
    completion = dict(
        PetitionCase.objects.order_by().values_list("completion_status").annotate(n=Count("pk"))
    )
    closed = PetitionCase.objects.filter(closed_on__gte=start, closed_on__lte=end).select_related(
        "inspection", "lead_unit"
    )
    key_cases = PetitionCase.objects.filter(is_key=True).select_related("inspection", "lead_unit")
    start_at, _ = day_bounds(start)
    _, end_at = day_bounds(end)
    rebounds = CaseTransition.objects.filter(
        to_state=CaseState.REOPENED, at__gte=start_at, at__lt=end_at
    ).select_related("case")
    enforcement = PetitionCase.objects.aggregate(**{f: Sum(f) for f in ENFORCEMENT_FIELDS})
    warn_counts = dict(
        EarlyWarning.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    letters = SupervisionLetter.objects.filter(issued_on__gte=start, issued_on__lte=end).select_related(
        "unit", "task", "case"
    )
    return {
        "as_of": as_of.isoformat(),
        "tasks": {"by_inspection": task_by_inspection, "totals": task_totals, "slow": slow_tasks},
        "cases": {
            "by_inspection": case_by_inspection,
            "states": [{"value": s.value, "label": s.label} for s in CaseState],
            "completion": [
                {"value": c.value, "label": c.label, "count": completion.get(c.value, 0)}
                for c in CompletionStatus
            ],
            "total": sum(r["total"] for r in case_by_inspection),
            "closed": [_case_row(c) for c in closed],
            "key": [
                _case_row(c)
                | {"overdue": bool(c.deadline and c.deadline < as_of and c.state not in FINISHED_STATES)}
                for c in key_cases
            ],
            "rebounds": [
                {
                    "receipt_no": t.case.receipt_no,
                    "case_id": t.case_id,
                    "at": t.at.date().isoformat(),
                    "reason": t.reason,
                }
                for t in rebounds
            ],
        },
        "enforcement": [
            {
                "field": f,
                "label": PetitionCase._meta.get_field(f).verbose_name,
                "value": float(enforcement[f] or 0) if f == "fine_amount" else int(enforcement[f] or 0),
            }
            for f in ENFORCEMENT_FIELDS
        ],
        "escalation": {
            "warnings": [
                {"level": lv.value, "label": lv.label, "count": warn_counts.get(lv.value, 0)}
                for lv in WarningLevel
            ],
            "letters": [
                {
                    "number": letter.number,
                    "id": letter.pk,
                    "item": letter.item_label,
                    "unit": letter.unit.name if letter.unit_id else "",
                    "issued_on": letter.issued_on.isoformat(),
                    "reply_deadline": letter.reply_deadline.isoformat(),
                    "state_label": letter.get_state_display(),
                }
                for letter in letters
            ],
            "talks": AdmonitionTalk.objects.filter(held_on__gte=start, held_on__lte=end).count(),
            "referrals": ClueReferral.objects.filter(referred_on__gte=start, referred_on__lte=end).count(),
        },
    }


# --- daily dispatch ----------------------------------------------------------------------------


def dispatch_data(day: date) -> dict:
    """按日调度 of ``day``: per unit and overall — changed yesterday, due in 7 days, overdue, no
    progress for 7 days (fixed number of queries)."""
    soon_until = day + timedelta(days=settings.DUE_SOON_DAYS)
    quiet_since = day - timedelta(days=settings.NO_PROGRESS_DAYS)
    y_start, y_end = day_bounds(day - timedelta(days=1))
    units = {u.pk: u.name for u in Unit.objects.only("pk", "name")}
    sections: dict[int, dict] = {}

    def section(unit_id):
        return sections.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "unit": units.get(unit_id, "未定单位"),
                "changed": [],
                "due_soon": [],
                "overdue": [],
                "no_progress": [],
            },
        )

    open_cases = PetitionCase.objects.filter(open_case_q(), deadline__isnull=False).select_related(
        "inspection", "lead_unit"
    )
    for case in open_cases:
        row = _case_row(case) | {"kind": "case", "label": f"案件 {case.receipt_no}"}
        if case.deadline < day:
            section(case.lead_unit_id)["overdue"].append(row)
        elif case.deadline <= soon_until:
            section(case.lead_unit_id)["due_soon"].append(row)
    moves = CaseTransition.objects.filter(at__gte=y_start, at__lt=y_end).select_related(
        "case", "case__inspection", "case__lead_unit"
    )
    for move in moves:
        row = _case_row(move.case) | {
            "kind": "case",
            "label": f"案件 {move.case.receipt_no}",
            "situation": f"{move.get_from_state_display()} → {move.get_to_state_display()}",
        }
        section(move.case.lead_unit_id)["changed"].append(row)

    tasks = list(RectificationTask.objects.select_related("inspection", "lead_unit"))
    open_ids = set(RectificationTask.objects.filter(open_task_q()).values_list("pk", flat=True))
    statuses = task_statuses(tasks, day)
    changed = task_ids_changed_between([t.pk for t in tasks], y_start, y_end)
    quiet_start, _ = day_bounds(quiet_since)
    recent = task_ids_changed_between(open_ids, quiet_start, y_end)
    for task in tasks:
        row = _task_row(task, statuses[task.pk]) | {"kind": "task", "label": f"任务 {task.number}"}
        if task.pk in changed:
            section(task.lead_unit_id)["changed"].append(row | {"situation": "任务、措施或时间节点有更新"})
        if task.pk not in open_ids:
            continue
        if task.deadline < day:
            section(task.lead_unit_id)["overdue"].append(row)
        elif task.deadline <= soon_until:
            section(task.lead_unit_id)["due_soon"].append(row)
        if task.pk not in recent:
            section(task.lead_unit_id)["no_progress"].append(row)
    ordered = sorted(sections.values(), key=lambda s: (s["unit"] == "未定单位", s["unit"]))
    keys = ("changed", "due_soon", "overdue", "no_progress")
    return {
        "as_of": day.isoformat(),
        "due_soon_days": settings.DUE_SOON_DAYS,
        "no_progress_days": settings.NO_PROGRESS_DAYS,
        "overall": {k: sum(len(s[k]) for s in ordered) for k in keys},
        "units": [s | {"counts": {k: len(s[k]) for k in keys}} for s in ordered],
    }


# --- building and sending ----------------------------------------------------------------------


def build_report(kind: str, *, day: date, actor=None) -> tuple[Report, bool]:
    """Build the report of ``kind`` for the period ``day`` falls in (daily) or precedes (weekly,
    monthly); returns (report, created). An existing report is returned untouched."""
    start, end = period_of(kind, day)
    existing = Report.objects.filter(kind=kind, period_start=start).first()
    if existing is not None:
        return existing, False
    data = dispatch_data(day) if kind == ReportKind.DAILY else report_data(start, end, as_of=day)
    try:
        with transaction.atomic():
            report = Report.objects.create(kind=kind, period_start=start, period_end=end, data=data)
            send_report(report)  # mails go out after commit; a failure here leaves no report behind
    except IntegrityError:  # another run built it first
        return Report.objects.get(kind=kind, period_start=start), False
    log.info("built %s for %s", kind, report.period_label)
    return report, True


def send_report(report: Report, *, resend: bool = False) -> int:
    """Notify the office (and, for the dispatch, each unit's heads of their section).

    Notifications carry a dedupe key per report, so sending twice notifies nobody twice unless
    ``resend`` asks for a new round (the office's 重新发送 button).
    """
    round_no = report.sent_count + 1 if resend else 1
    suffix = f":{round_no}" if resend else ""
    link = reverse("supervision:report_detail", args=[report.pk])
    title = f"{report.get_kind_display()}（{report.period_label}）"
    sent = len(
        notify(
            office_users(),
            kind=NotificationKind.DAILY_DISPATCH
            if report.kind == ReportKind.DAILY
            else NotificationKind.REPORT,
            title=title,
            body=_summary(report),
            link=link,
            reason="您是协调组办公室成员，接收调度与报告",
            dedupe_key=f"report:{report.pk}{suffix}",
        )
    )
    if report.kind == ReportKind.DAILY:
        sections = {s["unit_id"]: s for s in report.data.get("units", []) if s["unit_id"]}
        heads = unit_heads(sections)
        for unit_id, section in sections.items():
            c = section["counts"]
            sent += len(
                notify(
                    heads.get(unit_id, []),
                    kind=NotificationKind.DAILY_DISPATCH,
                    title=f"{title}：{section['unit']}",
                    body=f"昨日变化 {c['changed']} 项，{report.data['due_soon_days']}日内到期 {c['due_soon']} 项，"
                    f"逾期 {c['overdue']} 项，{report.data['no_progress_days']}日无进展 {c['no_progress']} 项。",
                    link=f"{link}#unit-{unit_id}",
                    reason="您是责任单位负责人，接收本单位的按日调度",
                    dedupe_key=f"report:{report.pk}:unit:{unit_id}{suffix}",
                )
            )
    Report.objects.filter(pk=report.pk).update(sent_at=timezone.now(), sent_count=F("sent_count") + 1)
    return sent


def _summary(report: Report) -> str:
    data = report.data
    if report.kind == ReportKind.DAILY:
        o = data["overall"]
        return (
            f"昨日变化 {o['changed']} 项，{data['due_soon_days']}日内到期 {o['due_soon']} 项，"
            f"逾期 {o['overdue']} 项，{data['no_progress_days']}日无进展 {o['no_progress']} 项。"
        )
    t = data["tasks"]["totals"]
    return (
        f"整改任务 {t['total']} 项：已完成 {t['complete']}，按序时推进 {t['on_schedule']}，"
        f"滞后 {t['behind']}，逾期 {t['overdue']}；信访案件 {data['cases']['total']} 件，"
        f"本期销号 {len(data['cases']['closed'])} 件。"
    )
