"""调度与报告: the daily dispatch and the weekly / monthly reports, built as dated records.

Each builder takes a snapshot of figures and lists into ``Report.data`` (JSON). One report per
kind and period (a unique constraint): a second build for the same period returns the stored
one and notifies nobody again. Every builder runs a fixed number of queries, whatever the
number of tasks and cases (tests assert it).
"""

import logging
from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries import annotate_overdue, changed_on_q, due_soon_q, open_case_q, overdue_q
from cases.enums import CaseState, CompletionStatus, RecheckResult
from cases.exporters import COUNTER_FIELDS
from cases.models import PetitionCase, ReboundEntry, RecheckDraw, RecheckVisit
from notifications.domain.services import notify, notify_many
from notifications.enums import NotificationKind
from org.models import Inspection, Unit
from rectification.domain.queries import (
    annotate_schedule_status,
    changed_on_task_q,
    due_soon_task_q,
    open_task_q,
    overdue_task_q,
    tasks_without_progress_since,
    with_latest_progress,
)
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import ReportKind, WarningLevel
from ..models import AdmonitionTalk, ClueReferral, EarlyWarning, Report, SupervisionLetter
from .queries import office_users, unit_heads
from .report_units import attach_sections, notify_units

log = logging.getLogger(__name__)

TASK_STATUS_ORDER = [
    ScheduleStatus.COMPLETE,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.OVERDUE,
]
ENFORCEMENT_FIELDS = COUNTER_FIELDS  # the case ledger's 查处问责 counters, in its order
# Each detail list of a stored report keeps this many rows (the most urgent), with the total and a
# link to the full filtered list: a report's size does not grow with the number of cases.
DETAIL_LIMIT = 50


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


