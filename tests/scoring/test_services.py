"""Sheets and the assessment workflow: prefill with sources, reasons, review, steps, override, import."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.domain.errors import DomainError
from cases.enums import CaseState
from cases.models import CaseTransition, InvestigationPoint
from org.enums import LeaderLevel
from scoring.domain import services
from scoring.domain.prefill import MANUAL
from scoring.enums import AssessmentState, SheetStatus, SheetVersion
from scoring.models import AssessmentStep, ScoringSheet
from tests.factories import CaseFactory

from .helpers import case_in, make_sheet, sheet_data

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def case(unit_a, unit_b):
    case = CaseFactory(
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        deadline=date(2025, 6, 30),
        case_leader="王镇长",
        case_leader_level=LeaderLevel.DEPUTY,
        handler="李负责人",
        plan="清理堆放垃圾，建立保洁制度",
        is_repeat=True,
    )
    for seq, (true, resolved) in enumerate(
        [(True, True), (True, True), (True, False), (False, False)], start=1
    ):
        InvestigationPoint.objects.create(
            case=case, seq=seq, content=f"要点{seq}", is_true=true, is_resolved=resolved
        )
    transition = CaseTransition.objects.create(
        case=case, from_state=CaseState.RECTIFYING, to_state=CaseState.COMPLETED
    )
    CaseTransition.objects.filter(pk=transition.pk).update(at=datetime(2025, 7, 1, 0, 30, tzinfo=TZ))
    return case


@pytest.mark.django_db
def test_start_sheet_prefills_from_the_record_with_sources(users, case, unit_a):
    # complained about again (a later record links to it) after its completion on 1 July: 重复访
    CaseFactory(lead_unit=unit_a, deadline=date(2025, 9, 30), transferred_on=date(2025, 8, 1), repeat_of=case)
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"], today=date(2026, 1, 10))
    assert (sheet.year, sheet.version, sheet.status) == (2025, SheetVersion.SELF, SheetStatus.DRAFT)
    data, source = sheet.data, sheet.provenance
    assert data["territorial"] == [{"case_leader": "deputy", "lead_unit_head": "none", "handler": True}]
    assert source["territorial[0].case_leader"] == "案件记录：包案领导 王镇长（分管领导）"
    assert source["territorial[0].handler"] == "案件记录：具体负责人 李负责人"
    assert source["territorial[0].lead_unit_head"] == MANUAL
    # 3 true points, 2 solved; the untrue one is not a problem to solve
    assert data["problems"] == {"solved": 2, "total": 3}
    assert source["problems.solved"] == "调查要点：属实的问题3个，已解决2个"
    # completed 1 July (Shanghai time) after a 30 June deadline
    assert data["deductions"]["deadline_missed"] is True
    assert source["deductions.deadline_missed"] == "案件记录：时限 2025-06-30，办结于 2025-07-01"
    assert data["deductions"]["repeat_complaint"] is True
    assert source["deductions.repeat_complaint"].startswith("案件记录：本案于 2025-07-01 办结后被再次投诉：")
    assert data["archive"]["unit_materials"] == {"complete": 0, "units": 2}
    assert data["plan"]["measures"] is True
    # what the record proves is "prefilled"; a manual item is not, so changing it needs no reason
    assert sheet.prefilled["territorial[0].case_leader"] == "deputy"
    assert "territorial[0].lead_unit_head" not in sheet.prefilled
    assert services.start_sheet(case, locality=unit_a, actor=users["staff"]) == sheet


@pytest.mark.django_db
def test_start_sheet_refused_for_another_units_user_and_without_deadline(users, case, unit_a):
    with pytest.raises(DomainError, match="您不能为该单位自评"):
        services.start_sheet(case, locality=unit_a, actor=users["staff_b"])
    no_deadline = CaseFactory(lead_unit=unit_a, state=CaseState.RECEIVED, deadline=None)
    with pytest.raises(DomainError, match="没有整改时限"):
        services.start_sheet(no_deadline, locality=unit_a, actor=users["staff"])
    assert ScoringSheet.objects.count() == 0


@pytest.mark.django_db
def test_changing_a_prefilled_item_needs_a_reason(users, case, unit_a):
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"], today=date(2026, 1, 10))
    data = {
        **sheet.data,
        "territorial": [{"case_leader": "principal", "lead_unit_head": "principal", "handler": True}],
    }
    with pytest.raises(services.SheetInvalid) as refused:
        services.save_sheet(sheet, actor=users["staff"], data=data, reasons={}, submit=True)
    assert refused.value.errors == {"territorial[0].case_leader": "已修改预填值，请填写修改理由"}
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    services.save_sheet(
        sheet,
        actor=users["staff"],
        data=data,
        reasons={"territorial[0].case_leader": " 实为镇长包案 "},
        submit=True,
    )
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.reasons == {"territorial[0].case_leader": "实为镇长包案"}
    assert sheet.submitted_by == users["staff"]


@pytest.mark.django_db
def test_save_sheet_reports_bad_values_by_path_and_saves_nothing(users, case, unit_a):
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    data = {**sheet.data, "problems": {"solved": 5, "total": 3}}
    with pytest.raises(services.SheetInvalid) as refused:
        services.save_sheet(sheet, actor=users["staff"], data=data, reasons={})
    assert refused.value.errors == {"problems.solved": "5 > total 3"}
    sheet.refresh_from_db()
    assert sheet.data["problems"] == {"solved": 2, "total": 3}


@pytest.mark.django_db
def test_stale_save_is_refused(users, case, unit_a):
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    stale = ScoringSheet.objects.get(pk=sheet.pk)
    services.save_sheet(sheet, actor=users["head"], data=sheet.data, reasons={})
    with pytest.raises(DomainError, match="已被他人修改"):
        services.save_sheet(stale, actor=users["staff"], data=stale.data, reasons={})


@pytest.mark.django_db
def test_review_starts_from_submitted_self_and_only_for_reviewers(users, unit_a):
    own = make_sheet(case_in(unit_a, 2025), unit_a, status=SheetStatus.DRAFT)
    with pytest.raises(DomainError, match="提交自评后"):
        services.start_review(own, actor=users["reviewer"])
    ScoringSheet.objects.filter(pk=own.pk).update(
        status=SheetStatus.SUBMITTED, submitted_at=datetime(2026, 1, 5, tzinfo=TZ)
    )
    own.refresh_from_db()
    with pytest.raises(DomainError, match="只有协调组办公室和复核组成员"):
        services.start_review(own, actor=users["staff"])
    review = services.start_review(own, actor=users["reviewer"])
    assert (review.version, review.data, review.provenance["fake"]) == (
        SheetVersion.REVIEW,
        own.data,
        "单位自评",
    )
    data = {**review.data, "plan_reviewed": False}
    with pytest.raises(services.SheetInvalid):
        services.save_sheet(review, actor=users["reviewer"], data=data, reasons={})
    services.save_sheet(
        review, actor=users["reviewer"], data=data, reasons={"plan_reviewed": "未盖章"}, submit=True
    )
    with pytest.raises(DomainError, match="已开始复核"):
        services.return_sheet(own, actor=users["reviewer"], reason="重填")


@pytest.mark.django_db
def test_workflow_records_each_step_and_refuses_out_of_order(users, unit_a):
    case = case_in(unit_a, 2025)
    own = make_sheet(case, unit_a, status=SheetStatus.DRAFT)
    assessment = services.assessment_of(unit_a, 2025)
    with pytest.raises(DomainError, match="还有 1 份自评未提交"):
        services.advance_assessment(assessment, to_state=AssessmentState.SUBMITTED, actor=users["staff"])
    ScoringSheet.objects.filter(pk=own.pk).update(
        status=SheetStatus.SUBMITTED, submitted_at=datetime(2026, 1, 5, tzinfo=TZ)
    )
    with pytest.raises(DomainError, match="不能领导小组审定"):
        services.advance_assessment(assessment, to_state=AssessmentState.APPROVED, actor=users["leader"])
    with pytest.raises(DomainError, match="您无权提交自评"):
        services.advance_assessment(assessment, to_state=AssessmentState.SUBMITTED, actor=users["staff_b"])
    services.advance_assessment(assessment, to_state=AssessmentState.SUBMITTED, actor=users["staff"])
    with pytest.raises(DomainError, match="1 份评分表未完成复核"):
        services.advance_assessment(assessment, to_state=AssessmentState.REVIEWED, actor=users["reviewer"])
    make_sheet(case, unit_a, version=SheetVersion.REVIEW)
    services.advance_assessment(assessment, to_state=AssessmentState.REVIEWED, actor=users["reviewer"])
    with pytest.raises(DomainError, match="您无权领导小组审定"):
        services.advance_assessment(assessment, to_state=AssessmentState.APPROVED, actor=users["office"])
    services.advance_assessment(assessment, to_state=AssessmentState.APPROVED, actor=users["leader"])
    services.advance_assessment(assessment, to_state=AssessmentState.PUBLISHED, actor=users["office"])
    assessment.refresh_from_db()
    assert (assessment.state, assessment.published_score, assessment.published_rank) == (
        "published",
        "92.25",
        1,
    )
    steps = [(s.from_state, s.to_state, s.actor.username) for s in AssessmentStep.objects.order_by("id")]
    assert steps == [
        ("open", "submitted", "staff_u"),
        ("submitted", "reviewed", "reviewer_u"),
        ("reviewed", "approved", "leader_u"),
        ("approved", "published", "office_u"),
    ]


@pytest.mark.django_db
def test_self_sheet_cannot_change_after_unit_submitted(users, unit_a):
    own = make_sheet(case_in(unit_a, 2025), unit_a, status=SheetStatus.DRAFT)
    assessment = services.assessment_of(unit_a, 2025)
    services.ScoringSheet.objects.filter(pk=own.pk).update(
        status=SheetStatus.SUBMITTED, submitted_at=datetime(2026, 1, 5, tzinfo=TZ)
    )
    services.advance_assessment(assessment, to_state=AssessmentState.SUBMITTED, actor=users["staff"])
    with pytest.raises(DomainError, match="退回须填写理由"):
        services.advance_assessment(assessment, to_state=AssessmentState.OPEN, actor=users["reviewer"])
    services.advance_assessment(
        assessment, to_state=AssessmentState.OPEN, actor=users["reviewer"], reason="材料不全"
    )
    services.return_sheet(own, actor=users["reviewer"], reason="补充勘察笔录")
    own.refresh_from_db()
    assert own.status == SheetStatus.DRAFT
    assert own.history.first().history_change_reason == "退回：补充勘察笔录"


@pytest.mark.django_db
def test_import_is_all_or_nothing_with_errors_by_sheet(users, unit_a, unit_b):
    own = case_in(unit_a, 2025)
    other = case_in(unit_b, 2025)
    good = sheet_data(own, unit_a)
    with pytest.raises(services.ImportRefused) as refused:
        services.import_sheets([good, sheet_data(other, unit_b)], actor=users["staff"])
    assert refused.value.lines == [f"sheet 2: case: 未找到案件 {other.receipt_no}"]
    with pytest.raises(services.ImportRefused) as refused:
        services.import_sheets([good, {**good, "fake": "no"}], actor=users["staff"])
    assert refused.value.lines == ['sheet 2: fake: 应为布尔值 true/false，实际为 "no"']
    assert ScoringSheet.objects.count() == 0
    assert services.import_sheets([good], actor=users["staff"]) == 1
    sheet = ScoringSheet.objects.get()
    assert (sheet.case, sheet.locality, sheet.year, sheet.status) == (own, unit_a, 2025, SheetStatus.DRAFT)
