"""预填: a new sheet starts from what the case record already proves, each item with its source.

Items the record cannot prove start at their lowest value and are marked ``MANUAL`` so the
assessor sees they must fill them in. Sources that other parts of the system add later (the
acceptance opinion, the attachment catalogue, investigation points) are read when present.
"""

from datetime import timedelta

from django.utils import timezone

from cases.enums import FINISHED_STATES, AttachmentKind, CaseState
from org.enums import LeaderLevel

MANUAL = "无记录，需人工填写"


def prefill_sheet(case, locality, *, today=None, actor=None) -> tuple[dict, dict[str, str]]:
    """The exchange-format dict for ``case`` in ``locality`` and, per prefilled path, its source.

    Checking the acceptance opinion's signatures voids those whose content changed since, as
    every reader of a signed form does; ``actor`` is recorded as who found it.
    """
    today = today or timezone.localdate()
    source: dict[str, str] = {}
    data = {
        "case": case.receipt_no,
        "locality": locality.name,
        "territorial": [_territorial(case, source)],
        "functional": [{"case_leader": "none", "handler": False}],
        "plan": _plan(case, source),
        "plan_reviewed": False,
        "plan_implemented": False,
        "archive": _archive(case, source),
        "problems": _problems(case, source),
        "satisfaction_signed": _satisfaction(case, source, actor),
        "bonus": {
            "praise": "none",
            "follow_up_visit": False,
            "source_governance": False,
            "inference": False,
            "media": [],
        },
        "deductions": {
            "penalty_missing": False,
            "deadline_missed": _deadline_missed(case, source, today),
            "repeat_complaint": _repeat(case, source),
        },
        "fake": False,
    }
    for path in ("functional[0].case_leader", "functional[0].handler", "plan_reviewed", "plan_implemented"):
        source.setdefault(path, MANUAL)
    source["archive.unit_materials.units"] = source["archive.site_records.units"] = (
        f"案件记录：牵头单位及配合单位共{data['archive']['unit_materials']['units']}家"
    )
    return data, source


def _territorial(case, source) -> dict:
    level = case.case_leader_level if case.case_leader else LeaderLevel.NONE
    if case.case_leader:
        source["territorial[0].case_leader"] = (
            f"案件记录：包案领导 {case.case_leader}（{LeaderLevel(level).label}）"
        )
    else:
        source["territorial[0].case_leader"] = f"{MANUAL}（案件未填包案领导）"
    source["territorial[0].lead_unit_head"] = MANUAL
    source["territorial[0].handler"] = (
        f"案件记录：具体负责人 {case.handler}" if case.handler else f"{MANUAL}（案件未填具体负责人）"
    )
    return {"case_leader": str(level), "lead_unit_head": "none", "handler": bool(case.handler)}


def _plan(case, source) -> dict:
    lead = case.lead_unit.name if case.lead_unit_id else ""
    source["plan.department"] = f"案件记录：牵头责任单位 {lead}" if lead else MANUAL
    has_plan = bool(case.plan.strip() or case.work_plan.strip())
    source["plan.measures"] = "案件记录：已填整改方案" if has_plan else f"{MANUAL}（案件未填整改方案）"
    source["plan.milestones"] = MANUAL
    source["plan.funding"] = MANUAL
    return {"department": bool(lead), "measures": has_plan, "milestones": False, "funding": False}


def _problems(case, source) -> dict:
    points = list(case.points.all())
    counted = [p for p in points if p.is_true] or points
    if counted:
        solved = sum(1 for p in counted if p.is_resolved)
        note = "属实的" if len(counted) < len(points) else ""
        source["problems.total"] = source["problems.solved"] = (
            f"调查要点：{note}问题{len(counted)}个，已解决{solved}个"
        )
        return {"solved": solved, "total": len(counted)}
    source["problems.total"] = source["problems.solved"] = (
        f"案件记录：举报问题全部解决 {'是' if case.points_resolved else '否'}（未分列调查要点，按1个问题计）"
    )
    return {"solved": 1 if case.points_resolved else 0, "total": 1}


def _satisfaction(case, source, actor=None) -> bool:
    """Signed satisfaction: the latest passed acceptance's 验收意见 states the 群众满意情况 and every
    signature on it is valid for its current content (acceptance.domain.signing.verify_signatures);
    before any acceptance has passed, the case's own record."""
    from acceptance.domain.signing import verify_signatures
    from acceptance.enums import FormKind, StepKind, StepOutcome
    from acceptance.models import OpinionForm

    form = (
        OpinionForm.objects.filter(
            step__case=case,
            step__kind=StepKind.ACCEPTANCE,
            step__outcome=StepOutcome.PASSED,
            kind=FormKind.ACCEPTANCE_OPINION,
        )
        .select_related("step")
        .order_by("-step__round", "-id")
        .first()
    )
    if form is not None:
        opinion = form.opinion_satisfaction.strip()
        check = verify_signatures(form)  # read-only: a prefill never voids a signature
        signed = bool(opinion) and check.all_valid
        if not opinion:
            state = "未填写群众满意情况意见"
        elif check.all_valid:
            state = f"群众满意情况意见“{opinion[:30]}”，签字齐全有效"
        elif check.any_void:
            state = f"群众满意情况意见“{opinion[:30]}”，有签字已失效"
        else:
            state = f"群众满意情况意见“{opinion[:30]}”，尚未全部签字"
        source["satisfaction_signed"] = f"验收意见（第{form.step.round}轮，已通过）：{state}"
        return signed
    materials = [a for a in case.attachments.all() if a.kind == AttachmentKind.SATISFACTION]
    if materials:
        source["satisfaction_signed"] = f"附件目录：群众认可材料{len(materials)}份（尚无通过的验收意见）"
        return True
    source["satisfaction_signed"] = (
        f"案件记录：举报人或周边群众认可 {'是' if case.complainant_accepted else '否'}（尚无通过的验收意见）"
    )
    return bool(case.complainant_accepted)


