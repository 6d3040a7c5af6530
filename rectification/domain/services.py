"""Writes to rectification tasks: edits, measure completion, progress, look-back and close-out."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.domain.errors import DomainError
from org.permissions import access_of, can_change_units
from qianshan.common import uploads

from ..enums import LookBackResult, TaskStatus, TaskStep
from ..evidence import ALL_FIELDS, REQUIRED, inconsistent_dates, missing_evidence
from ..models import (
    AnnualTarget,
    Attachment,
    LookBackCheck,
    Measure,
    ProgressReport,
    RectificationTask,
    TaskStepRecord,
)
from .rebounds import record_task_rebound

# Unit assignments of a task: only the coordination office sets or changes them (docs/rules.md §9),
# so a unit cannot hand its task to another unit (as cases.domain.services for cases).
UNIT_ASSIGNMENT_FIELDS = ("lead_unit", "supervising_unit", "accepting_unit")
M2M_ASSIGNMENT_FIELDS = ("cooperating_units",)


def _pk(value):
    return getattr(value, "pk", value)


def _check_unit_assignment(task: RectificationTask, actor, values: dict, m2m: dict) -> None:
    """Refuse a change to any unit field unless the actor is the coordination office."""
    if access_of(actor).writes_all:
        return
    for name in UNIT_ASSIGNMENT_FIELDS:
        if name in values and _pk(values[name]) != getattr(task, f"{name}_id"):
            label = RectificationTask._meta.get_field(name).verbose_name
            raise DomainError(f"只有协调组办公室可以指定或调整{label}。", field=name)
    for name in M2M_ASSIGNMENT_FIELDS:
        if name in m2m and {_pk(u) for u in m2m[name]} != {u.pk for u in getattr(task, name).all()}:
            label = RectificationTask._meta.get_field(name).verbose_name
            raise DomainError(f"只有协调组办公室可以指定或调整{label}。", field=name)


def update_task(
    task: RectificationTask,
    *,
    actor,
    values: dict,
    m2m: dict | None = None,
    reason: str = "",
    expected_updated_at=None,
) -> RectificationTask:
    """Save edited fields of a task with history; the fixed three are required (docs/rules.md §2).

    With ``expected_updated_at`` (the task's updated_at when the form was loaded) the save is refused
    if someone else saved the task or moved its close-out in between, so two editors never silently
    overwrite each other. Status changes only through advance_task.
    """
    _require_change(actor, task)
    if "status" in values:
        raise DomainError("任务状态只能通过销号环节改变。")
    _check_unit_assignment(task, actor, values, m2m or {})
    for name in ("lead_unit", "responsible_person", "standard", "deadline"):
        value = values.get(name, getattr(task, name, None))
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            label = RectificationTask._meta.get_field(name).verbose_name
            raise DomainError(
                f"“{label}”必填：整改任务必须明确责任单位、责任人、整改标准和整改时限。", field=name
            )
    with transaction.atomic():
        if expected_updated_at is not None:
            # A conditional update claims the row: 0 rows means another save got there first.
            claimed = RectificationTask.objects.filter(pk=task.pk, updated_at=expected_updated_at).update(
                updated_at=timezone.now()
            )
            if not claimed:
                raise DomainError("整改任务已被他人修改，请刷新页面查看最新内容后再保存。")
        for name, value in values.items():
            setattr(task, name, value)
        task._history_user = actor
        task._change_reason = reason or "编辑整改任务"
        task.save()
        for name, items in (m2m or {}).items():
            getattr(task, name).set(items)
    return task


# --- measures -------------------------------------------------------------------------------


def complete_measure(
    measure: Measure,
    *,
    actor,
    evidence: dict,
    done_on: date,
    note: str = "",
    files=(),
    today: date | None = None,
    is_temporary: bool = False,
) -> Measure:
    """Mark a measure complete once the evidence its kind needs is given (docs/rules.md §6).

    Saves the evidence fields and files; refuses, naming what is missing, and saves nothing otherwise.
    """
    today = today or timezone.localdate()
    _require_change(actor, measure.task)
    if is_temporary or measure.is_temporary:
        raise DomainError(
            "临时性应对措施暂时解决问题的，不得视为办结（附件2 一（三）1 注）：请落实长效整改措施后再标记完成。",
            field="is_temporary",
        )
    values = {name: evidence.get(name, getattr(measure, name)) for name in ALL_FIELDS}
    missing = missing_evidence(measure.kind, values)
    if missing:
        raise DomainError(
            f"{measure.get_kind_display()}标记完成前须提供：{'、'.join(missing)}。",
            field=_first_missing(measure, missing),
        )
    problems = inconsistent_dates(measure.kind, values)
    if done_on is None:
        problems.append("请填写完成日期")
    elif done_on > today:
        problems.append("完成日期不能晚于今天")
    if problems:
        raise DomainError("；".join(problems) + "。")
    checked = _check_files(files)
    with transaction.atomic():
        # Another user may have completed it meanwhile: only the first one writes.
        updated = Measure.objects.filter(pk=measure.pk, done=False).update(done=True, done_on=done_on)
        if not updated:
            raise DomainError("该措施已被标记完成，请刷新页面。")
        measure.refresh_from_db()
        for name, value in values.items():
            setattr(measure, name, value)
        if note:
            measure.evidence = note
        measure._history_user = actor
        measure._change_reason = "标记措施完成"
        measure.save()
        _save_files(checked, actor, measure=measure)
    return measure


def _first_missing(measure: Measure, missing: list[str]) -> str | None:
    for name, label in REQUIRED[measure.kind]:
        if label == missing[0]:
            return name
    return "cleared_on"


# --- progress -------------------------------------------------------------------------------


def report_progress(
    task: RectificationTask,
    *,
    actor,
    reported_on: date,
    text: str,
    percent: int,
    measure: Measure | None = None,
    files=(),
    today: date | None = None,
) -> ProgressReport:
    """File a dated progress report (整改进展) on a task or one of its measures, with checked attachments."""
    today = today or timezone.localdate()
    _require_change(actor, task)
    if measure is not None and measure.task_id != task.pk:
        raise DomainError("所选措施不属于该整改任务。", field="measure")
    if not (text or "").strip():
        raise DomainError("请填写进展情况。", field="text")
    if percent is None or not 0 <= percent <= 100:
        raise DomainError("完成比例须在 0 到 100 之间。", field="percent")
    if reported_on is None or reported_on > today:
        raise DomainError("报告日期不能晚于今天。", field="reported_on")
    checked = _check_files(files)
    with transaction.atomic():
        report = ProgressReport(
            task=task,
            measure=measure,
            reported_on=reported_on,
            text=text.strip(),
            percent=percent,
            reported_by=actor,
        )
        report._history_user = actor
        report.save()
        _save_files(checked, actor, progress_report=report)
    return report


# --- look-back (回头看) ----------------------------------------------------------------------


def record_look_back(
    measure: Measure,
    *,
    actor,
    checked_on: date,
    inspector: str,
    result: str,
    notes: str = "",
    files=(),
    today: date | None = None,
) -> LookBackCheck:
    """Record an on-site look-back check of a measure; a rebound reopens the measure and its task."""
    today = today or timezone.localdate()
    if not access_of(actor).writes_all:
        raise DomainError("只有协调组办公室可以记录回头看检查。")
    if not (inspector or "").strip():
        raise DomainError("请填写检查人。", field="inspector")
    if checked_on is None or checked_on > today:
        raise DomainError("检查日期不能晚于今天。", field="checked_on")
    if result not in LookBackResult.values:
        raise DomainError("请选择检查结果。", field="result")
    checked = _check_files(files)
    with transaction.atomic():
        check = LookBackCheck(
            measure=measure,
            checked_on=checked_on,
            inspector=inspector.strip(),
            result=result,
            notes=notes,
            recorded_by=actor,
        )
        check._history_user = actor
        check.save()
        _save_files(checked, actor, look_back_check=check)
        if result == LookBackResult.REBOUNDED:
            record_task_rebound(check, actor=actor)  # the task rebound ledger (分类处置)
            _reopen(
                measure,
                actor=actor,
                reason=f"回头看检查（{checked_on:%Y-%m-%d}）发现问题反弹：{notes}".rstrip("："),
            )
    return check


def _reopen(measure: Measure, *, actor, reason: str) -> None:
    if measure.done:
        measure.done, measure.done_on = False, None
        measure._history_user, measure._change_reason = actor, reason
        measure.save()
    task = RectificationTask.objects.get(pk=measure.task_id)
    if task.status != TaskStatus.REOPENED:
        _record_step(task, TaskStep.REOPEN, TaskStatus.REOPENED, actor=actor, note=reason)


# --- close-out (整改一个、验收一个、公示一个、销号一个、备案一个) ---------------------------------

# step → (states it may start from, state it leads to)
CLOSE_OUT: dict[str, tuple[frozenset, str]] = {
    TaskStep.COMPLETE: (frozenset({TaskStatus.IN_PROGRESS, TaskStatus.REOPENED}), TaskStatus.COMPLETE),
    TaskStep.ACCEPT: (frozenset({TaskStatus.COMPLETE}), TaskStatus.ACCEPTED),
    TaskStep.PUBLICIZE: (frozenset({TaskStatus.ACCEPTED}), TaskStatus.PUBLICIZED),
    TaskStep.CLOSE: (frozenset({TaskStatus.PUBLICIZED}), TaskStatus.CLOSED),
    TaskStep.FILE: (frozenset({TaskStatus.CLOSED}), TaskStatus.FILED),
}


def advance_task(
    task: RectificationTask, step: str, *, actor, note: str = "", today: date | None = None
) -> TaskStepRecord:
    """Take one close-out step of a task (who and when recorded); refuses out-of-order steps.

    complete: every measure complete and the annual target of this year (or of the deadline's year,
    see completion_target_year) marked reached; by the unit or office.
    accept: by the accepting unit (or the office). publicize / close / file: by the office; close
    only after the publicity period (settings.TASK_PUBLICITY_DAYS) has run.
    """
    today = today or timezone.localdate()
    if step not in CLOSE_OUT:
        raise DomainError("未知的销号环节。")
    sources, target = CLOSE_OUT[step]
    if task.status not in sources:
        raise DomainError(f"任务当前为“{task.get_status_display()}”，不能进行“{TaskStep(step).label}”。")
    _check_step_allowed(task, step, actor=actor, today=today)
    with transaction.atomic():
        return _record_step(task, step, target, actor=actor, note=note, today=today, expect=task.status)


def publicity_ends_on(task: RectificationTask) -> date | None:
    """Last day of the task's publicity, from its publicize step; None if never publicized."""
    started = publicity_started_on(task)
    if started is None:
        return None
    return started + timedelta(days=settings.TASK_PUBLICITY_DAYS - 1)


def publicity_started_on(task: RectificationTask) -> date | None:
    steps = [s for s in task.steps.all() if s.step == TaskStep.PUBLICIZE]
    return steps[-1].on_date if steps else None


def may_take_step(task: RectificationTask, step: str, *, actor) -> bool:
    """Whether the actor's role lets them take this close-out step (not whether the task is ready):
    complete by the task's units, accept by the accepting unit, the rest by the office (admin and
    office may take every step)."""
    access = access_of(actor)
    if step == TaskStep.COMPLETE:
        return can_change_units(actor, task.unit_ids)
    if step == TaskStep.ACCEPT:
        return access.writes_all or (
            task.accepting_unit_id is not None and task.accepting_unit_id in access.unit_ids
        )
    return access.writes_all


def check_step_allowed(task: RectificationTask, step: str, *, actor, today: date) -> None:
    """Raise DomainError with the reason ``actor`` may not take ``step`` now (no write): what
    advance_task checks, and what the task page's 下一步 panel shows on a disabled button."""
    _check_step_allowed(task, step, actor=actor, today=today)


def _check_step_allowed(task: RectificationTask, step: str, *, actor, today: date) -> None:
    allowed = may_take_step(task, step, actor=actor)
    if step == TaskStep.COMPLETE:
        _require_change(actor, task)
        measures = list(task.measures.all())
        if not measures:
            raise DomainError("该任务尚无整改措施，不能标记整改完成。")
        open_ones = [f"措施{m.seq}" for m in measures if not m.done]
        if open_ones:
            raise DomainError(f"{'、'.join(open_ones)}尚未完成，任务不能标记整改完成。")
        _require_target_reached(task, today)
    elif step == TaskStep.ACCEPT:
        if not allowed:
            raise DomainError("只有验收单位或协调组办公室可以验收该任务。")
    elif not allowed:
        raise DomainError("只有协调组办公室可以办理公示、销号和备案。")
    if step == TaskStep.CLOSE:
        ends = publicity_ends_on(task)
        if ends is not None and today <= ends:
            raise DomainError(f"公示期至 {ends:%Y-%m-%d} 结束，期满后方可销号。")


def completion_target_year(task: RectificationTask, today: date, years) -> int:
    """The year whose annual target decides completion: this year's, or, for a task past a deadline
    in an earlier year that has no target for this year, the deadline's year."""
    if today.year in years or task.deadline is None or task.deadline.year >= today.year:
        return today.year
    return task.deadline.year


def _require_target_reached(task: RectificationTask, today: date) -> None:
    """docs/rules.md §6: a task is complete when all measures are complete AND its target is reached."""
    targets = {t.year: t for t in task.annual_targets.all()}
    year = completion_target_year(task, today, targets)
    target = targets.get(year)
    if target is None:
        raise DomainError(f"该任务没有{year}年度目标，须先设定并评定为达到，方可标记整改完成。")
    if target.reached is None:
        raise DomainError(f"{year}年度目标尚未评定是否达到，任务不能标记整改完成。")
    if not target.reached:
        raise DomainError(f"{year}年度目标未达到，任务不能标记整改完成。")


def _record_step(task, step, target, *, actor, note="", today=None, expect=None) -> TaskStepRecord:
    today = today or timezone.localdate()
    source = task.status
    rows = RectificationTask.objects.filter(pk=task.pk)
    if expect is not None:
        rows = rows.filter(status=expect)
    # Two users pressing the same button: only the first moves the task.
    if not rows.update(status=target, updated_at=timezone.now()):
        raise DomainError("任务状态已被他人更新，请刷新页面。")
    task.refresh_from_db()
    task._history_user, task._change_reason = actor, TaskStep(step).label
    task.save(update_fields=["status", "updated_at"])
    return TaskStepRecord.objects.create(
        task=task,
        step=step,
        from_status=source,
        to_status=target,
        actor=actor,
        at=timezone.now(),
        on_date=today,
        note=note,
    )


def mark_annual_target(target: AnnualTarget, *, actor, reached: bool, evidence: str) -> AnnualTarget:
    """Record whether a year's target was reached, with the evidence (assessment time)."""
    _require_change(actor, target.task)
    if reached and not (evidence or "").strip():
        raise DomainError("标记年度目标达到时须填写达到依据。", field="evidence")
    with transaction.atomic():
        target.reached, target.evidence = reached, (evidence or "").strip()
        target._history_user = actor
        target.save()
    return target


# --- helpers --------------------------------------------------------------------------------


def _require_change(actor, task: RectificationTask) -> None:
    if not can_change_units(actor, task.unit_ids):
        raise DomainError("您没有修改该整改任务的权限。")


# Progress photos and scanned documents: images and PDFs only, checked by content.
ALLOWED_FILES = frozenset({uploads.IMAGE, uploads.PDF})
MAX_FILES = 10


def _check_files(files) -> list[uploads.CheckedFile]:
    return uploads.check_uploads(files, allowed=ALLOWED_FILES, max_files=MAX_FILES, field="files")


def _save_files(checked: list[uploads.CheckedFile], actor, **owner) -> None:
    for item in checked:
        Attachment.objects.create(
            file=item.content(),
            kind=item.kind,
            original_name=item.name,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
            taken_at=item.photo.taken_at,
            latitude=item.photo.latitude,
            longitude=item.photo.longitude,
            **owner,
        )
