"""The unit's annual result (docs/rules.md §8.5): the rule in every branch, forcing events (不合格,
last, the reason shown), the nine 问责 circumstances triggered and not, the reward suggestions, and
the ranking page's constant query count."""

from datetime import date
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.enums import CaseState, Finding
from cases.models import ReboundEntry
from rectification.enums import TaskGrade
from rectification.models import AnnualTarget
from scoring.domain import records
from scoring.domain.consequences import consequences_for
from scoring.domain.queries import year_results
from scoring.domain.unit_result import case_level, combine, task_level
from scoring.enums import OverrideKind, ResultLevel
from tests.factories import CaseFactory, MeasureFactory, TaskFactory, UnitFactory

from .helpers import case_in, make_sheet
from .test_consequences import completed, letter, reopened

pytestmark = pytest.mark.usefixtures("rewritable_logs")

E, G, P, F = ResultLevel.EXCELLENT, ResultLevel.GOOD, ResultLevel.PASS, ResultLevel.FAIL
TODAY = date(2026, 1, 15)


# ---------------------------------------------------------------- the rule, every branch


@pytest.mark.parametrize(
    "grades, expected",
    [
        ({}, None),
        ({TaskGrade.EXCELLENT: 3}, E),
        ({TaskGrade.EXCELLENT: 3, TaskGrade.GOOD: 1}, G),
        ({TaskGrade.EXCELLENT: 3, TaskGrade.GOOD: 1, TaskGrade.PASS: 1}, P),
        ({TaskGrade.EXCELLENT: 9, TaskGrade.FAIL: 1}, F),
    ],
)
def test_task_part_is_the_weakest_task_grade(grades, expected):
    assert task_level({g.value: n for g, n in grades.items()}) == expected


@pytest.mark.parametrize(
    "average, expected",
    [
        (None, None),
        (Fraction(100), E),
        (Fraction(90), E),
        (Fraction(8999, 100), G),
        (Fraction(80), G),
        (Fraction(7999, 100), P),
        (Fraction(60), P),
        (Fraction(5999, 100), F),
        (Fraction(0), F),
    ],
)
def test_case_part_bands(average, expected):
    assert case_level(average) == expected


@pytest.mark.parametrize(
    "task, case, forced, expected",
    [
        (E, E, True, F),  # a forcing event: 不合格 whatever the parts
        (None, None, True, F),
        (None, None, False, None),  # nothing to rate: 未评定
        (G, None, False, G),  # only tasks
        (None, P, False, P),  # only cases
        (E, G, False, G),  # the lower of the two
        (F, E, False, F),
        (P, P, False, P),
    ],
)
def test_result_combines_the_parts(task, case, forced, expected):
    assert combine(task, case, forced=forced) == expected


def graded_task(unit, year=2025, *, reached=True, done=True):
    task = TaskFactory(lead_unit=unit, deadline=date(year, 12, 31))
    MeasureFactory(task=task, done=done, done_on=date(year, 3, 1) if done else None)
    AnnualTarget.objects.create(task=task, year=year, target="年度目标", reached=reached)
    return task


def event(unit, actor, kind=OverrideKind.CRITICISED, year=2025, **kwargs):
    kwargs.setdefault("evidence_url", "https://example.invalid/tongbao")
    return records.record_event(
        unit=unit,
        year=year,
        kind=kind,
        occurred_on=date(year, 9, 1),
        description="被省级通报批评",
        actor=actor,
        **kwargs,
    )


@pytest.mark.django_db
def test_ranking_orders_by_result_then_average(users, unit_a, unit_b):
    third = UnitFactory(name="丙单位")
    make_sheet(case_in(unit_a, 2025), unit_a)  # 92.25 优秀 …
    graded_task(unit_a, reached=False)  # … but a task 不合格 → 不合格
    make_sheet(case_in(unit_b, 2025), unit_b, plan_reviewed=False)  # 86.25 良好
    graded_task(third)  # only tasks, all 优秀 → 优秀, no average
    ranking = [(r.unit.name, r.rank, r.verdict) for r in year_results(users["office"], 2025)]
    assert ranking == [("丙单位", 1, "优秀"), ("乙单位", 2, "良好"), ("甲单位", 3, "不合格")]
    [a] = [r for r in year_results(users["office"], 2025) if r.unit == unit_a]
    assert a.explanation == "整改任务部分不合格，信访案件部分优秀，取较低者为不合格"


