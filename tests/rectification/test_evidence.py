from datetime import date

import pytest

from cases.domain.errors import DomainError
from rectification.domain.services import complete_measure
from rectification.enums import MeasureKind
from rectification.evidence import missing_evidence
from rectification.models import Attachment, Measure
from tests.factories import MeasureFactory

D = date(2021, 6, 30)

CASES = [
    (MeasureKind.POLICY, {}, ["文件名称及文号", "印发日期", "文件已施行"]),
    (MeasureKind.POLICY, {"document": "千景管发〔2021〕1号", "document_issued_on": D}, ["文件已施行"]),
    (MeasureKind.POLICY, {"document": "文", "document_issued_on": D, "document_in_force": True}, []),
    (MeasureKind.ENGINEERING, {"works_finished_on": D}, ["竣工验收日期", "竣工验收文件"]),
    (MeasureKind.ENGINEERING, {"works_finished_on": D, "acceptance_on": D}, ["竣工验收文件"]),
    (
        MeasureKind.ENGINEERING,
        {"works_finished_on": D, "acceptance_on": D, "acceptance_document": "  "},
        ["竣工验收文件"],
    ),
    (
        MeasureKind.ENGINEERING,
        {"works_finished_on": D, "acceptance_on": D, "acceptance_document": "验收报告"},
        [],
    ),
    (MeasureKind.CLOSURE, {}, ["关停搬迁日期"]),
    (MeasureKind.CLOSURE, {"closed_on": D}, []),
    (MeasureKind.CLOSURE, {"closed_on": D, "clearance_required": True}, ["拆除清理完成日期"]),
    (MeasureKind.CLOSURE, {"closed_on": D, "clearance_required": True, "cleared_on": D}, []),
    (
        MeasureKind.ENFORCEMENT,
        {"case_filed_no": "立1", "penalty_decision_no": "罚1"},
        ["处罚执行日期", "当事人已履行", "违法行为已纠正"],
    ),
    (
        MeasureKind.ENFORCEMENT,
        {
            "case_filed_no": "立1",
            "penalty_decision_no": "罚1",
            "penalty_executed_on": D,
            "offender_complied": True,
        },
        ["违法行为已纠正"],
    ),
    (
        MeasureKind.ENFORCEMENT,
        {
            "case_filed_no": "立1",
            "penalty_decision_no": "罚1",
            "penalty_executed_on": D,
            "offender_complied": True,
            "violation_fixed": True,
        },
        [],
    ),
    (MeasureKind.ACCOUNTABILITY, {"investigation_done_on": D}, ["被问责人员及处理结果"]),
    (MeasureKind.ACCOUNTABILITY, {"investigation_done_on": D, "persons_held": "张某 诫勉谈话"}, []),
]


@pytest.mark.parametrize(("kind", "values", "missing"), CASES)
def test_missing_evidence_by_kind(kind, values, missing):
    assert missing_evidence(kind, values) == missing


@pytest.mark.django_db
def test_complete_measure_engineering_without_acceptance_refused_and_nothing_saved(users, unit_a):
    measure = MeasureFactory(task__lead_unit=unit_a, kind=MeasureKind.ENGINEERING)
    with pytest.raises(DomainError) as refused:
        complete_measure(
            measure,
            actor=users["staff"],
            evidence={"works_finished_on": D},
            done_on=D,
            today=date(2021, 7, 1),
        )
    assert refused.value.message == "工程措施标记完成前须提供：竣工验收日期、竣工验收文件。"
    measure.refresh_from_db()
    assert (measure.done, measure.works_finished_on) == (False, None)


@pytest.mark.django_db
def test_complete_measure_engineering_with_evidence_saves(users, unit_a):
    measure = MeasureFactory(task__lead_unit=unit_a, kind=MeasureKind.ENGINEERING)
    evidence = {
        "works_finished_on": D,
        "acceptance_on": date(2021, 7, 1),
        "acceptance_document": "竣工验收报告",
    }
    complete_measure(
        measure, actor=users["staff"], evidence=evidence, done_on=date(2021, 7, 1), today=date(2021, 7, 1)
    )
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.done, measure.done_on, measure.acceptance_document) == (
        True,
        date(2021, 7, 1),
        "竣工验收报告",
    )
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_complete_measure_acceptance_before_works_refused(users, unit_a):
    measure = MeasureFactory(task__lead_unit=unit_a, kind=MeasureKind.ENGINEERING)
    evidence = {"works_finished_on": D, "acceptance_on": date(2021, 6, 1), "acceptance_document": "报告"}
    with pytest.raises(DomainError) as refused:
        complete_measure(measure, actor=users["staff"], evidence=evidence, done_on=D, today=D)
    assert refused.value.message == "竣工验收日期不能早于完工日期。"


@pytest.mark.django_db
def test_complete_measure_other_unit_refused(users, unit_a):
    measure = MeasureFactory(task__lead_unit=unit_a, kind=MeasureKind.CLOSURE)
    with pytest.raises(DomainError) as refused:
        complete_measure(measure, actor=users["staff_b"], evidence={"closed_on": D}, done_on=D, today=D)
    assert refused.value.message == "您没有修改该整改任务的权限。"


@pytest.mark.django_db
def test_complete_measure_twice_refused(users, unit_a):
    measure = MeasureFactory(task__lead_unit=unit_a, kind=MeasureKind.CLOSURE)
    complete_measure(measure, actor=users["staff"], evidence={"closed_on": D}, done_on=D, today=D)
    stale = Measure.objects.get(pk=measure.pk)
    stale.done = False
    with pytest.raises(DomainError) as refused:
        complete_measure(stale, actor=users["office"], evidence={"closed_on": D}, done_on=D, today=D)
    assert refused.value.message == "该措施已被标记完成，请刷新页面。"
