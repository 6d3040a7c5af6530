"""评分标准二: the score of one petition case in one assessed locality (docs/rules.md §8).

Pure and exact: every number is a ``Fraction`` (an average over three subjects is 5/3, which no
decimal holds exactly); rounding happens only in ``fmt2``, for display.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from scoring.enums import LeaderLevel, MediaLevel, PraiseLevel, ScorePart

LEADER_POINTS = {LeaderLevel.PRINCIPAL: 3, LeaderLevel.DEPUTY: 2, LeaderLevel.NONE: 0}
PRAISE_POINTS = {
    PraiseLevel.NONE: 0,
    PraiseLevel.CITY_DEPUTY: 2,
    PraiseLevel.CITY_CHIEF: 5,
    PraiseLevel.PROVINCIAL: 10,
    PraiseLevel.NATIONAL: 15,
}
MEDIA_POINTS = {MediaLevel.NATIONAL: 5, MediaLevel.PROVINCIAL: 4, MediaLevel.CITY: 3}
MEDIA_CAP = 5
DEDUCTION_POINTS = 5

# The rule's words for each item, keyed by the item's JSON path without list indexes.
RULES = {
    "territorial.case_leader": "包案领导：主要领导3分、分管领导2分、无0分",
    "territorial.lead_unit_head": "牵头单位负责人：主要领导3分、分管领导2分、无0分",
    "territorial.handler": "具体负责人：牵头单位有具体负责推进的人员3分，否则0分",
    "functional.case_leader": "被信访单位（企业）包案领导：主要领导3分、分管领导2分、无0分",
    "functional.handler": "具体负责人：被信访单位（企业）有案件具体承办人2分，否则0分",
    "plan.department": "有方案或措施：有具体承办部门2分",
    "plan.measures": "有方案或措施：有方案或措施2分",
    "plan.milestones": "有方案或措施：有时间节点2分",
    "plan.funding": "有方案或措施：资金落实2分",
    "plan_reviewed": "审核方案：相关监管部门审核把关并签字盖章6分，否则0分",
    "plan_implemented": "落实方案或措施：按时间节点完成或全部完成整改8分，否则0分",
    "archive.catalogue": "档案目录：目录完整、清楚、准确、规范2分，否则0分",
    "archive.assignment_note": "交办说明：根据职责明确办案单位2分，否则0分",
    "archive.unit_materials": "办案单位材料：5分×材料齐全的单位数÷单位数",
    "archive.site_records": "勘察笔录及相关图片：5分×记录完整的单位数÷单位数",
    "problems": "问题解决：25分×已解决问题数÷问题数",
    "satisfaction_signed": "群众满意：信访人或相关群众表示满意并签字25分，否则0分",
    "bonus.praise": "上级评价（取最高一级）：市级副职2分、市级正职5分、省部级10分、国家级15分",
    "bonus.follow_up_visit": "群众回访：办结后主动征求意见并改进工作加2分",
    "bonus.source_governance": "源头治理：有源头治理措施、建立长效机制加5分",
    "bonus.inference": "举一反三：同类问题都得到解决加5分",
    "bonus.media": "典型案例报道：每次国家级5分、省级4分、市级3分，累计，最高5分",
    "deductions.penalty_missing": "处罚未到位：应处罚未处罚扣5分",
    "deductions.deadline_missed": "未按时限完成整改：未按方案时间节点完成扣5分",
    "deductions.repeat_complaint": "有重复访：同一问题再次投诉或上级再次转办扣5分",
}

# The item's name in Chinese, keyed like RULES: what a table shows in its 条目 column.
ITEM_NAMES = {
    "territorial.case_leader": "包案领导",
    "territorial.lead_unit_head": "牵头单位负责人",
    "territorial.handler": "具体负责人",
    "functional.case_leader": "被信访单位（企业）包案领导",
    "functional.handler": "案件具体承办人",
    "plan.department": "具体承办部门",
    "plan.measures": "方案或措施",
    "plan.milestones": "时间节点",
    "plan.funding": "资金落实",
    "plan_reviewed": "方案经监管部门审核签字盖章",
    "plan_implemented": "按时间节点或全部完成整改",
    "archive.catalogue": "档案目录",
    "archive.assignment_note": "交办说明",
    "archive.unit_materials": "办案单位材料",
    "archive.site_records": "勘察笔录及相关图片",
    "problems": "问题解决",
    "satisfaction_signed": "群众满意并签字",
    "bonus.praise": "上级评价",
    "bonus.follow_up_visit": "群众回访",
    "bonus.source_governance": "源头治理",
    "bonus.inference": "举一反三",
    "bonus.media": "典型案例报道",
    "deductions.penalty_missing": "处罚未到位",
    "deductions.deadline_missed": "未按时限完成整改",
    "deductions.repeat_complaint": "有重复访",
}

_INDEX = re.compile(r"\[\d+\]")
_SUBJECT = re.compile(r"^(territorial|functional)\[(\d+)\]\.")


def item_label(key: str) -> str:
    """The Chinese name of a breakdown item's key: "territorial[0].case_leader" → "属地责任·主体1·包案领导".

    An item of a responsibility subject names the part and the subject (the part is averaged
    over its subjects); every other item is named by itself ("plan.funding" → "资金落实").
    """
    name = ITEM_NAMES[_INDEX.sub("", key)]
    subject = _SUBJECT.match(key)
    if subject is None:
        return name
    return f"{ScorePart(subject.group(1)).label}·主体{int(subject.group(2)) + 1}·{name}"


_BASE_PARTS = (
    ScorePart.TERRITORIAL,
    ScorePart.FUNCTIONAL,
    ScorePart.RECTIFICATION,
    ScorePart.ARCHIVE,
    ScorePart.RESULT,
)


# ---------------------------------------------------------------- the sheet (input)


@dataclass(frozen=True, kw_only=True)
class TerritorialSubject:
    """属地责任主体: one locality subject answerable for the case."""

    case_leader: LeaderLevel
    lead_unit_head: LeaderLevel
    handler: bool


@dataclass(frozen=True, kw_only=True)
class FunctionalSubject:
    """属事责任主体: one unit or enterprise complained about."""

    case_leader: LeaderLevel
    handler: bool


@dataclass(frozen=True, kw_only=True)
class Plan:
    """有方案或措施: which of the four plan elements exist."""

    department: bool
    measures: bool
    milestones: bool
    funding: bool


@dataclass(frozen=True, kw_only=True)
class UnitCompletion:
    """How many of the handling units have a complete record."""

    complete: int
    units: int

    def __post_init__(self) -> None:
        if not 0 <= self.complete <= self.units or self.units < 1:
            raise ValueError(f"need 0 ≤ complete ≤ units and units ≥ 1, got {self}")


@dataclass(frozen=True, kw_only=True)
class Archive:
    """档案情况: the case archive."""

    catalogue: bool
    assignment_note: bool
    unit_materials: UnitCompletion
    site_records: UnitCompletion


@dataclass(frozen=True, kw_only=True)
class Problems:
    """The complaint's problems and how many were solved."""

    solved: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.solved <= self.total or self.total < 1:
            raise ValueError(f"need 0 ≤ solved ≤ total and total ≥ 1, got {self}")


