"""完成依据: the evidence each kind of measure needs before it may be marked complete (docs/rules.md §6).

Pure: callers hand in a mapping of field name → value (a Measure or a form's cleaned data) and
get back the Chinese labels of what is missing, in a fixed order.
"""

from collections.abc import Mapping
from datetime import date

from rectification.enums import MeasureKind

# (field, label) per kind; a field counts as given when it is truthy (a date, a non-blank text, True).
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    MeasureKind.POLICY: (
        ("document", "文件名称及文号"),
        ("document_issued_on", "印发日期"),
        ("document_in_force", "文件已施行"),
    ),
    MeasureKind.ENGINEERING: (
        ("works_finished_on", "完工日期"),
        ("acceptance_on", "竣工验收日期"),
        ("acceptance_document", "竣工验收文件"),
    ),
    MeasureKind.CLOSURE: (("closed_on", "关停搬迁日期"),),
    MeasureKind.ENFORCEMENT: (
        ("case_filed_no", "立案编号"),
        ("penalty_decision_no", "处罚决定书文号"),
        ("penalty_executed_on", "处罚执行日期"),
        ("offender_complied", "当事人已履行"),
        ("violation_fixed", "违法行为已纠正"),
    ),
    MeasureKind.ACCOUNTABILITY: (
        ("investigation_done_on", "调查完成日期"),
        ("persons_held", "被问责人员及处理结果"),
    ),
}

# Every evidence field of every kind, for forms and for clearing a reopened measure.
ALL_FIELDS = (
    "document",
    "document_issued_on",
    "document_in_force",
    "works_finished_on",
    "acceptance_on",
    "acceptance_document",
    "closed_on",
    "clearance_required",
    "cleared_on",
    "case_filed_no",
    "penalty_decision_no",
    "penalty_executed_on",
    "offender_complied",
    "violation_fixed",
    "investigation_done_on",
    "persons_held",
)


def fields_of(kind: str) -> tuple[str, ...]:
    """The evidence fields a form shows for ``kind``."""
    if kind == MeasureKind.CLOSURE:
        return ("closed_on", "clearance_required", "cleared_on")
    return tuple(name for name, _ in REQUIRED[kind])


def missing_evidence(kind: str, values: Mapping) -> list[str]:
    """Labels of the evidence ``kind`` still lacks; empty when the measure may be marked complete."""
    missing = [label for name, label in REQUIRED[kind] if not _given(values.get(name))]
    if kind == MeasureKind.CLOSURE and values.get("clearance_required") and not values.get("cleared_on"):
        missing.append("拆除清理完成日期")
    return missing


def inconsistent_dates(kind: str, values: Mapping) -> list[str]:
    """Order problems between the evidence dates, e.g. accepted before the works were finished."""
    problems = []
    finished, accepted = values.get("works_finished_on"), values.get("acceptance_on")
    both = isinstance(finished, date) and isinstance(accepted, date)
    if kind == MeasureKind.ENGINEERING and both and accepted < finished:
        problems.append("竣工验收日期不能早于完工日期")
    closed, cleared = values.get("closed_on"), values.get("cleared_on")
    both = isinstance(closed, date) and isinstance(cleared, date)
    if kind == MeasureKind.CLOSURE and both and cleared < closed:
        problems.append("拆除清理完成日期不能早于关停搬迁日期")
    return problems


def _given(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)