# ---------------------------------------------------------------- forcing events


@pytest.mark.django_db
def test_forcing_event_makes_the_best_unit_fail_and_last_with_the_reason_shown(login, users, unit_a, unit_b):
    make_sheet(case_in(unit_a, 2025), unit_a)  # 92.25, the best
    make_sheet(case_in(unit_b, 2025), unit_b, plan_reviewed=False)  # 86.25
    found = event(unit_a, users["office"], kind=OverrideKind.EXPOSED)
    ranking = [(r.unit.name, r.rank, r.verdict, r.forced) for r in year_results(users["office"], 2025)]
    assert ranking == [("乙单位", 1, "良好", False), ("甲单位", 2, "不合格", True)]
    reason = "一票否决：2025-09-01被重要媒体曝光，视为不合格，排名最后"
    client = login(users["office"])
    assert reason in client.get("/scoring/?year=2025").content.decode()
    assert reason in client.get(f"/scoring/units/{unit_a.pk}/2025/").content.decode()
    # an event counts only for its year
    assert [r.verdict for r in year_results(users["office"], 2024)] == []
    # revoked (with a reason, kept in history): the unit is rated by its record again
    records.revoke_event(found, reason="误录", actor=users["office"])
    assert [r.unit.name for r in year_results(users["office"], 2025)] == ["甲单位", "乙单位"]
    assert found.history.first().history_change_reason == "撤销：误录"


@pytest.mark.django_db
def test_event_needs_evidence_a_kind_a_past_date_and_the_right_role(users, unit_a):
    with pytest.raises(DomainError, match="证明材料") as error:
        event(unit_a, users["office"], evidence_url="")
    assert error.value.field == "evidence"
    with pytest.raises(DomainError, match="链接须以"):
        event(unit_a, users["office"], evidence_url="javascript:alert(1)")
    with pytest.raises(DomainError, match="请选择情形"):
        event(unit_a, users["office"], kind="other")
    with pytest.raises(DomainError, match="您无权"):
        event(unit_a, users["staff"])
    with pytest.raises(DomainError, match=r"不是有效|格式不受支持"):
        event(unit_a, users["office"], evidence_url="", evidence=SimpleUploadedFile("a.pdf", b"not a pdf"))
    assert not unit_a.assessment_events.exists()  # nothing half-saved


# ---------------------------------------------------------------- the nine circumstances


def _case(unit, **kwargs):
    kwargs.setdefault("deadline", date(2025, 6, 30))
    return CaseFactory(lead_unit=unit, **kwargs)


def c1(unit, users, hit):
    from acceptance.enums import StepKind, StepOutcome
    from acceptance.models import Step

    case = _case(unit, finding=Finding.UNTRUE, state=CaseState.REOPENED)
    Step.objects.create(
        case=case,
        kind=StepKind.REVIEW,
        starts_on=date(2025, 4, 1),
        done_on=date(2025, 4, 5),
        outcome=StepOutcome.FAILED if hit else StepOutcome.PASSED,
        reasons="定性与现场不符" if hit else "",
    )


def c2(unit, users, hit):
    task = TaskFactory(lead_unit=unit, deadline=date(2025, 6, 30))
    if not hit:
        from rectification.enums import TaskStatus, TaskStep
        from rectification.models import TaskStepRecord

        TaskStepRecord.objects.create(
            task=task,
            step=TaskStep.COMPLETE,
            from_status=TaskStatus.IN_PROGRESS,
            to_status=TaskStatus.COMPLETE,
            on_date=date(2025, 6, 1),
            at=timezone.now(),
            actor=users["office"],
        )


def c3(unit, users, hit):
    case = _case(unit, state=CaseState.RECTIFYING)
    letter(case=case, issued_on=date(2025, 6, 1), issued_by=users["office"])
    completed(case, date(2025, 7, 10) if hit else date(2025, 6, 20))