@dataclass(frozen=True, kw_only=True)
class Bonus:
    """加分项; the defaults are a case with no bonus."""

    praise: PraiseLevel = PraiseLevel.NONE
    follow_up_visit: bool = False
    source_governance: bool = False
    inference: bool = False
    media: tuple[MediaLevel, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "media", tuple(self.media))


@dataclass(frozen=True, kw_only=True)
class Deductions:
    """扣分项; the defaults are a case with no deduction."""

    penalty_missing: bool = False
    deadline_missed: bool = False
    repeat_complaint: bool = False


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """评分表: one petition case scored in one assessed locality."""

    case: str
    locality: str
    territorial: tuple[TerritorialSubject, ...]
    functional: tuple[FunctionalSubject, ...]
    plan: Plan
    plan_reviewed: bool
    plan_implemented: bool
    archive: Archive
    problems: Problems
    satisfaction_signed: bool
    bonus: Bonus = field(default_factory=Bonus)
    deductions: Deductions = field(default_factory=Deductions)
    fake: bool

    def __post_init__(self) -> None:
        # Stored as tuples so that a sheet is immutable and compares equal however it was built.
        object.__setattr__(self, "territorial", tuple(self.territorial))
        object.__setattr__(self, "functional", tuple(self.functional))
        if not self.territorial or not self.functional:
            raise ValueError("a sheet needs at least one territorial and one functional subject")


