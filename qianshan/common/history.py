"""The "who changed what, when" timeline of an object, from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # 创建 / 修改 / 删除
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


_KIND = {"+": "创建", "~": "修改", "-": "删除"}


def history_of(obj, *, limit: int = 200) -> list[HistoryEntry]:
    """Newest first: one entry per history row, with the field changes against the previous row."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    model = type(obj)
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                try:
                    f = model._meta.get_field(change.field)
                    label = str(f.verbose_name)
                except Exception:
                    label = change.field
                changes.append(
                    (
                        label,
                        _show(previous, change.field, change.old),
                        _show(record, change.field, change.new),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.display_name if user else "系统"),
                kind=_KIND.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _show(record, field_name: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    display = getattr(record, f"get_{field_name}_display", None)
    if callable(display):
        try:
            return str(display())
        except Exception:
            pass
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):  # m2m
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)
