"""报告送达各单位: each lead unit's own section of every weekly and monthly report.

The report builder calls ``attach_sections`` once when it stores a weekly or monthly report, and
``notify_units`` when it sends one. A section (ReportSection) holds the unit's figures and its
overdue and behind-schedule items, bounded: at most SECTION_LIMIT items of each list, with the
totals and the links to the unit's full filtered lists. Every figure comes from one grouped SQL
query over all units at once and every list from one windowed query (ROW_NUMBER per unit), so
building the sections of any number of units takes a fixed number of queries.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from cases.domain.queries import overdue_q
from cases.models import PetitionCase
from notifications.domain.services import notify_many
from notifications.enums import NotificationKind
from org.domain.units import users_of_units
from org.enums import Role
from org.models import Unit
from rectification.domain.queries import annotate_schedule_status
from rectification.enums import ScheduleStatus
from rectification.models import RectificationTask

from ..enums import ReportKind
from ..models import Report, ReportSection

SECTION_LIMIT = 50  # items of each list kept per unit; the rest behind the link to the full list
TASK_STATUSES = (
    ScheduleStatus.COMPLETE,
    ScheduleStatus.ON_SCHEDULE,
    ScheduleStatus.BEHIND,
    ScheduleStatus.OVERDUE,
)
RECIPIENT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def section_url(report_id: int, unit_id: int) -> str:
    return reverse("supervision:report_unit", args=[report_id, unit_id])


def _task_counts(as_of: date) -> dict[int, dict]:
    """{lead unit: {schedule status: n}} in one grouped query (the status definitions' SQL)."""
    rows = (
        annotate_schedule_status(RectificationTask.objects.order_by(), as_of)
        .values_list("lead_unit_id", "schedule_status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict] = {}
    for unit_id, status, n in rows:
        counts.setdefault(unit_id, {})[status] = n
    return counts


def _case_counts(start: date, end: date, as_of: date) -> dict[int, dict]:
    """{lead unit: figures} of the cases in one grouped query."""
    rows = (
        PetitionCase.objects.filter(lead_unit__isnull=False)
        .order_by()
        .values("lead_unit_id")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_q(as_of)),
            closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
            key=Count("pk", filter=Q(is_key=True)),
        )
    )
    return {r.pop("lead_unit_id"): r for r in rows}


def _slow_tasks(as_of: date) -> dict[tuple[int, str], list[dict]]:
    """The SECTION_LIMIT earliest-due overdue and behind tasks of each unit, in one windowed query."""
    qs = (
        annotate_schedule_status(RectificationTask.objects.order_by(), as_of)
        .filter(schedule_status__in=[ScheduleStatus.OVERDUE, ScheduleStatus.BEHIND])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("lead_unit_id"), F("schedule_status")],
                order_by=[F("deadline").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=SECTION_LIMIT)
        .values(
            "pk", "number", "problem", "deadline", "lead_unit_id", "schedule_status", "responsible_person"
        )
    )
    out: dict[tuple[int, str], list[dict]] = {}
    for t in sorted(qs, key=lambda r: (r["deadline"], r["pk"])):
        out.setdefault((t["lead_unit_id"], t["schedule_status"]), []).append(
            {
                "id": t["pk"],
                "number": t["number"],
                "problem": t["problem"][:80],
                "deadline": t["deadline"].isoformat(),
                "responsible": t["responsible_person"],
                "status_label": ScheduleStatus(t["schedule_status"]).label,
                "days_late": (as_of - t["deadline"]).days if t["deadline"] < as_of else 0,
            }
        )
    return out


def _overdue_cases(as_of: date) -> dict[int, list[dict]]:
    """The SECTION_LIMIT earliest-due overdue cases of each unit, in one windowed query."""
    qs = (
        PetitionCase.objects.filter(overdue_q(as_of), lead_unit__isnull=False)
        .order_by()
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("lead_unit_id")], order_by=[F("deadline").asc(), F("pk").asc()]
            )
        )
        .filter(rank__lte=SECTION_LIMIT)
        .values("pk", "receipt_no", "complaint", "deadline", "lead_unit_id", "state", "handler")
    )
    states = dict(PetitionCase._meta.get_field("state").flatchoices)
    out: dict[int, list[dict]] = {}
    for c in sorted(qs, key=lambda r: (r["deadline"], r["pk"])):
        out.setdefault(c["lead_unit_id"], []).append(
            {
                "id": c["pk"],
                "receipt_no": c["receipt_no"],
                "complaint": c["complaint"][:80],
                "deadline": c["deadline"].isoformat(),
                "responsible": c["handler"],
                "state_label": str(states.get(c["state"], c["state"])),
                "days_late": (as_of - c["deadline"]).days,
            }
        )
    return out


