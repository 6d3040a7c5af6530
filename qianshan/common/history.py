"""The "who changed what, when" timeline of an object, from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import IntegerField, Value


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # 创建 / 修改 / 删除
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


_KIND = {"+": "创建", "~": "修改", "-": "删除"}


class HistoryList(list):
    """One page of the timeline (newest first), with what the page links need."""

    page: int = 1
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def history_of(
    obj,
    *,
    page: int | str | None = 1,
    per_page: int = 50,
    hidden: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> HistoryList:
    """Newest first: one entry per history row, with the field changes against the previous row.

    A number of queries that does not grow with the history: the page of history rows (+ the one
    before it, to diff the oldest shown) with their users, one query for all the tracked many-to-many
    tables for those rows, and the names of the related objects a change must name — units,
    inspections and pollution types from the lists' choice cache (no query once warm), other
    models one ``in_bulk`` each. Diffs are computed from the loaded rows (simple-history's ``diff_against``
    queries the m2m tables for every pair). Changes of the ``hidden`` fields (personal data the
    reader may not see) are left out. ``page`` beyond the last gives the last.
    """
    per_page = limit or per_page
    try:
        page = max(1, int(page or 1))
    except (TypeError, ValueError):
        page = 1
    history = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    offset = (page - 1) * per_page
    records = list(history[offset : offset + per_page + 1])
    if not records and page > 1:
        return history_of(obj, page=1, per_page=per_page, hidden=hidden)
    result = HistoryList()
    result.page = page
    result.has_next = len(records) > per_page
    if not records:
        return result
    model = type(obj)
    names = _Names(model)
    fields = [
        f
        for f in records[0].tracked_fields
        if f.editable and f.name not in hidden and f.name not in names.fields and not f.primary_key
    ]
    m2m = {name: rows for name, rows in _m2m_rows(records, names).items() if name not in hidden}
    diffs = []
    for index, record in enumerate(records[:per_page]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = []
        if previous is not None:
            for f in fields:
                old, new = getattr(previous, f.attname), getattr(record, f.attname)
                if old != new:
                    changed.append((f.name, old, new))
            for name, rows in m2m.items():
                old, new = rows.get(previous.pk, []), rows.get(record.pk, [])
                if old != new:
                    changed.append((name, old, new))
        changed.sort(key=lambda c: c[0])  # as simple-history orders its changes
        diffs.append((record, previous, changed))
    names.load(c for _, _, changed in diffs for c in changed)
    for record, previous, changed in diffs:
        changes = []
        for name, old, new in changed:
            if name in names.fields:
                shown = names.show(name, old), names.show(name, new)
            elif name in names.foreign_keys:
                shown = names.show_fk(name, old), names.show_fk(name, new)
            else:
                shown = _show(previous, name, old), _show(record, name, new)
            changes.append((_label(model, name), *shown))
        user = record.history_user
        result.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.display_name if user else "系统"),
                kind=_KIND.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return result


def _m2m_rows(records, names: "_Names") -> dict[str, dict[int, list[int]]]:
    """{m2m field: {history row id: sorted related ids}} for the loaded rows: one query for all the
    tracked many-to-many tables together (a UNION ALL tagged with each table's position)."""
    from simple_history.utils import get_m2m_reverse_field_name

    fields = getattr(type(records[0]), "_history_m2m_fields", [])
    if not fields:
        return {}
    ids = [r.pk for r in records]
    parts = []
    for position, m2m_field in enumerate(fields):
        through = getattr(records[0], m2m_field.name).model  # a manager: no query until used
        key = through._meta.get_field(get_m2m_reverse_field_name(m2m_field)).attname
        parts.append(
            through.objects.filter(history_id__in=ids)
            .annotate(table=Value(position, output_field=IntegerField()))
            .values_list("table", "history_id", key)
            .order_by()
        )
    out: dict[str, dict[int, list[int]]] = {f.name: {} for f in fields}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for position, history_id, related_id in sorted(rows):
        out[fields[position].name].setdefault(history_id, []).append(related_id)
    return out


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


class _Names:
    """Names for the ids history stores (foreign keys and many-to-many), loaded in bulk once."""

    def __init__(self, model):
        self.fields = {f.name: f for f in model._meta.many_to_many}
        self.foreign_keys = {f.name: f for f in model._meta.fields if f.many_to_one}
        self._cache: dict[str, dict] = {}

    def load(self, changes) -> None:
        """Fetch the names of every id in ``changes`` ((field, old, new)): one query per related
        model (a case's lead unit, locality and cooperating units are one query on units)."""
        wanted: dict[type, set] = {}
        for name, old, new in changes:
            if name in self.fields:
                ids = [*old, *new]
            elif name in self.foreign_keys:
                ids = [v for v in (old, new) if v not in (None, "")]
            else:
                continue
            target = (self.fields.get(name) or self.foreign_keys[name]).related_model
            wanted.setdefault(target, set()).update(ids)
        for target, ids in wanted.items():
            found = cached_names(target, ids)
            missing = [pk for pk in ids if pk not in found]  # e.g. a unit added in another process
            if missing:
                found.update((pk, str(o)) for pk, o in target._default_manager.in_bulk(missing).items())
            for name, model_field in (*self.fields.items(), *self.foreign_keys.items()):
                if model_field.related_model is target:
                    self._cache.setdefault(name, {}).update(found)

    def show_fk(self, field_name: str, pk) -> str:
        """The related object's name for a foreign-key id (history stores ids, people read names)."""
        if pk in (None, ""):
            return "（空）"
        return self._cache.get(field_name, {}).get(pk, f"#{pk}")

    def show(self, field_name: str, ids) -> str:
        cache = self._cache.get(field_name, {})
        return "、".join(cache.get(i, f"#{i}") for i in ids) or "（空）"


def cached_names(model, ids) -> dict:
    """Names of units, inspections and pollution types from the lists' choice cache (no query
    once warm, qianshan/common/choices.py); other models are read by id."""
    from .choices import CHOICE_MODELS, model_choices

    if model._meta.label_lower not in CHOICE_MODELS:
        return {}
    names = dict(model_choices(model._default_manager.order_by("pk"), purpose="names"))
    return {pk: names[pk] for pk in ids if pk in names}


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
