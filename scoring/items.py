"""The items of a scoring sheet as flat JSON paths: labels for forms and tables, flatten and compare.

A sheet in the exchange format is nested (``archive.unit_materials.complete``, ``territorial[1].handler``);
forms, provenance, reasons and the self/review comparison all work on its leaves, keyed by path.
"""

import re
from dataclasses import dataclass
from typing import Any

from scoring.enums import LeaderLevel, MediaLevel, PraiseLevel, ScorePart

INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class ItemSpec:
    """How one leaf of the sheet is labelled and edited."""

    label: str
    kind: str  # leader · bool · int · praise · media
    part: ScorePart


SPECS: dict[str, ItemSpec] = {
    "territorial.case_leader": ItemSpec("包案领导", "leader", ScorePart.TERRITORIAL),
    "territorial.lead_unit_head": ItemSpec("牵头单位负责人", "leader", ScorePart.TERRITORIAL),
    "territorial.handler": ItemSpec("有具体负责人", "bool", ScorePart.TERRITORIAL),
    "functional.case_leader": ItemSpec("被信访单位包案领导", "leader", ScorePart.FUNCTIONAL),
    "functional.handler": ItemSpec("有案件具体承办人", "bool", ScorePart.FUNCTIONAL),
    "plan.department": ItemSpec("有具体承办部门", "bool", ScorePart.RECTIFICATION),
    "plan.measures": ItemSpec("有方案或措施", "bool", ScorePart.RECTIFICATION),
    "plan.milestones": ItemSpec("有时间节点", "bool", ScorePart.RECTIFICATION),
    "plan.funding": ItemSpec("资金落实", "bool", ScorePart.RECTIFICATION),
    "plan_reviewed": ItemSpec("方案经监管部门审核签字盖章", "bool", ScorePart.RECTIFICATION),
    "plan_implemented": ItemSpec("按时间节点或全部完成整改", "bool", ScorePart.RECTIFICATION),
    "archive.catalogue": ItemSpec("档案目录完整", "bool", ScorePart.ARCHIVE),
    "archive.assignment_note": ItemSpec("有交办说明", "bool", ScorePart.ARCHIVE),
    "archive.unit_materials.complete": ItemSpec("材料齐全的办案单位数", "int", ScorePart.ARCHIVE),
    "archive.unit_materials.units": ItemSpec("办案单位数", "int", ScorePart.ARCHIVE),
    "archive.site_records.complete": ItemSpec("勘察记录完整的单位数", "int", ScorePart.ARCHIVE),
    "archive.site_records.units": ItemSpec("应勘察单位数", "int", ScorePart.ARCHIVE),
    "problems.solved": ItemSpec("已解决问题数", "int", ScorePart.RESULT),
    "problems.total": ItemSpec("举报问题数", "int", ScorePart.RESULT),
    "satisfaction_signed": ItemSpec("群众满意并签字", "bool", ScorePart.RESULT),
    "bonus.praise": ItemSpec("上级评价（最高一级）", "praise", ScorePart.BONUS),
    "bonus.follow_up_visit": ItemSpec("群众回访", "bool", ScorePart.BONUS),
    "bonus.source_governance": ItemSpec("源头治理、长效机制", "bool", ScorePart.BONUS),
    "bonus.inference": ItemSpec("举一反三", "bool", ScorePart.BONUS),
    "bonus.media": ItemSpec("典型案例报道", "media", ScorePart.BONUS),
    "deductions.penalty_missing": ItemSpec("应处罚未处罚", "bool", ScorePart.DEDUCTION),
    "deductions.deadline_missed": ItemSpec("未按时限完成整改", "bool", ScorePart.DEDUCTION),
    "deductions.repeat_complaint": ItemSpec("有重复访", "bool", ScorePart.DEDUCTION),
    "fake": ItemSpec("表面、虚假、敷衍整改（全案0分）", "bool", ScorePart.DEDUCTION),
}

CHOICES = {"leader": LeaderLevel, "praise": PraiseLevel}
MEDIA_LEVELS = tuple(MediaLevel)


def spec_of(path: str) -> ItemSpec:
    return SPECS[INDEX.sub("", path)]


