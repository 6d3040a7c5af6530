"""Demo scoring (示例): the 2018 look-back cases scored by their lead units, reviewed; one unit
不合格 by a recorded 通报批评 event, with its unit-level 约谈 (限期整改, deadline ahead of today) and
a 问责 referral with its outcome; the 2018 assessment calendar; and a 2026 self-assessment still
being filled in. Creates what is missing only (a second run changes nothing)."""

from datetime import date, timedelta

from django.utils import timezone

from cases.models import PetitionCase

from .domain.prefill import MANUAL, prefill_sheet
from .domain.services import stamp_score
from .enums import (
    AssessmentState,
    CalendarKind,
    OverrideKind,
    ReferralBody,
    ReferralOutcome,
    SheetStatus,
    SheetVersion,
)
from .items import flatten
from .models import (
    AccountabilityReferral,
    AssessmentDate,
    AssessmentEvent,
    AssessmentStep,
    ScoringSheet,
    UnitAssessment,
)

YEAR = 2018


def seed(ctx) -> None:
    office = ctx.users.get("office")
    if office is None:
        return
    cases = (
        PetitionCase.objects.filter(inspection=ctx.inspections["C1-LB"], deadline__year=YEAR)
        .select_related("lead_unit", "locality")
        .prefetch_related("cooperating_units", "transitions", "related_cases", "points", "attachments")
        .order_by("receipt_no")
    )
    units = {}
    for index, case in enumerate(cases):
        if case.lead_unit is None:
            continue
        units[case.lead_unit.pk] = case.lead_unit
        own = _sheet(ctx, case, SheetVersion.SELF, _self_data(case, index), office)
        review_data = {**own.data, "plan_reviewed": own.data["plan_reviewed"] and index % 4 != 1}
        _sheet(ctx, case, SheetVersion.REVIEW, review_data, ctx.users.get("reviewer", office), self_sheet=own)
    for unit in units.values():
        _assessment(ctx, unit, office)
        if unit.name.endswith("自然资源分局"):
            _consequences(ctx, unit, office)
    _calendar(ctx, office)
    _draft_2026(ctx, office)


def _self_data(case, index) -> dict:
    data, _ = prefill_sheet(case, case.lead_unit)
    data["territorial"][0]["lead_unit_head"] = "principal" if index % 3 else "deputy"
    data["functional"][0] = {"case_leader": "deputy", "handler": True}
    data["plan"].update(milestones=True, funding=index % 2 == 0)
    data["plan_reviewed"] = True
    data["plan_implemented"] = index % 5 != 0
    data["archive"]["catalogue"] = data["archive"]["assignment_note"] = True
    units = data["archive"]["unit_materials"]["units"]
    data["archive"]["unit_materials"]["complete"] = units
    data["archive"]["site_records"]["complete"] = units if index % 3 else 0
    data["bonus"]["follow_up_visit"] = index % 2 == 1
    data["bonus"]["media"] = ["city"] if index == 2 else []
    return data


