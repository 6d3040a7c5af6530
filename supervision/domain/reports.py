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
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries import annotate_overdue, open_case_q
from cases.enums import CaseState, CompletionStatus, RecheckResult
from cases.exporters import COUNTER_FIELDS
from cases.models import CaseTransition, PetitionCase, ReboundEntry, RecheckDraw, RecheckVisit
from notifications.domain.services import notify
from notifications.enums import NotificationKind
from org.models import Inspection, Unit
from rectification.domain.queries import (
    FINISHED_TASK_STATES,
    tasks_with_status,
    tasks_without_progress_since,
)
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import ReportKind, WarningLevel
from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, Report, SupervisionLetter
from .queries import day_bounds, office_users, task_ids_changed_between, unit_heads

log = logging.getLogger(__name__)

TASK_STATUS_ORDER = [
    ScheduleStatus.COMPLETE,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.OVERDUE,
]
ENFORCEMENT_FIELDS = COUNTER_FIELDS  # the case ledger's 查处问责 counters, in its order


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


def _task_row(task) -> dict:
    status = task.schedule_status
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
    """Figures and lists of a weekly or monthly report (17 queries whatever the number of items)."""
    inspections = list(Inspection.objects.order_by("start_date", "pk"))
    names = {i.pk: i.name for i in inspections}
    tasks = tasks_with_status(RectificationTask.objects.select_related("inspection", "lead_unit"), as_of)
    by_insp: dict[int, Counter] = {}
    for task in tasks:
        by_insp.setdefault(task.inspection_id, Counter())[task.schedule_status] += 1
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
        _task_row(t) for t in tasks if t.schedule_status in (ScheduleStatus.BEHIND, ScheduleStatus.OVERDUE)
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
    key_cases = annotate_overdue(
        PetitionCase.objects.filter(is_key=True).select_related("inspection", "lead_unit"), as_of
    )
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
            "key": [_case_row(c) | {"overdue": c.is_overdue} for c in key_cases],
        },
        "rechecks": recheck_data(start, end),
        "rebounds": rebound_data(start, end),
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


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _case_ref(case) -> dict:
    """How a re-check or rebound row names its case (inspection and lead unit joined in)."""
    return {
        "case_id": case.pk,
        "receipt_no": case.receipt_no,
        "inspection": case.inspection.name,
        "unit": case.lead_unit.name if case.lead_unit_id else "",
    }


def recheck_data(start: date, end: date) -> dict:
    """复查回访 of the period (2 queries): the visits recorded with a visit date in the period and
    their results, and the monthly draws of the months the period touches with how far they got."""
    visits = (
        RecheckVisit.objects.filter(visited_on__gte=start, visited_on__lte=end)
        .exclude(result=RecheckResult.PENDING)
        .select_related("draw", "case__inspection", "case__lead_unit")
        .order_by("visited_on", "pk")
    )
    rows = [
        {
            "id": v.pk,
            **_case_ref(v.case),
            "draw": v.draw.month.strftime("%Y-%m"),
            "visited_on": v.visited_on.isoformat(),
            "visitor": v.visitor,
            "result": v.result,
            "result_label": v.get_result_display(),
            "notes": v.notes[:80],
        }
        for v in visits
    ]
    draws = (
        RecheckDraw.objects.filter(month__gte=start.replace(day=1), month__lte=end)
        .annotate(
            holds=Count("visits", filter=Q(visits__result=RecheckResult.HOLDS)),
            rebounded=Count("visits", filter=Q(visits__result=RecheckResult.REBOUNDED)),
            pending=Count("visits", filter=Q(visits__result=RecheckResult.PENDING)),
        )
        .order_by("month")
    )
    return {
        "visited": len(rows),
        "holds": sum(1 for r in rows if r["result"] == RecheckResult.HOLDS),
        "rebounded": sum(1 for r in rows if r["result"] == RecheckResult.REBOUNDED),
        "visits": rows,
        "draws": [
            {
                "month": d.month.strftime("%Y-%m"),
                "population": d.population_size,
                "sample": d.sample_size,
                "holds": d.holds,
                "rebounded": d.rebounded,
                "pending": d.pending,
            }
            for d in draws
        ],
    }


