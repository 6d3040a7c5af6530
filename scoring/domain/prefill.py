"""预填: a new sheet starts from what the case record already proves, each item with its source.

Items the record cannot prove start at their lowest value and are marked ``MANUAL`` so the
assessor sees they must fill them in. Sources that other parts of the system add later (the
acceptance opinion, the attachment catalogue, investigation points) are read when present.
"""

from django.utils import timezone

from cases.enums import FINISHED_STATES, AttachmentKind, CaseState
from org.enums import LeaderLevel

MANUAL = "无记录，需人工填写"


def prefill_sheet(case, locality, *, today=None) -> tuple[dict, dict[str, str]]:
    """The exchange-format dict for ``case`` in ``locality`` and, per prefilled path, its source."""
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
        "satisfaction_signed": _satisfaction(case, source),
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
        f"案件记录：牵头单位及配合单位共{_unit_count(case)}家"
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


def _unit_count(case) -> int:
    return (1 if case.lead_unit_id else 0) + len(case.cooperating_units.all()) or 1


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


def _satisfaction(case, source) -> bool:
    """Signed satisfaction: a signed acceptance opinion stating it, else the case's own record."""
    from acceptance.enums import FormKind
    from acceptance.models import OpinionForm

    form = (
        OpinionForm.objects.filter(step__case=case, kind=FormKind.ACCEPTANCE_OPINION)
        .exclude(opinion_satisfaction="")
        .order_by("-step__round", "-id")
        .first()
    )
    if form is not None:
        signed = form.slots.filter(signatures__void=False).exists()
        source["satisfaction_signed"] = (
            f"验收意见：群众满意情况意见“{form.opinion_satisfaction[:30]}”，{'已签字' if signed else '尚未签字'}"
        )
        return signed
    materials = [a for a in case.attachments.all() if a.kind == AttachmentKind.SATISFACTION]
    if materials:
        source["satisfaction_signed"] = f"附件目录：群众认可材料{len(materials)}份（尚无验收意见）"
        return True
    source["satisfaction_signed"] = (
        f"案件记录：举报人或周边群众认可 {'是' if case.complainant_accepted else '否'}（尚无验收签字意见）"
    )
    return bool(case.complainant_accepted)


def _archive(case, source) -> dict:
    """Archive items from the case's catalogue of attachments (档案目录)."""
    attachments = list(case.attachments.all())
    units = [u for u in [case.lead_unit_id, *(u.pk for u in case.cooperating_units.all())] if u] or [None]
    if not attachments:
        for path in (
            "archive.catalogue",
            "archive.assignment_note",
            "archive.unit_materials.complete",
            "archive.site_records.complete",
        ):
            source[path] = f"{MANUAL}（案件尚无附件目录）"
        return {
            "catalogue": False,
            "assignment_note": False,
            "unit_materials": {"complete": 0, "units": len(units)},
            "site_records": {"complete": 0, "units": len(units)},
        }

    def units_with(kinds) -> int:
        # A file without a unit was filed by the lead unit.
        having = {a.unit_id or case.lead_unit_id for a in attachments if a.kind in kinds}
        return sum(1 for u in units if u in having)

    notes = sum(1 for a in attachments if a.kind == AttachmentKind.ASSIGNMENT_NOTE)
    materials = units_with({AttachmentKind.HANDLING_MATERIAL})
    sites = units_with({AttachmentKind.SITE_RECORD})
    source["archive.catalogue"] = f"附件目录：共{len(attachments)}份材料（目录是否完整规范请核对）"
    source["archive.assignment_note"] = f"附件目录：交办通知{notes}份"
    source["archive.unit_materials.complete"] = f"附件目录：{materials}/{len(units)}家单位有办理材料"
    source["archive.site_records.complete"] = f"附件目录：{sites}/{len(units)}家单位有勘察笔录"
    return {
        "catalogue": True,
        "assignment_note": notes > 0,
        "unit_materials": {"complete": materials, "units": len(units)},
        "site_records": {"complete": sites, "units": len(units)},
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
    related = [c.receipt_no for c in case.related_cases.all()]
    if case.is_repeat or related:
        source["deductions.repeat_complaint"] = "案件记录：重复件" + (
            f"，关联 {'、'.join(related)}" if related else ""
        )
        return True
    source["deductions.repeat_complaint"] = "案件记录：未标记重复件"
    return False
