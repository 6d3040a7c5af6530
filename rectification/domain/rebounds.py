"""整改任务反弹台账 (分类处置、台账式管理, 正文 三(一)2): the task rebounds beside the case ones.

A look-back check (回头看) that finds a rebound files an entry here (category 问题反弹, the office
may reclassify it); the office writes how each is handled and when it was done. Every change has
history with who and when.
"""

from django.db import transaction

from cases.domain.errors import DomainError
from cases.domain.rebounds import rebound_category
from org.permissions import access_of

from ..models import LookBackCheck, TaskReboundEntry


def record_task_rebound(check: LookBackCheck, *, actor) -> TaskReboundEntry:
    """The ledger entry of a look-back check that found a rebound (once per check)."""
    measure = check.measure
    entry, created = TaskReboundEntry.objects.get_or_create(
        look_back_check=check,
        defaults={
            "task_id": measure.task_id,
            "measure": measure,
            "found_on": check.checked_on,
            "category": rebound_category(),
            "description": check.notes.strip() or f"回头看检查发现措施{measure.seq}问题反弹",
            "recorded_by": actor,
        },
    )
    if created:  # get_or_create bypasses the history user: name who found it
        entry.history.filter(history_type="+").update(history_user=actor)
    return entry


def record_task_rebound_disposition(
    entry: TaskReboundEntry, *, actor, category, disposition: str, resolved_on=None
) -> TaskReboundEntry:
    """Classify a task rebound and write how it is handled (office only)."""
    if not access_of(actor).writes_all:
        raise DomainError("只有协调组办公室可以处置反弹问题。")
    if category is None:
        raise DomainError("请选择分类。", field="category")
    if not (disposition or "").strip():
        raise DomainError("请填写处置措施。", field="disposition")
    if resolved_on is not None and resolved_on < entry.found_on:
        raise DomainError("处置完成日期不能早于发现日期。", field="resolved_on")
    with transaction.atomic():
        entry.category = category
        entry.disposition = disposition.strip()
        entry.resolved_on = resolved_on
        entry._history_user = actor
        entry.save()
    return entry