# ---------------------------------------------------------------- the result (output)


@dataclass(frozen=True, kw_only=True)
class BreakdownItem:
    """One scored item: what the sheet says, the rule, and the points it earns.

    ``points`` are for one subject; the part averages the item over ``subjects``, so the item adds
    ``contribution`` = points ÷ subjects to its part. Deductions are positive points.
    """

    part: ScorePart
    key: str
    rule: str
    basis: str
    points: Fraction
    max_points: Fraction
    subjects: int = 1

    @property
    def label(self) -> str:
        """The item's Chinese name, e.g. 属地责任·主体1·包案领导."""
        return item_label(self.key)

    @property
    def contribution(self) -> Fraction:
        """What the item adds to its part."""
        return self.points / self.subjects


@dataclass(frozen=True, kw_only=True)
class Result:
    """The exact score of one sheet, per part, with every item that makes it up."""

    case: str
    locality: str
    fake: bool
    territorial: Fraction
    functional: Fraction
    rectification: Fraction
    archive: Fraction
    result: Fraction
    bonus: Fraction
    deduction: Fraction
    base: Fraction
    total: Fraction
    breakdown: tuple[BreakdownItem, ...]

    def part(self, part: ScorePart) -> Fraction:
        """The exact points of one part."""
        return getattr(self, part.value)


# ---------------------------------------------------------------- scoring


def score(sheet: Sheet) -> Result:
    """Score one sheet exactly; a fake rectification scores 0 in total but keeps its parts."""
    items = tuple(_items(sheet))
    parts = {part: sum((i.contribution for i in items if i.part == part), Fraction(0)) for part in ScorePart}
    base = sum((parts[part] for part in _BASE_PARTS), Fraction(0))
    net = base + parts[ScorePart.BONUS] - parts[ScorePart.DEDUCTION]
    # 表面/虚假/敷衍整改: "the case scores 0, nothing else counts" — the parts stay visible so
    # the reader sees what the fake verdict cancelled.
    total = Fraction(0) if sheet.fake else max(Fraction(0), net)
    return Result(
        case=sheet.case,
        locality=sheet.locality,
        fake=sheet.fake,
        **{part.value: parts[part] for part in ScorePart},
        base=base,
        total=total,
        breakdown=items,
    )


def _items(sheet: Sheet) -> Iterator[BreakdownItem]:
    """Every scored item of the sheet, in the order of the rules."""
    yield from _territorial_items(sheet.territorial)
    yield from _functional_items(sheet.functional)
    yield from _rectification_items(sheet)
    yield from _archive_items(sheet.archive)
    yield from _result_items(sheet)
    yield from _bonus_items(sheet.bonus)
    yield from _deduction_items(sheet.deductions)


def _territorial_items(subjects: Sequence[TerritorialSubject]) -> Iterator[BreakdownItem]:
    part, n = ScorePart.TERRITORIAL, len(subjects)
    for index, subject in enumerate(subjects):
        path = f"territorial[{index}]"
        yield _leader_item(part, f"{path}.case_leader", subject.case_leader, n)
        yield _leader_item(part, f"{path}.lead_unit_head", subject.lead_unit_head, n)
        yield _flag_item(part, f"{path}.handler", subject.handler, 3, n)


def _functional_items(subjects: Sequence[FunctionalSubject]) -> Iterator[BreakdownItem]:
    part, n = ScorePart.FUNCTIONAL, len(subjects)
    for index, subject in enumerate(subjects):
        path = f"functional[{index}]"
        yield _leader_item(part, f"{path}.case_leader", subject.case_leader, n)
        yield _flag_item(part, f"{path}.handler", subject.handler, 2, n)


def _rectification_items(sheet: Sheet) -> Iterator[BreakdownItem]:
    part, plan = ScorePart.RECTIFICATION, sheet.plan
    for name in ("department", "measures", "milestones", "funding"):
        yield _flag_item(part, f"plan.{name}", getattr(plan, name), 2)
    yield _flag_item(part, "plan_reviewed", sheet.plan_reviewed, 6)
    yield _flag_item(part, "plan_implemented", sheet.plan_implemented, 8)


