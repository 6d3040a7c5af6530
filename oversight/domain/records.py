"""Writing the oversight records: every rule is checked here (forms only parse), a refusal is a
DomainError in Chinese naming the field, nothing is half-saved (one transaction), and every save
carries its author into the record's history."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.domain.errors import DomainError
from org.enums import Role
from org.models import RoleAssignment
from qianshan.common.uploads import IMAGE, OFFICE, PDF, check_file, read_upload

from ..enums import FollowUpState
from ..models import DisciplineInspection, FollowUpItem, LeaderAssignment, Meeting, SpecialInspection
from .access import can_write_discipline_records, can_write_office_records

MINUTES_KINDS = (PDF, OFFICE, IMAGE)


def _text(value: str | None, label: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", field=field)
    return value


def _day(value: date | None, label: str, field: str, today: date, *, future_ok: bool = False) -> date:
    if value is None:
        raise DomainError(f"请填写{label}。", field=field)
    if not future_ok and value > today:
        raise DomainError(f"{label}不能晚于今天（{today.isoformat()}）。", field=field)
    return value


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


def _require_office(actor, what: str) -> None:
    if not can_write_office_records(actor):
        raise DomainError(f"只有协调组办公室可以{what}。")


def _require_discipline(actor, what: str) -> None:
    if not can_write_discipline_records(actor):
        raise DomainError(f"只有纪工委或协调组办公室可以{what}。")


# --- meetings ------------------------------------------------------------------------------------


def save_meeting(
    *,
    actor,
    meeting: Meeting | None = None,
    kind: str,
    title: str,
    held_on: date | None,
    studies_environment: bool,
    attendees: str,
    decisions: str,
    approved_inspections=(),
    units=(),
    minutes=None,
    today: date | None = None,
) -> Meeting:
    """记录（或修改）一次党工委/管委会会议; ``minutes`` is an uploaded file (checked by content)."""
    _require_office(actor, "记录党工委、管委会会议")
    today = today or timezone.localdate()
    if not kind:
        raise DomainError("请选择会议类型。", field="kind")
    checked = None
    if minutes:
        checked = check_file(*read_upload(minutes, field="minutes"), allowed=MINUTES_KINDS, field="minutes")
    meeting = meeting or Meeting(recorded_by=actor)
    meeting.kind = kind
    meeting.title = _text(title, "会议名称", "title")
    meeting.held_on = _day(held_on, "会议日期", "held_on", today)
    meeting.studies_environment = bool(studies_environment)
    meeting.attendees = _text(attendees, "出席人员", "attendees")
    meeting.decisions = _text(decisions, "研究决定事项", "decisions")
    with transaction.atomic():
        if checked is not None:
            meeting.minutes.save(checked.stored_name, checked.content(), save=False)
            meeting.minutes_name = checked.name
            meeting.minutes_type = checked.content_type
            meeting.minutes_sha256 = checked.sha256
        _save(meeting, actor)
        meeting.approved_inspections.set(list(approved_inspections))
        meeting.units.set(list(units))
    return meeting


# --- leader assignments --------------------------------------------------------------------------


def save_assignments(
    *,
    actor,
    assignment: LeaderAssignment | None = None,
    leader,
    units,
    starts_on: date | None,
    ends_on: date | None,
    duty: str = "",
) -> list[LeaderAssignment]:
    """登记分管关系: one row per unit (all or none); ``assignment`` edits one existing row."""
    _require_office(actor, "登记领导分管单位")
    units = list(units or [])
    if leader is None:
        raise DomainError("请选择分管领导。", field="leader")
    if not RoleAssignment.objects.filter(user=leader, role=Role.LEADERSHIP).exists():
        raise DomainError(
            f"分管领导“{leader}”没有“领导”角色，请先在系统管理中为其分配该角色。", field="leader"
        )
    if not units:
        raise DomainError("请选择分管单位。", field="units")
    if assignment is not None and len(units) != 1:
        raise DomainError("修改一条分管关系时只能选择一个分管单位。", field="units")
    if starts_on is None:
        raise DomainError("请填写起始日期。", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("终止日期不能早于起始日期。", field="ends_on")
    saved = []
    with transaction.atomic():
        for unit in units:
            overlapping = LeaderAssignment.objects.filter(
                _overlap_q(starts_on, ends_on), leader=leader, unit=unit
            )
            if assignment is not None:
                overlapping = overlapping.exclude(pk=assignment.pk)
            if overlapping.exists():
                raise DomainError(
                    f"分管单位“{unit}”：{leader} 在该期间已有分管登记，不能重复登记。", field="units"
                )
            row = assignment or LeaderAssignment(recorded_by=actor)
            row.leader, row.unit, row.starts_on, row.ends_on = leader, unit, starts_on, ends_on
            row.duty = (duty or "").strip()
            _save(row, actor)
            saved.append(row)
    return saved


def _overlap_q(starts_on: date, ends_on: date | None) -> Q:
    """Rows whose period [starts_on, ends_on or ∞] meets the given one."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lte=ends_on)
    return q


