"""The rules of 附件2 that decide what a form must state and who may sign it (docs/signing.md).

- what each form kind must state before anyone signs it (``missing_for_signing``);
- which unit kinds (org.UnitTag codes) fit each signature slot, and which must have signed an
  opinion before the step may pass (``SLOT_RULES``, ``slot_misfit``, ``uncovered_kinds``);
- the acceptance standards of 附件2 一（三） per category and the five 复核原则 of 二（一）, as the
  checklist the form records point by point (``checklist_points``);
- the 临时性应对措施 rule (一（三）1 注) and where an application goes (三1).

Pure reads: nothing here writes. The writes that apply these rules are in services and signing.
"""

from dataclasses import dataclass

from cases.domain.errors import DomainError
from cases.enums import AcceptanceCategory, Finding
from cases.models import ProgressEntry
from org.enums import UnitKind
from org.enums import UnitTagCode as T
from org.models import Unit, UnitTag

from ..enums import FormKind, SlotRole


def tag_names() -> dict[str, str]:
    """Code → the name the admin gave the kind (the enum's label where no row has the code)."""
    names = {code.value: code.label for code in T}
    names.update(UnitTag.objects.values_list("code", "name"))
    return names


def _kinds(codes, names=None) -> str:
    names = names or tag_names()
    return "、".join(names.get(code, code) for code in codes)


# --- who signs what -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotRule:
    """One signature slot kind: the unit kinds a signer may come from (any one), the kinds that must
    all have signed before the step passes (each by some signer of the slot), and the rule's words."""

    role: str
    fits: tuple[str, ...]  # empty: any unit
    required: tuple[str, ...]
    words: str
    all_of: tuple[str, ...] = ()  # a signer's unit must have every one of these kinds as well


REVIEW_TEAM = (T.DISCIPLINE, T.SUPERVISION_OFFICE, T.JUSTICE, T.ECOLOGY, T.RECTIFICATION_OFFICE, T.INDUSTRY)

SLOT_RULES: dict[str, dict[str, SlotRule]] = {
    FormKind.ACCEPTANCE_OPINION: {
        SlotRole.LEADER: SlotRule(SlotRole.LEADER, (), (), "验收组组长（签字）"),
        SlotRole.MEMBER: SlotRule(SlotRole.MEMBER, (), (), "验收组成员"),
        SlotRole.INDUSTRY_MEMBER: SlotRule(
            SlotRole.INDUSTRY_MEMBER,
            (T.INDUSTRY,),
            (T.INDUSTRY,),
            "市级行业主管部门作为案件办理督导责任单位，需参加案件的验收工作，提出意见，"
            "在验收意见书上“签字背书”（方案 四（三）3）",
            all_of=(T.CITY_DEPARTMENT,),
        ),
    },
    FormKind.REVIEW_LETTER: {
        SlotRole.LEADER: SlotRule(
            SlotRole.LEADER,
            REVIEW_TEAM,
            (),
            "市级复核工作组由市纪委监委机关、市委市政府督查室、市司法局、市生态环境局相关人员组成基本架构，"
            "根据案件具体情况随时添加行业主管部门（附件2 二（二））",
        ),
        SlotRole.FINDING: SlotRule(
            SlotRole.FINDING,
            (T.ECOLOGY, T.INDUSTRY),
            (T.ECOLOGY, T.INDUSTRY),
            "由市生态环境局会同行业主管部门对“不属实”案件和“部分属实”案件中“不属实”部分进行重点复核，"
            "并对复核情况“签字背书”（附件2 二（三）5）",
        ),
        SlotRole.RECTIFICATION: SlotRule(
            SlotRole.RECTIFICATION,
            (T.ECOLOGY, T.INDUSTRY),
            (T.ECOLOGY, T.INDUSTRY),
            "由市生态环境部门会同行业主管部门对整改情况进行现场检查，并对复核结果“签字背书”（附件2 二（三）1）",
        ),
        SlotRole.PENALTY: SlotRule(
            SlotRole.PENALTY,
            (T.JUSTICE, T.ECOLOGY, T.INDUSTRY),
            (T.JUSTICE, T.ECOLOGY, T.INDUSTRY),
            "由市司法局、市生态环境局及相关行业主管部门对违法行为的行政处罚情况进行检查，"
            "并对复核结果“签字背书”（附件2 二（三）2）",
        ),
        SlotRole.SATISFACTION: SlotRule(
            SlotRole.SATISFACTION,
            (T.ECOLOGY, T.INDUSTRY, T.PARTY_GOVERNMENT),
            (T.ECOLOGY, T.INDUSTRY, T.PARTY_GOVERNMENT),
            "由市生态环境局会同行业主管部门和当地党委政府对群众满意情况进行复核，"
            "并对复核情况“签字背书”（附件2 二（三）3）",
        ),
        SlotRole.ACCOUNTABILITY: SlotRule(
            SlotRole.ACCOUNTABILITY,
            (T.DISCIPLINE, T.SUPERVISION_OFFICE, T.RECTIFICATION_OFFICE),
            (T.DISCIPLINE, T.SUPERVISION_OFFICE, T.RECTIFICATION_OFFICE),
            "由市纪委监委机关、市委市政府督查室、市督改办（市生态环境局）对责任追究情况进行检查，"
            "并对复核情况“签字背书”（附件2 二（三）4）",
        ),
    },
}