def _archive_items(archive: Archive) -> Iterator[BreakdownItem]:
    part = ScorePart.ARCHIVE
    yield _flag_item(part, "archive.catalogue", archive.catalogue, 2)
    yield _flag_item(part, "archive.assignment_note", archive.assignment_note, 2)
    for name in ("unit_materials", "site_records"):
        counts: UnitCompletion = getattr(archive, name)
        yield _share_item(part, f"archive.{name}", counts.complete, counts.units, 5)


def _result_items(sheet: Sheet) -> Iterator[BreakdownItem]:
    part, problems = ScorePart.RESULT, sheet.problems
    yield _share_item(part, "problems", problems.solved, problems.total, 25)
    yield _flag_item(part, "satisfaction_signed", sheet.satisfaction_signed, 25)


def _bonus_items(bonus: Bonus) -> Iterator[BreakdownItem]:
    part = ScorePart.BONUS
    praise = PraiseLevel(bonus.praise)
    yield _item(part, "bonus.praise", praise.label, PRAISE_POINTS[praise], 15)
    yield _flag_item(part, "bonus.follow_up_visit", bonus.follow_up_visit, 2)
    yield _flag_item(part, "bonus.source_governance", bonus.source_governance, 5)
    yield _flag_item(part, "bonus.inference", bonus.inference, 5)
    levels = [MediaLevel(level) for level in bonus.media]
    media_points = min(sum(MEDIA_POINTS[level] for level in levels), MEDIA_CAP)
    basis = "、".join(level.label for level in levels) or "无"
    yield _item(part, "bonus.media", basis, media_points, MEDIA_CAP)


def _deduction_items(deductions: Deductions) -> Iterator[BreakdownItem]:
    part = ScorePart.DEDUCTION
    for name in ("penalty_missing", "deadline_missed", "repeat_complaint"):
        yield _flag_item(part, f"deductions.{name}", getattr(deductions, name), DEDUCTION_POINTS)


def _leader_item(part: ScorePart, key: str, level: LeaderLevel, subjects: int) -> BreakdownItem:
    """包案领导-style item: points by the leader's level, for one of ``subjects`` subjects."""
    level = LeaderLevel(level)
    return _item(part, key, level.label, LEADER_POINTS[level], 3, subjects)


def _flag_item(part: ScorePart, key: str, present: bool, points: int, subjects: int = 1) -> BreakdownItem:
    """All-or-nothing item: the full points when present, else 0."""
    return _item(part, key, "是" if present else "否", points if present else 0, points, subjects)


def _share_item(part: ScorePart, key: str, done: int, whole: int, points: int) -> BreakdownItem:
    """Proportional item: points × done ÷ whole, kept exact."""
    return _item(part, key, f"{done}/{whole}", Fraction(points * done, whole), points)


def _item(
    part: ScorePart,
    key: str,
    basis: str,
    points: Fraction | int,
    max_points: int,
    subjects: int = 1,
) -> BreakdownItem:
    """An item with its rule's words, looked up by the key without list indexes."""
    return BreakdownItem(
        part=part,
        key=key,
        rule=RULES[_INDEX.sub("", key)],
        basis=basis,
        points=Fraction(points),
        max_points=Fraction(max_points),
        subjects=subjects,
    )


# ---------------------------------------------------------------- display


def fmt2(value: Fraction | Decimal | int) -> str:
    """The value rounded half up (away from zero) to exactly two decimals: 3.125 → "3.13".

    Floats are refused: 2.675 as a float is 2.67499…, so it would round the wrong way.
    """
    exact_types = Fraction | Decimal | int
    if isinstance(value, float | bool) or not isinstance(value, exact_types):
        raise TypeError(f"fmt2 needs an exact number, got {type(value).__name__}")
    exact = Fraction(value)
    # int() floors a non-negative value, so adding ½ first rounds half up.
    hundredths = int(abs(exact) * 100 + Fraction(1, 2))
    sign = "-" if exact < 0 and hundredths else ""
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


def result_to_json(result: Result) -> dict:
    """The result in the exchange format of docs/rules.md §8.7, numbers as 2-decimal strings."""
    return {
        "case": result.case,
        "locality": result.locality,
        "total": fmt2(result.total),
        "fake": result.fake,
        "parts": {part.value: fmt2(result.part(part)) for part in ScorePart},
    }
