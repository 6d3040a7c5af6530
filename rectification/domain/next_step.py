"""下一步 of a rectification task: what it needs now, who does it, by when, and the close-out step
the user's role may take — shown disabled with the reason when the task is not ready (the same
check advance_task makes on POST), never hidden behind a refusal after the click."""

from datetime import date, timedelta

from django.urls import reverse

from cases.domain.errors import DomainError
from qianshan.common.next_step import Action, NextStep

from ..enums import TaskStatus, TaskStep
from ..models import RectificationTask
from .services import CLOSE_OUT, check_step_allowed, may_take_step, publicity_ends_on

T = TaskStatus
WHAT = {
    T.IN_PROGRESS: "落实整改措施、按时报告进展；措施全部完成且年度目标达到后标记整改完成",
    T.REOPENED: "重新整改：落实措施后再次标记整改完成",
    T.COMPLETE: "验收单位组织验收",
    T.ACCEPTED: "协调组办公室公示整改结果",
    T.PUBLICIZED: "公示期满后，协调组办公室销号",
    T.CLOSED: "协调组办公室备案",
    T.FILED: "已备案，本任务办理流程结束",
}


def _who(task: RectificationTask) -> str:
    if task.status in (T.IN_PROGRESS, T.REOPENED):
        return f"牵头单位（{task.lead_unit}）"
    if task.status == T.COMPLETE:
        return (
            f"验收单位（{task.accepting_unit}）"
            if task.accepting_unit_id
            else "协调组办公室（未指定验收单位）"
        )
    if task.status == T.FILED:
        return "—"
    return "协调组办公室"


def step_problem(task: RectificationTask, step: str, *, actor, today: date) -> str:
    """Why ``step`` would be refused now, or "" (advance_task's own check, without writing)."""
    try:
        check_step_allowed(task, step, actor=actor, today=today)
    except DomainError as exc:
        return exc.message
    return ""


def next_step(task: RectificationTask, user, today: date) -> NextStep:
    step = NextStep(what=WHAT[T(task.status)], who=_who(task))
    if task.status in (T.IN_PROGRESS, T.REOPENED) and task.deadline:
        step.due, step.days_left = task.deadline, (task.deadline - today).days
    if task.status == T.PUBLICIZED:
        ends = publicity_ends_on(task)
        if ends is not None:
            step.due = ends + timedelta(days=1)  # the first day 销号 is allowed
            step.days_left = (step.due - today).days
    for name, (sources, _target) in CLOSE_OUT.items():
        if task.status in sources and may_take_step(task, name, actor=user):
            step.actions.append(
                Action(
                    label=TaskStep(name).label,
                    url=reverse("rectification:step", args=[task.pk, name]),
                    kind="step",
                    target=name,
                    problem=step_problem(task, name, actor=user, today=today),
                )
            )
    if not any(a.kind == "step" for a in step.actions) and task.status != T.FILED:
        step.note = f"此步由{step.who}办理，您可在此查看进展。"
    return step