# 复核责任书: the opinion each slot answers for, in the paper's order (附件2 的附件2).
REVIEW_OPINIONS = [
    (SlotRole.FINDING, "opinion_finding"),
    (SlotRole.RECTIFICATION, "opinion_rectification"),
    (SlotRole.PENALTY, "opinion_penalty"),
    (SlotRole.SATISFACTION, "opinion_satisfaction"),
    (SlotRole.ACCOUNTABILITY, "opinion_accountability"),
]
ACCEPTANCE_OPINIONS = [
    ("整改情况验收意见", "opinion_rectification"),
    ("行政处罚情况验收意见", "opinion_penalty"),
    ("群众满意情况验收意见", "opinion_satisfaction"),
    ("责任追究情况验收意见", "opinion_accountability"),
]
FINDINGS_NEEDING_REVIEW = (Finding.UNTRUE, Finding.PARTLY_TRUE)


def required_kinds(form, role: str, case) -> tuple[str, ...]:
    """The kinds that must all have signed ``role`` on ``form`` before its step may pass.

    本系统解释: the focused review of 二（三）5 (生态环境局 with a 行业主管部门) is required for 不属实 /
    部分属实 cases; for a 属实 case the 案件定性 opinion confirms the finding and one fitting signer
    (生态环境部门 or 行业主管部门) answers for it.
    """
    rule = SLOT_RULES[form.kind][role]
    if role == SlotRole.FINDING and case.finding not in FINDINGS_NEEDING_REVIEW:
        return ()
    return rule.required


def slot_misfit(form, role: str, unit: Unit | None, *, step=None, names=None) -> str | None:
    """Why a signer of ``unit`` does not fit ``role`` on ``form`` (the rule's words), or None."""
    rule = SLOT_RULES[form.kind][role]
    label = SlotRole(role).label
    if unit is None:
        return f"“{label}”的签字人须选定所在单位（单位须在单位管理中登记）。"
    codes = unit.tag_codes()
    has = _kinds(sorted(codes), names) if codes else "未标注类别"
    if rule.fits and not codes & set(rule.fits):
        return (
            f"“{label}”须由{_kinds(rule.fits, names)}的人员签字：{rule.words}。“{unit.name}”（{has}）不符合。"
        )
    if rule.all_of and not set(rule.all_of) <= codes:
        return (
            f"“{label}”须由市级行业主管部门（{_kinds(rule.fits + rule.all_of, names)}）的人员签字：{rule.words}。"
            f"“{unit.name}”（{has}）不符合。"
        )
    step = step or form.step
    if role == SlotRole.INDUSTRY_MEMBER and step.supervising_unit_id and unit.pk != step.supervising_unit_id:
        return (
            f"“{label}”须由本案的督导责任单位“{step.supervising_unit}”的人员签字：{rule.words}。"
            f"“{unit.name}”不是本案的督导责任单位。"
        )
    return None


def uncovered_kinds(form, role: str, units: list[Unit], case) -> list[str]:
    """The required kinds of ``role`` that none of ``units`` (its signers' units) has."""
    have = set().union(*(u.tag_codes() for u in units if u is not None)) if units else set()
    return [code for code in required_kinds(form, role, case) if code not in have]


# --- the checklists -------------------------------------------------------------------------------