def c4(unit, users, hit):
    case = _case(unit, state=CaseState.REOPENED)
    completed(case, date(2025, 3, 1))
    type(case).objects.filter(pk=case.pk).update(state=CaseState.REOPENED)
    reopened(
        case, CaseState.ACCEPTED if hit else CaseState.COMPLETED, date(2025, 4, 1), reason="复核发现未整改"
    )


def c5(unit, users, hit):
    case = _case(unit, state=CaseState.REOPENED)
    completed(case, date(2024, 3, 1))
    type(case).objects.filter(pk=case.pk).update(state=CaseState.REOPENED)
    ReboundEntry.objects.create(
        case=case, found_on=date(2025, 5, 3) if hit else date(2024, 5, 3), description="复查发现反弹"
    )


def c6(unit, users, hit):
    case = _case(unit, state=CaseState.RECTIFYING)
    completed(case, date(2025, 6, 1))
    type(case).objects.filter(pk=case.pk).update(handling="对片区企业一律关停" if hit else "依法责令整改")


def c7(unit, users, hit):
    case = _case(unit, state=CaseState.RECTIFYING, accountability="对相关责任人问责")
    completed(case, date(2025, 6, 1))
    type(case).objects.filter(pk=case.pk).update(accountability_done=not hit)


def c8(unit, users, hit):
    make_sheet(case_in(unit, 2025), unit, fake=hit)


def c9(unit, users, hit):
    event(unit, users["office"], kind=OverrideKind.EXPOSED if hit else OverrideKind.CRITICISED)


BUILDERS = {1: c1, 2: c2, 3: c3, 4: c4, 5: c5, 6: c6, 7: c7, 8: c8, 9: c9}


@pytest.mark.django_db
@pytest.mark.parametrize("number", range(1, 10))
@pytest.mark.parametrize("hit", [True, False])
def test_each_circumstance_is_suggested_from_its_facts_only(users, unit_a, unit_b, number, hit):
    BUILDERS[number](unit_a, users, hit)
    found = {c.number: c for c in consequences_for(unit_a, 2025, today=TODAY)["circumstances"]}
    assert sorted(found) == list(range(1, 10))
    triggered = sorted(n for n, c in found.items() if c.triggered)
    if hit:
        assert number in triggered
        assert all(f.url and f.label and f.text for f in found[number].facts)
    else:
        assert number not in triggered
    # never another unit's
    assert not any(c.triggered for c in consequences_for(unit_b, 2025, today=TODAY)["circumstances"])


@pytest.mark.django_db
def test_reward_suggestions_cite_the_result(users, unit_a):
    graded_task(unit_a)
    make_sheet(case_in(unit_a, 2025), unit_a)  # 92.25
    [result] = year_results(users["office"], 2025)
    rewards = consequences_for(unit_a, 2025, today=TODAY, result=result)["rewards"]
    assert [s.triggered for s in rewards] == [True, True]
    assert "考核结果优秀" in rewards[1].facts[0].text
    event(unit_a, users["office"])
    [result] = year_results(users["office"], 2025)
    rewards = consequences_for(unit_a, 2025, today=TODAY, result=result)["rewards"]
    assert [s.triggered for s in rewards] == [False, False]


# ---------------------------------------------------------------- the ranking page


@pytest.mark.django_db
def test_ranking_page_query_count_does_not_grow_with_units_cases_or_tasks(
    login, users, unit_a, django_assert_num_queries
):
    client = login(users["office"])
    make_sheet(case_in(unit_a, 2025), unit_a)
    graded_task(unit_a)
    client.get("/scoring/?year=2025")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get("/scoring/?year=2025").status_code == 200
    for n in range(6):
        unit = UnitFactory(name=f"单位{n}")
        for _ in range(3):
            make_sheet(case_in(unit, 2025), unit)
            graded_task(unit, reached=n % 2 == 0)
        if n == 5:
            event(unit, users["office"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/scoring/?year=2025")
    assert len(response.context["results"]) == 7