def _archive(case, source) -> dict:
    """Archive items from the case's archive catalogue (cases.domain.archive.archive_catalogue):
    the one definition of a complete catalogue and of each handling unit's materials and site
    records with photos."""
    from cases.domain.archive import archive_catalogue

    catalogue = archive_catalogue(case)
    units = catalogue.units
    materials = sum(1 for u in units if u.has_handling_materials)
    sites = sum(1 for u in units if u.has_site_records_and_photos)
    missing = "、".join(catalogue.missing)
    source["archive.catalogue"] = "档案目录：" + (
        "必备材料齐全（是否清楚、准确、规范请核对）" if catalogue.is_complete else f"缺{missing}"
    )
    source["archive.assignment_note"] = "档案目录：" + (
        "有交办说明" if catalogue.has_assignment_note else "无交办说明"
    )

    def without(flag) -> str:
        names = [u.unit_name for u in units if not getattr(u, flag)]
        return f"（缺：{'、'.join(names)}）" if names else ""

    source["archive.unit_materials.complete"] = (
        f"档案目录：{materials}/{len(units)}家办案单位有办理材料或处罚文书"
        + without("has_handling_materials")
        if units
        else f"{MANUAL}（案件未填牵头及配合单位）"
    )
    source["archive.site_records.complete"] = (
        f"档案目录：{sites}/{len(units)}家办案单位有勘察笔录及现场照片"
        + without("has_site_records_and_photos")
        if units
        else f"{MANUAL}（案件未填牵头及配合单位）"
    )
    if not any(section.present for section in catalogue.sections):
        # Nothing uploaded yet: the archive may still be on paper, so the assessor fills these in.
        for path in (
            "archive.catalogue",
            "archive.assignment_note",
            "archive.unit_materials.complete",
            "archive.site_records.complete",
        ):
            source[path] = f"{MANUAL}（案件尚无附件目录）"
    count = len(units) or 1  # the exchange format needs at least one unit
    return {
        "catalogue": catalogue.is_complete,
        "assignment_note": catalogue.has_assignment_note,
        "unit_materials": {"complete": materials, "units": count},
        "site_records": {"complete": sites, "units": count},
    }


def _deadline_missed(case, source, today) -> bool:
    path = "deductions.deadline_missed"
    if case.deadline is None:
        source[path] = f"{MANUAL}（案件无整改时限）"
        return False
    completed = [t.at for t in case.transitions.all() if t.to_state == CaseState.COMPLETED]
    if completed:
        done = timezone.localtime(min(completed)).date()
        missed = done > case.deadline
        source[path] = f"案件记录：时限 {case.deadline:%Y-%m-%d}，办结于 {done:%Y-%m-%d}"
        return missed
    if case.state in FINISHED_STATES:
        source[path] = f"{MANUAL}（案件已办结但无办结记录）"
        return False
    missed = today > case.deadline
    source[path] = f"案件记录：时限 {case.deadline:%Y-%m-%d}，至 {today:%Y-%m-%d} 尚未办结"
    return missed


def _repeat(case, source) -> bool:
    """有重复访: this case was complained about again (a later record links to it as ``repeat_of``)
    after it was completed, or after its deadline passed unfinished (已办结或应办结未办结).

    The new duplicate record is not the case complained about again: it never gets the deduction
    from its own repeat flag (docs/rules.md §8.3).
    """
    from cases.domain.evidence import received_on

    path = "deductions.repeat_complaint"
    completed = [
        timezone.localtime(t.at).date() for t in case.transitions.all() if t.to_state == CaseState.COMPLETED
    ]
    thresholds = []
    if completed:
        thresholds.append(min(completed))
    if case.deadline is not None:
        thresholds.append(case.deadline + timedelta(days=1))
    repeats = sorted(case.repeats.all(), key=lambda r: (received_on(r), r.pk))
    counted = [r for r in repeats if thresholds and received_on(r) >= min(thresholds)]
    if counted:
        listed = "、".join(f"{r.receipt_no}（{received_on(r):%Y-%m-%d}）" for r in counted)
        when = (
            f"于 {min(completed):%Y-%m-%d} 办结" if completed else f"时限 {case.deadline:%Y-%m-%d} 届满未办结"
        )
        source[path] = f"案件记录：本案{when}后被再次投诉：{listed}"
        return True
    notes = []
    if repeats:
        notes.append(
            "重复投诉 " + "、".join(r.receipt_no for r in repeats) + " 在本案办结或时限届满之前，不计重复访"
        )
    if case.repeat_of_id:
        notes.append(f"本案是对 {case.repeat_of.receipt_no} 的重复投诉，扣分计入原案件")
    source[path] = "案件记录：" + ("；".join(notes) if notes else "无重复投诉")
    return False