def rebound_data(start: date, end: date) -> dict:
    """反弹 of the period (1 query): the rebound ledger's entries found in the period."""
    entries = (
        ReboundEntry.objects.filter(found_on__gte=start, found_on__lte=end)
        .select_related("visit__draw", "case__inspection", "case__lead_unit")
        .order_by("found_on", "pk")
    )
    rows = [
        {
            "id": e.pk,
            **_case_ref(e.case),
            "found_on": e.found_on.isoformat(),
            "source": f"{e.visit.draw.month:%Y-%m}复查回访" if e.visit_id else "其他途径发现",
            "description": e.description[:80],
            "disposition": e.disposition[:80],
            "resolved_on": _iso(e.resolved_on),
        }
        for e in entries
    ]
    return {"entries": rows, "resolved": sum(1 for r in rows if r["resolved_on"])}


# --- daily dispatch ----------------------------------------------------------------------------


DISPATCH_KEYS = ("changed", "due_soon", "overdue", "no_progress")


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

    tasks = tasks_with_status(RectificationTask.objects.select_related("inspection", "lead_unit"), day)
    changed = task_ids_changed_between([t.pk for t in tasks], y_start, y_end)
    # 无进展 = no progress report since ``quiet_since``: rectification's definition, as on its task list.
    quiet = dict(
        tasks_without_progress_since(RectificationTask.objects.all(), quiet_since).values_list(
            "pk", "last_report_on"
        )
    )
    for task in tasks:
        row = _task_row(task) | {"kind": "task", "label": f"任务 {task.number}"}
        if task.pk in changed:
            section(task.lead_unit_id)["changed"].append(
                row | {"situation": "任务、措施、时间节点或整改进展有更新"}
            )
        if task.status in FINISHED_TASK_STATES:
            continue
        if task.deadline < day:
            section(task.lead_unit_id)["overdue"].append(row)
        elif task.deadline <= soon_until:
            section(task.lead_unit_id)["due_soon"].append(row)
        if task.pk in quiet:
            last = quiet[task.pk]
            section(task.lead_unit_id)["no_progress"].append(
                row | {"situation": f"最近进展报告 {last.isoformat()}" if last else "尚无进展报告"}
            )
    ordered = sorted(sections.values(), key=lambda s: (s["unit"] == "未定单位", s["unit"]))
    return {
        "as_of": day.isoformat(),
        "due_soon_days": settings.DUE_SOON_DAYS,
        "no_progress_days": settings.NO_PROGRESS_DAYS,
        "overall": {k: sum(len(s[k]) for s in ordered) for k in DISPATCH_KEYS},
        "units": [s | {"counts": {k: len(s[k]) for k in DISPATCH_KEYS}} for s in ordered],
    }


def dispatch_for_units(data: dict, unit_ids) -> dict:
    """The dispatch as a unit user sees it: only their units' sections, and totals over those
    sections alone (never the whole district's ``overall``)."""
    units = [s for s in data["units"] if s["unit_id"] in set(unit_ids)]
    return data | {
        "units": units,
        "overall": {k: sum(s["counts"][k] for s in units) for k in DISPATCH_KEYS},
        "own_units_only": True,
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
    summary = (
        f"整改任务 {t['total']} 项：已完成 {t['complete']}，按序时推进 {t['on_schedule']}，"
        f"滞后 {t['behind']}，逾期 {t['overdue']}；信访案件 {data['cases']['total']} 件，"
        f"本期销号 {len(data['cases']['closed'])} 件。"
    )
    if "rechecks" in data:  # reports built before re-checks were reported lack these figures
        r = data["rechecks"]
        summary += (
            f"本期复查回访 {r['visited']} 件（巩固 {r['holds']}，反弹 {r['rebounded']}），"
            f"新增反弹 {len(data['rebounds']['entries'])} 件。"
        )
    return summary
