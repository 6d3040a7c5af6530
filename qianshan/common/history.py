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


def history_of(obj, *, limit: int = 200, hidden: frozenset[str] = frozenset()) -> list[HistoryEntry]:
    """Newest first: one entry per history row, with the field changes against the previous row.

    Changes of the ``hidden`` fields (personal data the reader may not see) are left out.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    model = type(obj)
    names = _Names(model)
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in hidden:
                    continue
                label = _label(model, change.field)
                if change.field in names.fields:
                    old, new = names.show(change.field, change.old), names.show(change.field, change.new)
                elif change.field in names.foreign_keys:
                    old, new = (
                        names.show_fk(change.field, change.old),
                        names.show_fk(change.field, change.new),
                    )
                else:
                    old, new = (
                        _show(previous, change.field, change.old),
                        _show(record, change.field, change.new),
                    )
                changes.append((label, old, new))
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


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


class _Names:
    """Names for the ids simple-history stores: foreign keys, and m2m diffs ({'petitioncase': 1, …})."""

    def __init__(self, model):
        self.fields = {f.name: f for f in model._meta.many_to_many}
        self.foreign_keys = {f.name: f for f in model._meta.fields if f.many_to_one}
        self._cache: dict[str, dict] = {}

    def show_fk(self, field_name: str, pk) -> str:
        """The related object's name for a foreign-key id (history stores ids, people read names)."""
        if pk in (None, ""):
            return "（空）"
        target = self.foreign_keys[field_name].related_model
        cache = self._cache.setdefault(field_name, {})
        if pk not in cache:
            obj = target._default_manager.filter(pk=pk).first()
            cache[pk] = str(obj) if obj is not None else f"#{pk}"
        return cache[pk]

    def show(self, field_name: str, rows) -> str:
        field = self.fields[field_name]
        target = field.related_model
        through = field.remote_field.through
        key = through._meta.get_field(field.m2m_reverse_field_name()).attname
        ids = [row.get(key, row.get(key.removesuffix("_id"))) for row in rows or []]
        cache = self._cache.setdefault(field_name, {})
        missing = [i for i in ids if i not in cache]
        if missing:
            cache.update({pk: str(o) for pk, o in target._default_manager.in_bulk(missing).items()})
        return "、".join(cache.get(i, f"#{i}") for i in ids) or "（空）"


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
    return str(value)