# 附件2 一（三）: each category's 办结 conditions, in the acceptor's words. Codes are stored.
CATEGORY_POINTS: dict[str, list[tuple[str, str]]] = {
    AcceptanceCategory.NEARBY: [
        ("nearby_done", "立行立改、即知即改，做到措施到位、整改到位"),
        ("nearby_clean", "污染消除"),
        ("nearby_lasting", "形成长效机制，防止问题反弹"),
        ("nearby_satisfied", "达到群众满意"),
    ],
    AcceptanceCategory.PUBLIC_INTEREST: [
        ("public_clean", "已消除污染"),
        ("public_restored", "恢复生态"),
        ("public_standard", "达到国家相应标准"),
        ("public_satisfied", "人民群众满意"),
    ],
    AcceptanceCategory.PLANNING_POLICY: [
        ("planning_sorted", "已依法依规分类处理：认定是否符合规划要求或相关政策规定"),
        (
            "planning_handled",
            "符合的：已督促企业加强管理、严格落实生态环境保护措施、做好解释工作（可给予必要补偿）；"
            "明显违反的：已制定整改方案、明确目标及要求，彻底解决问题、消除环境问题或隐患，建立长效机制",
        ),
        ("planning_satisfied", "得到群众的认可和理解（明显违反的：人民群众满意）"),
    ],
    AcceptanceCategory.NIMBY: [
        ("nimby_responded", "积极回应群众诉求，加强沟通解释，切实缓和群众担忧"),
        ("nimby_compensated", "必要时对符合相关政策规定的给予适当补偿（无须补偿的在说明中写明）"),
        ("nimby_understood", "最终得到群众认可和理解"),
    ],
    AcceptanceCategory.INTEREST_DISPUTE: [
        ("dispute_handled", "认真查处涉及的相关生态环境问题"),
        ("dispute_guided", "充分沟通协调，引导群众通过正常渠道或司法途径解决"),
        ("dispute_understood", "群众表示理解"),
        ("dispute_calm", "没有采取过激行为，也没有造成不良影响"),
    ],
}
# 附件2 二（一）: the five principles of the review (五个不放过), the reviewer's checklist.
REVIEW_PRINCIPLES: list[tuple[str, str]] = [
    ("facts", "问题不查清不放过：举报问题已查清"),
    ("rectified", "整改不到位不放过：整改已到位"),
    ("penalised", "违法问题查处不到位不放过：违法问题已查处到位"),
    ("accountable", "责任不追究到位不放过：责任已追究到位"),
    ("satisfied", "群众不满意不放过：群众满意"),
]
TEMPORARY_NOTE = "对于采取临时性应对措施暂时解决问题的，不得视为办结（附件2 一（三）1 注）"


def checklist_points(form, case) -> list[tuple[str, str]]:
    """(code, text) of the points ``form`` records: its case's category's standards, or the principles."""
    if form.kind == FormKind.REVIEW_LETTER:
        return REVIEW_PRINCIPLES
    return CATEGORY_POINTS.get(case.acceptance_category, [])


def checklist_rows(form, case) -> list[dict]:
    """Each point with what the form records: {code, text, met (True/False/None), note}."""
    rows = []
    for code, text in checklist_points(form, case):
        entry = form.checklist.get(code) or {}
        met = entry.get("met")
        rows.append(
            {
                "code": code,
                "text": text,
                "met": met if met in (True, False) else None,
                "note": entry.get("note", ""),
            }
        )
    return rows


def unmet_points(form, case) -> list[str]:
    """“第N项 …：说明” for every point recorded as not met."""
    return [
        f"第{i}项“{row['text']}”未达到" + (f"：{row['note']}" if row["note"] else "")
        for i, row in enumerate(checklist_rows(form, case), start=1)
        if row["met"] is False
    ]


def relies_on_temporary_measure(case) -> ProgressEntry | None:
    """The case's latest progress entry when it is flagged 临时性应对措施, else None.

    本系统解释: the newest progress entry tells how the problem stands now; a later entry that is not
    flagged (the lasting fix) lifts the flag of an earlier one.
    """
    latest = ProgressEntry.objects.filter(case=case).order_by("-happened_on", "-id").first()
    return latest if latest is not None and latest.is_temporary else None


def temporary_measure_refusal(case) -> str | None:
    """The refusal of 通过 for a category-1 case relying on a temporary measure, or None."""
    if case.acceptance_category != AcceptanceCategory.NEARBY:
        return None
    entry = relies_on_temporary_measure(case)
    if entry is None:
        return None
    return (
        f"本案属群众身边生态环境问题，最新进展（{entry.happened_on:%Y-%m-%d}）为临时性应对措施："
        f"{TEMPORARY_NOTE}，不能验收通过。"
    )


# --- complete before signable ---------------------------------------------------------------------