def _url(name: str, **params) -> str:
    """A list's address filtered to exactly the rows a figure counts."""
    query = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _task_row(task) -> dict:
    status = task.schedule_status
    return {
        "id": task.pk,
        "kind": "task",
        "label": f"任务 {task.number}",
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
        "kind": "case",
        "label": f"案件 {case.receipt_no}",
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


def _cases_for_rows(qs):
    return qs.select_related("inspection", "lead_unit").only(
        "pk",
        "receipt_no",
        "complaint",
        "deadline",
        "state",
        "lead_unit_id",
        "lead_unit__name",
        "inspection__name",
    )


# --- weekly and monthly report -----------------------------------------------------------------


def report_data(start: date, end: date, *, as_of: date) -> dict:
    """Figures and lists of a weekly or monthly report: every figure from one grouped SQL query
    (schedule status and overdue as the status definitions' SQL), every list the ``DETAIL_LIMIT``
    most urgent rows with the total and a link to the full list — so the stored report has the
    same size whatever the number of items. A fixed number of queries."""
    inspections = list(Inspection.objects.order_by("start_date", "pk"))
    names = {i.pk: i.name for i in inspections}
    status_counts = (
        annotate_schedule_status(RectificationTask.objects.order_by(), as_of)
        .values_list("inspection_id", "schedule_status")
        .annotate(n=Count("pk"))
    )
    by_insp: dict[int, Counter] = {}
    for insp_id, status, n in status_counts:
        by_insp.setdefault(insp_id, Counter())[status] += n
    task_by_inspection = [
        {
            "inspection": names[pk],
            "inspection_id": pk,
            **{str(s): by_insp[pk][s] for s in TASK_STATUS_ORDER},
            "total": sum(by_insp[pk].values()),
            "links": {
                **{str(s): _url("rectification:list", inspection=pk, schedule=s) for s in TASK_STATUS_ORDER},
                "total": _url("rectification:list", inspection=pk),
            },
        }
        for pk in names
        if pk in by_insp
    ]
    task_totals = {str(s): sum(r[str(s)] for r in task_by_inspection) for s in TASK_STATUS_ORDER}
    task_totals["total"] = sum(r["total"] for r in task_by_inspection)
    task_links = {str(s): _url("rectification:list", schedule=s) for s in TASK_STATUS_ORDER}
    task_links["total"] = _url("rectification:list")
    slow = annotate_schedule_status(
        RectificationTask.objects.select_related("inspection", "lead_unit"), as_of
    ).filter(schedule_status__in=[ScheduleStatus.OVERDUE, ScheduleStatus.BEHIND])
    slow_rows = [_task_row(t) for t in slow.order_by("deadline", "pk")[:DETAIL_LIMIT]]

    # Every case figure in one pass over the cases: grouped by inspection × state × completion
    # status, with the period's closed, the key cases and the 查处问责 sums as conditional
    # aggregates (a handful of groups, however many cases).
    by_state: dict[int, dict] = {}
    completion: Counter = Counter()
    case_figures: dict = {"closed": 0, "key": 0, "key_overdue": 0, **{f: 0 for f in ENFORCEMENT_FIELDS}}
    for row in (
        PetitionCase.objects.order_by()
        .values("inspection_id", "state", "completion_status")
        .annotate(
            n=Count("state"),
            closed=Count("state", filter=Q(closed_on__gte=start, closed_on__lte=end)),
            key=Count("state", filter=Q(is_key=True)),
            key_overdue=Count("state", filter=Q(is_key=True) & overdue_q(as_of)),
            **{f"sum_{f}": Sum(f) for f in ENFORCEMENT_FIELDS},
        )
    ):
        states = by_state.setdefault(row["inspection_id"], {})
        states[row["state"]] = states.get(row["state"], 0) + row["n"]
        completion[row["completion_status"]] += row["n"]
        for key in ("closed", "key", "key_overdue"):
            case_figures[key] += row[key]
        for f in ENFORCEMENT_FIELDS:
            case_figures[f] += row[f"sum_{f}"] or 0
    case_by_inspection = [
        {
            "inspection": names[pk],
            "inspection_id": pk,
            "states": {s.value: by_state[pk].get(s.value, 0) for s in CaseState},
            "links": {s.value: _url("cases:list", inspection=pk, state=s.value) for s in CaseState},
            "total": sum(by_state[pk].values()),
            "total_link": _url("cases:list", inspection=pk),
        }
        for pk in names
        if pk in by_state
    ]
    closed = _cases_for_rows(PetitionCase.objects.filter(closed_on__gte=start, closed_on__lte=end))
    key_cases = annotate_overdue(_cases_for_rows(PetitionCase.objects.filter(is_key=True)), as_of)
    key_cases = key_cases.order_by("-is_overdue", F("deadline").asc(nulls_last=True), "pk")
    warn_counts = dict(
        EarlyWarning.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    letters = SupervisionLetter.objects.filter(issued_on__gte=start, issued_on__lte=end)
    period = {"raised_from": start.isoformat(), "raised_to": end.isoformat()}
    return {
        "as_of": as_of.isoformat(),
        "detail_limit": DETAIL_LIMIT,
        "tasks": {
            "by_inspection": task_by_inspection,
            "totals": task_totals,
            "links": task_links,
            "slow": slow_rows,
            "slow_count": task_totals[ScheduleStatus.BEHIND] + task_totals[ScheduleStatus.OVERDUE],
        },
        "cases": {
            "by_inspection": case_by_inspection,
            "states": [{"value": s.value, "label": s.label} for s in CaseState],
            "completion": [
                {
                    "value": c.value,
                    "label": c.label,
                    "count": completion.get(c.value, 0),
                    "link": _url("cases:list", completion_status=c.value),
                }
                for c in CompletionStatus
            ],
            "total": sum(r["total"] for r in case_by_inspection),
            "total_link": _url("cases:list"),
            "closed": [_case_row(c) for c in closed.order_by("closed_on", "pk")[:DETAIL_LIMIT]],
            "closed_count": case_figures["closed"],
            "closed_link": _url("cases:list", closed_from=start.isoformat(), closed_to=end.isoformat()),
            "key": [_case_row(c) | {"overdue": c.is_overdue} for c in key_cases[:DETAIL_LIMIT]],
            "key_count": case_figures["key"],
            "key_link": _url("cases:list", is_key="true"),
            "key_overdue": case_figures["key_overdue"],
            "key_overdue_link": _url("cases:list", is_key="true", overdue="true"),
        },
        "rechecks": recheck_data(start, end),
        "rebounds": rebound_data(start, end),
        "enforcement": [
            {
                "field": f,
                "label": PetitionCase._meta.get_field(f).verbose_name,
                "value": float(case_figures[f] or 0) if f == "fine_amount" else int(case_figures[f] or 0),
            }
            for f in ENFORCEMENT_FIELDS
        ],
        "escalation": {
            "warnings": [
                {
                    "level": lv.value,
                    "label": lv.label,
                    "count": warn_counts.get(lv.value, 0),
                    "link": _url("supervision:warnings", level=lv.value, **period),
                }
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
                for letter in letters.select_related("unit", "task", "case").order_by("issued_on", "pk")[
                    :DETAIL_LIMIT
                ]
            ],
            "letters_count": letters.count(),
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


def _dispatch_sections(day: date) -> dict:
    """Each dispatch section as (cases Q or None, tasks Q or None, the list filters of each) —
    the status definitions of cases.domain.queries and rectification.domain.queries."""
    yesterday = day - timedelta(days=1)
    days = settings.DUE_SOON_DAYS
    return {
        "changed": (
            changed_on_q(yesterday),
            changed_on_task_q(yesterday),
            {"changed_on": yesterday.isoformat()},
            {"changed_on": yesterday.isoformat()},
        ),
        "due_soon": (
            due_soon_q(days, day),
            due_soon_task_q(days, day),
            {"due_soon": "true"},
            {"due_soon": "true"},
        ),
        "overdue": (overdue_q(day), overdue_task_q(day), {"overdue": "true"}, {"overdue": "true"}),
        "no_progress": (
            None,
            open_task_q() & Q(pk__in=_quiet_task_ids(day)),
            None,
            {"stale": "1"},
        ),
    }


def _quiet_task_ids(day: date):
    since = day - timedelta(days=settings.NO_PROGRESS_DAYS)
    return tasks_without_progress_since(RectificationTask.objects.all(), since).order_by().values("pk")


# Most urgent first: the longest overdue, the nearest deadline, the most recent change.
_ORDER = {"changed": ("-pk",), "due_soon": ("deadline", "pk"), "overdue": ("deadline", "pk")}


def dispatch_data(day: date) -> dict:
    """按日调度 of ``day``: per lead unit and overall, cases and tasks changed yesterday, due in
    ``DUE_SOON_DAYS`` days, overdue, and tasks with no progress report for ``NO_PROGRESS_DAYS`` days.

    Every count is one conditional ``Count`` in one grouped query per model (the status
    definitions' SQL); each count carries the link to the list filtered to exactly its rows. Each
    section keeps the ``DETAIL_LIMIT`` most urgent items, so the stored dispatch does not grow
    with the number of cases. A fixed number of queries.
    """
    sections = _dispatch_sections(day)
    # Cases in two grouped queries, each over only its rows: the open ones (due soon and overdue
    # are open cases; the partial index of open cases) and the few that changed yesterday.
    case_counts = _grouped(
        PetitionCase,
        {"due_soon": sections["due_soon"][0], "overdue": sections["overdue"][0]},
        where=open_case_q(),
    )
    for unit_id, counts in _grouped(
        PetitionCase, {"changed": sections["changed"][0]}, where=sections["changed"][0]
    ).items():
        case_counts.setdefault(unit_id, {}).update(counts)
    task_counts = _grouped(RectificationTask, {k: v[1] for k, v in sections.items()})
    unit_ids = sorted(set(case_counts) | set(task_counts), key=lambda u: (u is None, u or 0))
    names = dict(Unit.objects.filter(pk__in=[u for u in unit_ids if u]).values_list("pk", "name"))
    units = []
    for unit_id in unit_ids:
        cases = {k: case_counts.get(unit_id, {}).get(k, 0) for k in DISPATCH_KEYS}
        tasks = {k: task_counts.get(unit_id, {}).get(k, 0) for k in DISPATCH_KEYS}
        if not any(cases.values()) and not any(tasks.values()):
            continue
        lead = {"lead_unit": unit_id} if unit_id else {}
        units.append(
            {
                "unit_id": unit_id,
                "unit": names.get(unit_id, "未定单位"),
                "cases": cases,
                "tasks": tasks,
                "counts": {k: cases[k] + tasks[k] for k in DISPATCH_KEYS},
                "links": _dispatch_links(sections, lead) if unit_id else {},
            }
        )
    units.sort(key=lambda s: (s["unit_id"] is None, s["unit"]))
    overall_cases = {k: sum(s["cases"][k] for s in units) for k in DISPATCH_KEYS}
    overall_tasks = {k: sum(s["tasks"][k] for s in units) for k in DISPATCH_KEYS}
    return {
        "as_of": day.isoformat(),
        "due_soon_days": settings.DUE_SOON_DAYS,
        "no_progress_days": settings.NO_PROGRESS_DAYS,
        "detail_limit": DETAIL_LIMIT,
        "overall": {k: overall_cases[k] + overall_tasks[k] for k in DISPATCH_KEYS},
        "overall_cases": overall_cases,
        "overall_tasks": overall_tasks,
        "links": _dispatch_links(sections, {}),
        "units": units,
        "items": {k: _dispatch_items(k, sections[k], day) for k in DISPATCH_KEYS},
    }


def _grouped(model, conditions: dict, *, where: Q | None = None) -> dict:
    """{lead unit id: {section: count}} in one grouped query over ``model`` (only the rows of
    ``where``, which every condition implies)."""
    qs = model.objects.order_by() if where is None else model.objects.filter(where).order_by()
    # A NOT NULL column of the partial index of open cases: the counts are read from the index.
    column = "state" if model is PetitionCase else "pk"
    rows = qs.values("lead_unit_id").annotate(**{k: Count(column, filter=q) for k, q in conditions.items()})
    return {r.pop("lead_unit_id"): r for r in rows}


def _dispatch_links(sections, lead: dict) -> dict:
    return {
        k: {
            "cases": _url("cases:list", **case_params, **lead) if case_params is not None else "",
            "tasks": _url("rectification:list", **task_params, **lead),
        }
        for k, (_, _, case_params, task_params) in sections.items()
    }


def _dispatch_items(key: str, section, day: date) -> list[dict]:
    """The ``DETAIL_LIMIT`` most urgent items of one section (cases and tasks together)."""
    case_q, task_q, _, _ = section
    order = _ORDER.get(key, ("deadline", "pk"))
    rows = []
    if case_q is not None:
        cases = _cases_for_rows(PetitionCase.objects.filter(case_q)).order_by(*order)[:DETAIL_LIMIT]
        rows += [_case_row(c) for c in cases]
    tasks = annotate_schedule_status(
        RectificationTask.objects.filter(task_q).select_related("inspection", "lead_unit"), day
    )
    if key == "no_progress":
        tasks = with_latest_progress(tasks)
    for task in tasks.order_by(*order)[:DETAIL_LIMIT]:
        row = _task_row(task)
        if key == "no_progress":
            last = task.last_report_on
            row["situation"] = f"最近进展报告 {last.isoformat()}" if last else "尚无进展报告"
        elif key == "changed":
            row["situation"] = "任务、措施、时间节点或整改进展有更新"
        rows.append(row)
    if key != "changed":
        rows.sort(key=lambda r: (r["deadline"] or "9999", r["kind"], r["id"]))
    return rows[:DETAIL_LIMIT]


def dispatch_for_units(data: dict, unit_ids) -> dict:
    """The dispatch as a unit user sees it: only their units' sections and items, and totals over
    those sections alone (never the whole district's ``overall``)."""
    own = set(unit_ids)
    units = [s for s in data["units"] if s["unit_id"] in own]
    items = {k: [r for r in rows if r.get("unit_id") in own] for k, rows in data.get("items", {}).items()}
    return data | {
        "units": units,
        "items": items,
        "overall": {k: sum(s["counts"][k] for s in units) for k in DISPATCH_KEYS},
        "overall_cases": {k: sum(s.get("cases", {}).get(k, 0) for s in units) for k in DISPATCH_KEYS},
        "overall_tasks": {k: sum(s.get("tasks", {}).get(k, 0) for s in units) for k in DISPATCH_KEYS},
        "links": {},
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
            attach_sections(report, as_of=day)  # each unit's own section (weekly, monthly)
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
        messages = []  # one message per unit, all stored in a fixed number of queries
        for unit_id, section in sections.items():
            c = section["counts"]
            fields = {
                "kind": NotificationKind.DAILY_DISPATCH,
                "title": f"{title}：{section['unit']}",
                "body": f"昨日变化 {c['changed']} 项，{report.data['due_soon_days']}日内到期 {c['due_soon']} 项，"
                f"逾期 {c['overdue']} 项，{report.data['no_progress_days']}日无进展 {c['no_progress']} 项。",
                "link": f"{link}#unit-{unit_id}",
                "reason": "您是责任单位负责人，接收本单位的按日调度",
                "dedupe_key": f"report:{report.pk}:unit:{unit_id}{suffix}",
            }
            messages.append((heads.get(unit_id, []), fields))
        sent += len(notify_many(messages))
    sent += notify_units(report, suffix=suffix)  # each unit's heads and staff: their section
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
        f"本期销号 {data['cases'].get('closed_count', len(data['cases']['closed']))} 件。"
    )
    if "rechecks" in data:  # reports built before re-checks were reported lack these figures
        r = data["rechecks"]
        summary += (
            f"本期复查回访 {r['visited']} 件（巩固 {r['holds']}，反弹 {r['rebounded']}），"
            f"新增反弹 {len(data['rebounds']['entries'])} 件。"
        )
    return summary
