"""Writes to rectification tasks."""

from django.db import transaction

from cases.domain.errors import DomainError

from ..models import RectificationTask


def update_task(
    task: RectificationTask, *, actor, values: dict, m2m: dict | None = None, reason: str = ""
) -> RectificationTask:
    """Save edited fields of a task with history; the fixed three are required (domain.md §2)."""
    for name in ("lead_unit", "responsible_person", "standard", "deadline"):
        value = values.get(name, getattr(task, name, None))
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            label = RectificationTask._meta.get_field(name).verbose_name
            raise DomainError(
                f"“{label}”必填：整改任务必须明确责任单位、责任人、整改标准和整改时限。", field=name
            )
    with transaction.atomic():
        for name, value in values.items():
            setattr(task, name, value)
        task._history_user = actor
        task._change_reason = reason or "编辑整改任务"
        task.save()
        for name, items in (m2m or {}).items():
            getattr(task, name).set(items)
    return task