def _sheet(ctx, case, version, data, actor, *, self_sheet=None) -> ScoringSheet:
    key = {"case": case, "locality": case.lead_unit, "year": YEAR, "version": version}
    existing = ScoringSheet.objects.filter(**key).first()
    if existing:
        return existing
    flat = flatten(data)
    if self_sheet is None:
        _, source = prefill_sheet(case, case.lead_unit)
        prefilled = {
            p: v
            for p, v in flatten(prefill_sheet(case, case.lead_unit)[0]).items()
            if p in source and not source[p].startswith(MANUAL)
        }
    else:
        source, prefilled = {p: "单位自评" for p in flat}, flatten(self_sheet.data)
    reasons = {p: "示例：按档案材料核实" for p, v in prefilled.items() if flat.get(p) != v}
    sheet = ScoringSheet(
        **key,
        status=SheetStatus.SUBMITTED,
        data=data,
        prefilled=prefilled,
        provenance=source,
        reasons=reasons,
        created_by=actor,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    stamp_score(sheet)
    sheet.save()
    ctx.count("评分表", True)
    return sheet


def _assessment(ctx, unit, office) -> None:
    if UnitAssessment.objects.filter(unit=unit, year=YEAR).exists():
        return
    assessment = UnitAssessment.objects.create(unit=unit, year=YEAR, state=AssessmentState.REVIEWED)
    reviewer = ctx.users.get("reviewer", office)
    AssessmentStep.objects.create(
        assessment=assessment,
        from_state="open",
        to_state="submitted",
        actor=office,
        reason="示例：单位自评已提交",
    )
    AssessmentStep.objects.create(
        assessment=assessment, from_state="submitted", to_state="reviewed", actor=reviewer
    )
    ctx.count("单位年度考核", True)


def _consequences(ctx, unit, office) -> None:
    """The 不合格 unit: its 通报批评 event, the 约谈 of its principal leaders with a 限期整改 deadline
    (still open: it shows on the unit's to-do), and a 问责 referral with its outcome."""
    from supervision.models import AdmonitionTalk

    today = timezone.localdate()
    if not AssessmentEvent.objects.filter(unit=unit, year=YEAR).exists():
        AssessmentEvent.objects.create(
            unit=unit,
            year=YEAR,
            kind=OverrideKind.CRITICISED,
            occurred_on=date(YEAR, 11, 20),
            description="【示例】因整改工作不力被省督察整改工作通报批评",
            evidence_url="https://example.invalid/tongbao/2018-11-20",
            recorded_by=office,
        )
        ctx.count("一票否决事件", True)
    if not AdmonitionTalk.objects.filter(unit=unit, assessment_year=YEAR).exists():
        AdmonitionTalk.objects.create(
            unit=unit,
            assessment_year=YEAR,
            held_on=today - timedelta(days=10),
            interviewees="【示例】自然资源分局局长、党组书记",
            interviewers="协调组办公室主任",
            summary="【示例】通报考核不合格情况，听取整改打算",
            rectify_requirements="【示例】30日内完成通报批评所涉问题整改，报送整改报告",
            rectify_deadline=today + timedelta(days=20),
            recorded_by=office,
        )
        ctx.count("约谈", True)
    if not AccountabilityReferral.objects.filter(unit=unit, year=YEAR).exists():
        AccountabilityReferral.objects.create(
            unit=unit,
            year=YEAR,
            referred_on=date(YEAR + 1, 3, 20),
            body=ReferralBody.DISCIPLINE,
            persons="【示例】分管副局长",
            facts="【示例】交办问题整改不力，被通报批评（问责建议情形 7）",
            circumstances=[7],
            outcome=ReferralOutcome.HELD,
            outcome_on=date(YEAR + 1, 4, 25),
            outcome_detail="【示例】给予诫勉谈话",
            recorded_by=office,
        )
        ctx.count("问责移送", True)


def _calendar(ctx, office) -> None:
    """The demo year's assessment calendar: self-assessment and review done, the rest pending."""
    from .domain.records import default_calendar

    done = {CalendarKind.SELF_START, CalendarKind.SELF_END, CalendarKind.REVIEW_END}
    for kind, due in default_calendar(YEAR).items():
        _, created = AssessmentDate.objects.get_or_create(
            year=YEAR, kind=kind, defaults={"due_on": due, "done_on": due if kind in done else None}
        )
        ctx.count("考核日程", created)


def _draft_2026(ctx, office) -> None:
    """A round-2 case's self-assessment just started, so the prefill and its sources can be seen."""
    from .domain.services import start_sheet

    case = PetitionCase.objects.filter(
        inspection=ctx.inspections["C2"], receipt_no="D2LN202107160012"
    ).first()
    if case is None or case.deadline is None or case.lead_unit is None:
        return
    if ScoringSheet.objects.filter(case=case, version=SheetVersion.SELF).exists():
        return
    start_sheet(case, locality=case.lead_unit, actor=office)
    ctx.count("评分表", True)
