"""What the sheet pages show per item: value, record value and source, reason, self value, points, diffs."""

from dataclasses import dataclass
from typing import Any

from .enums import LeaderLevel, MediaLevel, PraiseLevel, ScorePart
from .items import flatten, show, spec_of
from .rules import Result, fmt2


@dataclass
class Row:
    path: str
    label: str
    kind: str
    value: Any
    shown: str
    subject: str = ""
    prefilled: Any = None
    prefilled_shown: str = ""
    provenance: str = ""
    changed: bool = False  # differs from the record's (or, in a review, the self-assessment's) value
    reason: str = ""
    self_shown: str = ""
    self_changed: bool = False  # the self-assessment differs from the record
    self_reason: str = ""
    diff: bool = False  # the review differs from the self-assessment
    points: str = ""
    error: str = ""

    @property
    def options(self):
        if self.kind == "leader":
            return LeaderLevel.choices
        if self.kind == "praise":
            return PraiseLevel.choices
        return [("1", "是"), ("0", "否")]

    @property
    def form_value(self) -> str:
        if self.kind == "bool":
            return "1" if self.value else "0"
        return "" if self.value is None else str(self.value)

    @property
    def prefilled_form_value(self) -> str:
        if self.prefilled is None:
            return ""
        if self.kind == "bool":
            return "1" if self.prefilled else "0"
        if self.kind == "media":
            return _media_key(self.prefilled)
        return str(self.prefilled)

    @property
    def media_counts(self):
        values = self.value or []
        return [(level.value, level.label, values.count(level.value)) for level in MediaLevel]

    self_value: Any = None

    @property
    def subject_index(self) -> int | None:
        if not self.subject:
            return None
        return int(self.path.split("[", 1)[1].split("]", 1)[0])

    @property
    def removable(self) -> bool:
        """The first item of a second or later subject carries the subject's remove button."""
        return bool(self.subject_index) and self.path.endswith(".case_leader")

    @property
    def self_form_value(self) -> str:
        if self.kind == "bool":
            return "1" if self.self_value else "0"
        if self.kind == "media":
            return _media_key(self.self_value or [])
        return "" if self.self_value is None else str(self.self_value)

    @property
    def has_prefill(self) -> bool:
        return self.prefilled is not None


def _media_key(levels) -> str:
    """The media reports as the form's three counts, "national,provincial,city" (what sheet.js compares)."""
    return ",".join(str(list(levels).count(level.value)) for level in MediaLevel)


@dataclass
class Part:
    part: ScorePart
    rows: list[Row]
    points: str = ""
    max_points: str = ""


PART_MAX = {"territorial": "9", "functional": "5", "rectification": "22", "archive": "14", "result": "50"}


def build_parts(
    sheet, *, data=None, reasons=None, errors=None, result: Result | None = None, self_sheet=None
):
    """Rows grouped by part for a sheet being shown or edited.

    ``data``/``reasons`` override the stored ones (a form that failed to save shows what was typed).
    ``self_sheet`` is the self-assessment beside a review.
    """
    data = data if data is not None else sheet.data
    reasons = reasons if reasons is not None else sheet.reasons
    errors = errors or {}
    flat = flatten(data)
    self_flat = flatten(self_sheet.data) if self_sheet else {}
    self_record = self_sheet.prefilled if self_sheet else {}
    points = _points(result)
    parts: dict[str, Part] = {}
    for path, value in flat.items():
        spec = spec_of(path)
        prefilled = sheet.prefilled.get(path) if path in sheet.prefilled else None
        row = Row(
            path=path,
            label=spec.label,
            kind=spec.kind,
            value=value,
            shown=show(path, value),
            subject=_subject(path),
            prefilled=prefilled,
            prefilled_shown=show(path, prefilled) if path in sheet.prefilled else "",
            provenance=sheet.provenance.get(path, ""),
            changed=path in sheet.prefilled and sheet.prefilled[path] != value,
            reason=reasons.get(path, ""),
            points=points.get(path, ""),
            error=errors.get(path, "") or errors.get(_parent(path), ""),
        )
        if self_sheet is not None:
            row.self_value = self_flat.get(path)
            row.self_shown = show(path, self_flat.get(path))
            row.self_changed = path in self_record and self_record[path] != self_flat.get(path)
            row.self_reason = self_sheet.reasons.get(path, "")
            row.diff = self_flat.get(path) != value
            # In a review, the record column shows the case record the unit started from.
            row.prefilled_shown = show(path, self_record[path]) if path in self_record else ""
            row.provenance = self_sheet.provenance.get(path, "")
        parts.setdefault(spec.part, Part(part=spec.part, rows=[])).rows.append(row)
    for part in parts.values():
        if result is not None:
            part.points = fmt2(result.part(part.part))
        part.max_points = PART_MAX.get(part.part.value, "")
    return list(parts.values())


def _points(result: Result | None) -> dict[str, str]:
    if result is None:
        return {}
    out = {}
    for item in result.breakdown:
        key = {
            "problems": "problems.solved",
            "archive.unit_materials": "archive.unit_materials.complete",
        }.get(item.key, item.key)
        key = "archive.site_records.complete" if item.key == "archive.site_records" else key
        out[key] = fmt2(item.contribution)
    return out


def _subject(path: str) -> str:
    if path.startswith(("territorial[", "functional[")):
        index = int(path.split("[", 1)[1].split("]", 1)[0])
        return f"主体{index + 1}"
    return ""


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else path


def result_json(result: Result) -> dict:
    """The running total for the browser form: parts, total and each item's points, as 2-decimal strings."""
    return {
        "ok": True,
        "total": fmt2(result.total),
        "base": fmt2(result.base),
        "fake": result.fake,
        "parts": {part.value: fmt2(result.part(part)) for part in ScorePart},
        "items": _points(result),
    }


def sheet_history(sheet, *, limit: int = 100):
    """The sheet's history with item-level changes ("包案领导：主要领导 → 分管领导"), newest first."""
    from qianshan.common.history import HistoryEntry

    from .enums import SheetStatus

    records = list(
        sheet.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            before, after = flatten(previous.data), flatten(record.data)
            for path in after:
                if before.get(path) != after[path]:
                    changes.append((_label(path), show(path, before.get(path)), show(path, after[path])))
            for path, reason in record.reasons.items():
                if previous.reasons.get(path) != reason:
                    changes.append(
                        (f"修改理由·{_label(path)}", previous.reasons.get(path) or "（空）", reason)
                    )
            if previous.status != record.status:
                changes.append(("状态", SheetStatus(previous.status).label, SheetStatus(record.status).label))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.display_name if user else "系统",
                kind={"+": "创建", "~": "修改", "-": "删除"}.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _label(path: str) -> str:
    subject = _subject(path)
    return f"{subject} {spec_of(path).label}" if subject else spec_of(path).label