def unit_sections(start: date, end: date, *, as_of: date) -> dict[int, dict]:
    """{unit id: section data} for every unit that leads a task or a case; 5 queries in all."""
    task_counts = _task_counts(as_of)
    case_counts = _case_counts(start, end, as_of)
    slow = _slow_tasks(as_of)
    overdue_cases = _overdue_cases(as_of)
    unit_ids = {u for u in (*task_counts, *case_counts) if u}
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    sections = {}
    for unit_id in sorted(unit_ids, key=lambda u: (names.get(u, ""), u)):
        t = task_counts.get(unit_id, {})
        tasks = {str(s): t.get(s, 0) for s in TASK_STATUSES}
        tasks["total"] = sum(tasks.values())
        cases = case_counts.get(unit_id, {"total": 0, "overdue": 0, "closed": 0, "key": 0})
        lead = {"lead_unit": unit_id}
        sections[unit_id] = {
            "unit_id": unit_id,
            "unit": names.get(unit_id, ""),
            "as_of": as_of.isoformat(),
            "limit": SECTION_LIMIT,
            "tasks": tasks,
            "cases": cases,
            "overdue_tasks": slow.get((unit_id, ScheduleStatus.OVERDUE), []),
            "behind_tasks": slow.get((unit_id, ScheduleStatus.BEHIND), []),
            "overdue_cases": overdue_cases.get(unit_id, []),
            "links": {
                "tasks": _url("rectification:list", **lead),
                "overdue_tasks": _url("rectification:list", schedule=ScheduleStatus.OVERDUE, **lead),
                "behind_tasks": _url("rectification:list", schedule=ScheduleStatus.BEHIND, **lead),
                "cases": _url("cases:list", **lead),
                "overdue_cases": _url("cases:list", overdue="true", **lead),
                "closed_cases": _url(
                    "cases:list", closed_from=start.isoformat(), closed_to=end.isoformat(), **lead
                ),
            },
        }
    return sections


def attach_sections(report: Report, *, as_of: date) -> list[ReportSection]:
    """Store the per-unit sections of a weekly or monthly report (the daily dispatch has its own
    per-unit part in its data); 6 queries whatever the number of units and items."""
    if report.kind == ReportKind.DAILY:
        return []
    sections = unit_sections(report.period_start, report.period_end, as_of=as_of)
    return ReportSection.objects.bulk_create(
        ReportSection(report=report, unit_id=unit_id, data=data) for unit_id, data in sections.items()
    )


def sections_visible_to(report: Report, access):
    """The sections of ``report`` a person may open: all for the read-all roles, else their units'."""
    qs = ReportSection.objects.filter(report=report)
    return qs if access.reads_all else qs.filter(unit_id__in=access.unit_ids)


def notify_units(report: Report, *, suffix: str = "") -> int:
    """Tell each unit's heads and staff that their section of a weekly or monthly report is ready,
    with the link to it; one notification per person, section and round (dedupe key). A fixed
    number of queries whatever the number of units and people (notify_many)."""
    if report.kind == ReportKind.DAILY:
        return 0
    rows = list(ReportSection.objects.filter(report=report).values_list("unit_id", "data"))
    people = users_of_units([u for u, _ in rows], RECIPIENT_ROLES)
    title = f"{report.get_kind_display()}（{report.period_label}）"
    messages = []
    for unit_id, data in rows:
        t, c = data["tasks"], data["cases"]
        fields = {
            "kind": NotificationKind.REPORT,
            "title": f"{title}：{data['unit']}",
            "body": f"本单位整改任务 {t['total']} 项（逾期 {t['overdue']}，滞后序时 {t['behind']}），"
            f"信访案件 {c['total']} 件（逾期 {c['overdue']}）。请查看本单位分节并推进逾期、滞后事项。",
            "link": section_url(report.pk, unit_id),
            "reason": "您是责任单位人员，接收本单位在周报、月报中的分节",
            "dedupe_key": f"report:{report.pk}:section:{unit_id}{suffix}",
        }
        messages.append((people.get(unit_id, []), fields))
    return len(notify_many(messages))