# --- inspections ---------------------------------------------------------------------------------


def save_discipline_inspection(
    *,
    actor,
    inspection: DisciplineInspection | None = None,
    inspected_on: date | None,
    units,
    inspectors: str,
    findings: str,
    today: date | None = None,
) -> DisciplineInspection:
    """记录纪工委现场督查 (正文五6: monthly, on site)."""
    _require_discipline(actor, "记录纪工委现场督查")
    today = today or timezone.localdate()
    units = list(units or [])
    inspection = inspection or DisciplineInspection(recorded_by=actor)
    inspection.inspected_on = _day(inspected_on, "督查日期", "inspected_on", today)
    if not units:
        raise DomainError("请选择督查单位。", field="units")
    inspection.inspectors = _text(inspectors, "督查人员", "inspectors")
    inspection.findings = _text(findings, "发现的问题", "findings")
    with transaction.atomic():
        _save(inspection, actor)
        inspection.units.set(units)
    return inspection


def save_special_inspection(
    *,
    actor,
    inspection: SpecialInspection | None = None,
    title: str,
    area: str,
    field: str,
    scope: str,
    starts_on: date | None,
    ends_on: date | None,
    members: str,
    units=(),
    findings: str = "",
    today: date | None = None,
) -> SpecialInspection:
    """记录专项督查 of an area or a field (正文五6)."""
    _require_discipline(actor, "记录专项督查")
    today = today or timezone.localdate()
    inspection = inspection or SpecialInspection(recorded_by=actor)
    inspection.title = _text(title, "督查名称", "title")
    inspection.area, inspection.field = (area or "").strip(), (field or "").strip()
    if not inspection.area and not inspection.field:
        raise DomainError("请填写督查区域或督查领域（专项督查针对某一区域或某一领域）。", field="area")
    inspection.scope = _text(scope, "督查范围", "scope")
    inspection.starts_on = _day(starts_on, "开始日期", "starts_on", today)
    if ends_on is not None and ends_on < inspection.starts_on:
        raise DomainError("结束日期不能早于开始日期。", field="ends_on")
    inspection.ends_on = ends_on
    inspection.members = _text(members, "督查组成员", "members")
    inspection.findings = (findings or "").strip()
    with transaction.atomic():
        _save(inspection, actor)
        inspection.units.set(list(units or []))
    return inspection


def add_follow_up(
    *,
    actor,
    parent: DisciplineInspection | SpecialInspection,
    description: str,
    unit=None,
    task=None,
    case=None,
    deadline: date | None = None,
) -> FollowUpItem:
    """督查发现问题的跟进事项, linked to a task or a case (its lead unit answers unless another is named)."""
    _require_discipline(actor, "登记督查跟进事项")
    description = _text(description, "跟进事项", "description")
    if task is not None and case is not None:
        raise DomainError("跟进事项只能关联一个整改任务或一个信访案件，请只选其一。", field="task")
    item = task or case
    if unit is None and item is not None:
        unit = item.lead_unit
    if unit is None:
        raise DomainError("请选择责任单位（或关联一个整改任务、信访案件）。", field="unit")
    start = parent.inspected_on if isinstance(parent, DisciplineInspection) else parent.starts_on
    if deadline is not None and deadline < start:
        raise DomainError(f"整改时限不能早于督查日期（{start.isoformat()}）。", field="deadline")
    row = FollowUpItem(
        description=description,
        unit=unit,
        task=task,
        case=case,
        deadline=deadline,
        **(
            {"discipline_inspection": parent}
            if isinstance(parent, DisciplineInspection)
            else {"special_inspection": parent}
        ),
    )
    with transaction.atomic():
        _save(row, actor)
    return row


def update_follow_up(
    *,
    actor,
    item: FollowUpItem,
    state: str,
    resolved_on: date | None,
    resolution: str,
    today: date | None = None,
) -> FollowUpItem:
    """跟进事项的整改情况: 已整改 needs the date and what was done; back to 跟进中 clears the date."""
    _require_discipline(actor, "更新督查跟进事项")
    today = today or timezone.localdate()
    if state not in FollowUpState.values:
        raise DomainError("请选择状态。", field="state")
    resolution = (resolution or "").strip()
    if state == FollowUpState.DONE:
        resolved_on = _day(resolved_on, "整改完成日期", "resolved_on", today)
        parent = item.parent
        start = parent.inspected_on if item.discipline_inspection_id else parent.starts_on
        if resolved_on < start:
            raise DomainError(f"整改完成日期不能早于督查日期（{start.isoformat()}）。", field="resolved_on")
        resolution = _text(resolution, "整改情况", "resolution")
    else:
        resolved_on = None
    item.state, item.resolved_on, item.resolution = state, resolved_on, resolution
    with transaction.atomic():
        _save(item, actor)
    return item