ACCEPTANCE_REQUIRED = [
    ("form_date", "日期"),
    ("unit_name", "承办单位（委托专业机构）"),
    ("statement", "验收结论"),
    ("opinion_rectification", "整改情况验收意见"),
    ("opinion_penalty", "行政处罚情况验收意见"),
    ("opinion_satisfaction", "群众满意情况验收意见"),
    ("opinion_accountability", "责任追究情况验收意见"),
]
REVIEW_REQUIRED = [
    ("reviewed_on", "复核日期"),
    ("accepted_on", "验收日期"),
    ("unit_name", "验收单位（县（市）区、局）"),
    ("opinion_finding", "案件定性情况复核意见"),
    ("opinion_rectification", "群众举报问题整改情况复核意见"),
    ("opinion_penalty", "行政处罚情况复核意见"),
    ("opinion_satisfaction", "群众满意情况复核意见"),
    ("opinion_accountability", "责任追究情况复核意见"),
]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_for_signing(form, *, slots=None, case=None) -> list[str]:
    """What ``form`` must still state before anyone may sign it, each item named; empty when complete.

    ``slots`` are the form's slots with unit (and its tags) and user loaded, when the caller has them.
    """
    case = case or form.step.case
    if slots is None:
        slots = list(form.slots.select_related("user", "unit").prefetch_related("unit__tags"))
    names = tag_names()
    required = ACCEPTANCE_REQUIRED if form.kind == FormKind.ACCEPTANCE_OPINION else REVIEW_REQUIRED
    missing = [label for name, label in required if _blank(getattr(form, name))]
    if form.kind == FormKind.ACCEPTANCE_OPINION and not case.acceptance_category:
        missing.append("案件的验收分类（在案件页填写，决定验收标准）")
    unanswered = [
        f"第{i}项" for i, row in enumerate(checklist_rows(form, case), start=1) if row["met"] is None
    ]
    if unanswered:
        what = (
            "验收标准逐项核对"
            if form.kind == FormKind.ACCEPTANCE_OPINION
            else "复核原则（五个不放过）逐项核对"
        )
        missing.append(f"{what}：{'、'.join(unanswered)}未填写")
    missing += _slot_gaps(form, slots, case, names)
    return missing


def _slot_gaps(form, slots, case, names) -> list[str]:
    by_role: dict[str, list] = {}
    for slot in slots:
        by_role.setdefault(slot.role, []).append(slot)
    gaps = []
    if not by_role.get(SlotRole.LEADER):
        gaps.append("验收组组长" if form.kind == FormKind.ACCEPTANCE_OPINION else "复核组组长")
    if form.kind == FormKind.ACCEPTANCE_OPINION:
        if not by_role.get(SlotRole.INDUSTRY_MEMBER):
            gaps.append("市级行业主管部门成员（督导责任单位须参加验收并签字背书）")
    else:
        for role, _field in REVIEW_OPINIONS:
            signers = by_role.get(role, [])
            if not signers:
                gaps.append(f"{SlotRole(role).label}的签字人")
                continue
            lacking = uncovered_kinds(form, role, [s.unit for s in signers], case)
            if lacking:
                gaps.append(f"{SlotRole(role).label}：尚缺{_kinds(lacking, names)}的签字人")
    for slot in slots:
        gaps += _member_gaps(form, slot, names)
    return gaps


def _member_gaps(form, slot, names) -> list[str]:
    who = f"{slot.get_role_display()}{slot.user.display_name}"
    lacking = []
    if form.kind == FormKind.ACCEPTANCE_OPINION:
        fields = [
            (slot.user.full_name, "姓名"),
            (slot.unit_id, "单位"),
            (slot.member_post, "职务（职称）"),
            (slot.member_phone, "联系电话"),
        ]
        lacking = [label for value, label in fields if _blank(value)]
        if lacking:
            return [f"验收组成员表：{who}缺{'、'.join(lacking)}"]
    elif not slot.unit_id:
        return [f"{who}缺单位"]
    misfit = slot_misfit(form, slot.role, slot.unit, names=names)
    return [misfit] if misfit else []


# --- where the application goes -------------------------------------------------------------------


def receiving_body(unit: Unit | None) -> tuple[str, Unit]:
    """附件2 三1: (the body an application for acceptance goes to, the unit that organises it).

    A city department (市直部门) applies to its own 党组; any other unit to the 党委政府 of the
    locality it belongs to — itself or the nearest unit above it with that kind.
    """
    if unit is None:
        raise DomainError("案件没有牵头责任单位，无法确定验收申请的受理机关。")
    codes = unit.tag_codes()
    if T.CITY_DEPARTMENT in codes:
        return f"{unit.name}党组", unit
    seen, current = set(), unit
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if T.PARTY_GOVERNMENT in current.tag_codes():
            name = f"{current.name}党委、政府" if current.kind == UnitKind.REGION else current.name
            return name, current
        current = current.parent
    names = tag_names()
    raise DomainError(
        f"无法确定“{unit.name}”的验收申请受理机关：案件承办单位向地方党委、政府申请验收，市直部门向本部门党组"
        f"申请验收（附件2 三1）。请在单位管理中为其所属地方标注“{names[T.PARTY_GOVERNMENT]}”，"
        f"或为市直部门标注“{names[T.CITY_DEPARTMENT]}”。"
    )