def flatten(data: dict) -> dict[str, Any]:
    """The sheet's leaves by JSON path, in form order; ``bonus.media`` stays one sorted list."""
    flat: dict[str, Any] = {}
    for key in ("territorial", "functional"):
        for index, subject in enumerate(data.get(key, [])):
            for name, value in subject.items():
                flat[f"{key}[{index}].{name}"] = value
    for name, value in data.get("plan", {}).items():
        flat[f"plan.{name}"] = value
    flat["plan_reviewed"] = data.get("plan_reviewed")
    flat["plan_implemented"] = data.get("plan_implemented")
    archive = data.get("archive", {})
    flat["archive.catalogue"] = archive.get("catalogue")
    flat["archive.assignment_note"] = archive.get("assignment_note")
    for name in ("unit_materials", "site_records"):
        for sub, value in archive.get(name, {}).items():
            flat[f"archive.{name}.{sub}"] = value
    for name, value in data.get("problems", {}).items():
        flat[f"problems.{name}"] = value
    flat["satisfaction_signed"] = data.get("satisfaction_signed")
    bonus = {"praise": "none", "follow_up_visit": False, "source_governance": False, "inference": False}
    bonus.update(data.get("bonus", {}))
    for name in ("praise", "follow_up_visit", "source_governance", "inference"):
        flat[f"bonus.{name}"] = bonus[name]
    flat["bonus.media"] = sorted(bonus.get("media", []))
    deductions = {"penalty_missing": False, "deadline_missed": False, "repeat_complaint": False}
    deductions.update(data.get("deductions", {}))
    for name, value in deductions.items():
        flat[f"deductions.{name}"] = value
    flat["fake"] = data.get("fake")
    return flat


def changed_paths(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Paths of ``before`` whose value differs in ``after`` (a path missing in ``after`` differs)."""
    return {path for path, value in before.items() if after.get(path, _MISSING) != value}


_MISSING = object()


def show(path: str, value: Any) -> str:
    """A leaf's value in words: 是/否, a level's label, a count, the media reports."""
    if value is None:
        return "—"
    kind = spec_of(path).kind
    if kind == "bool":
        return "是" if value else "否"
    if kind in CHOICES:
        try:
            return str(CHOICES[kind](value).label)
        except ValueError:
            return str(value)
    if kind == "media":
        labels = [str(MediaLevel(v).label) for v in value if v in MediaLevel.values]
        return "、".join(labels) or "无"
    return str(value)


# Paths that are not leaves: the objects and lists of the exchange format, and the sheet's key fields.
CONTAINER_LABELS = {
    "case": "受理编号",
    "locality": "被考核单位",
    "territorial": "属地责任主体",
    "functional": "属事责任主体",
    "plan": "整改方案",
    "archive": "档案情况",
    "archive.unit_materials": "办案单位材料",
    "archive.site_records": "勘察笔录及相关图片",
    "problems": "问题解决",
    "bonus": "加分项",
    "deductions": "扣分项",
}
_SUBJECT_PATH = re.compile(r"^(territorial|functional)\[(\d+)\](?:\.(.+))?$")
_MEDIA_PATH = re.compile(r"^bonus\.media\[(\d+)\]$")


def path_label(path: str) -> str:
    """A JSON path of the exchange format in Chinese, for messages: "territorial[1].handler" →
    "属地责任·主体2·有具体负责人"; a key the format does not know is quoted as it was written."""
    if not path:
        return ""
    subject = _SUBJECT_PATH.match(path)
    if subject:
        kind, index, rest = subject.groups()
        name = f"{ScorePart(kind).label}·主体{int(index) + 1}"
        if rest is None:
            return name
        spec = SPECS.get(f"{kind}.{rest}")
        return f"{name}·{spec.label}" if spec else f"{name}·字段“{rest}”"
    media = _MEDIA_PATH.match(path)
    if media:
        return f"典型案例报道第{int(media.group(1)) + 1}项"
    if path in SPECS:
        return SPECS[path].label
    if path in CONTAINER_LABELS:
        return CONTAINER_LABELS[path]
    return f"字段“{path}”"
