"""The reward suggestions and accountability facts listed per unit (奖励和问责建议), each with data
that should and data that should not produce the fact."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.enums import CaseState
from cases.models import CaseTransition, ReboundEntry
from rectification.enums import TaskStatus, TaskStep
from rectification.models import AnnualTarget, TaskStepRecord
from scoring.domain.consequences import consequences_for
from supervision.models import SupervisionLetter
from tests.factories import CaseFactory, MeasureFactory, TaskFactory

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")

TZ = ZoneInfo("Asia/Shanghai")


def facts(unit, year=2025, *, today=date(2026, 1, 15), kind="accountability", numbers=(3, 4, 5)):
    """The facts of reward suggestion 1 (kind "rewards"), or of the given accountability
    circumstances (by default 三、四、五, the ones these tests build data for)."""
    found = consequences_for(unit, year, today=today)
    if kind == "rewards":
        return [(f.label, f.text, f.url) for f in found["rewards"][0].facts]
    by_number = {c.number: c for c in found["circumstances"]}
    return [(f.label, f.text, f.url) for n in numbers for f in by_number[n].facts]


def task_with(unit, *, done=(True, True), year=2025, reached=True, **kwargs):
    task = TaskFactory(lead_unit=unit, deadline=date(year, 12, 31), **kwargs)
    for flag in done:
        MeasureFactory(task=task, done=flag)
    AnnualTarget.objects.create(task=task, year=year, target="年度目标", reached=reached)
    return task


SERIALS = itertools.count(1)


def letter(*, case=None, task=None, issued_on, issued_by):
    return SupervisionLetter.objects.create(
        case=case,
        task=task,
        unit=(case or task).lead_unit,
        year=issued_on.year,
        serial=next(SERIALS),
        issued_on=issued_on,
        reply_deadline=issued_on,
        facts="督办事项",
        requirements="限期完成",
        issued_by=issued_by,
    )


def completed(case, on: date):
    """Record that ``case`` was completed on ``on`` (Shanghai time) and is now completed."""
    transition = CaseTransition.objects.create(
        case=case, from_state=CaseState.RECTIFYING, to_state=CaseState.COMPLETED
    )
    CaseTransition.objects.filter(pk=transition.pk).update(
        at=datetime(on.year, on.month, on.day, 9, tzinfo=TZ)
    )
    type(case).objects.filter(pk=case.pk).update(state=CaseState.COMPLETED)


def reopened(case, from_state, on: date, reason="复查发现问题反弹"):
    transition = CaseTransition.objects.create(
        case=case, from_state=from_state, to_state=CaseState.REOPENED, reason=reason
    )
    CaseTransition.objects.filter(pk=transition.pk).update(
        at=datetime(on.year, on.month, on.day, 9, tzinfo=TZ)
    )


# ---------------------------------------------------------------- 奖励建议


@pytest.mark.django_db
def test_reward_when_all_measures_complete_and_annual_target_reached(unit_a):
    task = task_with(unit_a, number="T-101")
    assert facts(unit_a, kind="rewards") == [
        (
            "整改任务 T-101",
            "全部2项措施已完成，2025年度目标已达到",
            reverse("rectification:detail", args=[task.pk]),
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"done": (True, False)},  # one measure still open
        {"done": ()},  # no measures: nothing proves completion
        {"reached": False},  # target assessed and missed
        {"reached": None},  # target not yet assessed
        {"year": 2024},  # target of another year
    ],
    ids=["measure_open", "no_measures", "target_missed", "target_unassessed", "other_year"],
)
def test_no_reward_when_a_condition_fails(unit_a, changes):
    task_with(unit_a, **changes)
    assert facts(unit_a, kind="rewards") == []


@pytest.mark.django_db
def test_reward_of_another_unit_is_not_listed(unit_a, unit_b):
    task_with(unit_b)
    assert facts(unit_a, kind="rewards") == []
    assert len(facts(unit_b, kind="rewards")) == 1


# ---------------------------------------------------------------- 督办后仍未按时限完成


@pytest.fixture
def late_case(unit_a):
    return CaseFactory(
        lead_unit=unit_a, receipt_no="L-1", deadline=date(2025, 6, 30), state=CaseState.RECTIFYING
    )


@pytest.mark.django_db
def test_unfinished_case_past_deadline_after_letter_is_a_fact(users, unit_a, late_case):
    sent = letter(case=late_case, issued_on=date(2025, 6, 1), issued_by=users["office"])
    assert facts(unit_a, today=date(2025, 7, 1)) == [
        (
            "信访案件 L-1",
            f"{sent.number}（2025-06-01）督办后，至 2025-07-01 仍未完成，超过整改时限（2025-06-30）",
            reverse("cases:detail", args=[late_case.pk]),
        )
    ]


@pytest.mark.django_db
def test_unfinished_case_on_its_deadline_day_is_not_yet_missed(users, unit_a, late_case):
    letter(case=late_case, issued_on=date(2025, 6, 1), issued_by=users["office"])
    assert facts(unit_a, today=date(2025, 6, 30)) == []


@pytest.mark.django_db
def test_case_finished_late_after_letter_is_a_fact(users, unit_a, late_case):
    sent = letter(case=late_case, issued_on=date(2025, 6, 1), issued_by=users["office"])
    completed(late_case, date(2025, 7, 5))
    assert [text for _, text, _ in facts(unit_a)] == [
        f"{sent.number}（2025-06-01）督办后，于 2025-07-05 才完成，超过整改时限（2025-06-30）"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "issued_on, finished_on",
    [
        (date(2025, 6, 1), date(2025, 6, 30)),  # finished on the deadline day: on time
        (date(2025, 7, 10), date(2025, 7, 5)),  # finished late, but before the letter was issued
        (date(2024, 12, 1), None),  # the letter is of another year
    ],
    ids=["on_time", "letter_after_completion", "letter_other_year"],
)
def test_no_missed_after_letter_fact(users, unit_a, late_case, issued_on, finished_on):
    letter(case=late_case, issued_on=issued_on, issued_by=users["office"])
    if finished_on:
        completed(late_case, finished_on)
    assert facts(unit_a) == []


@pytest.mark.django_db
def test_reopened_case_counts_as_unfinished_for_the_deadline(users, unit_a, late_case):
    completed(late_case, date(2025, 6, 20))
    letter(case=late_case, issued_on=date(2025, 6, 25), issued_by=users["office"])
    late_case.refresh_from_db()
    type(late_case).objects.filter(pk=late_case.pk).update(state=CaseState.REOPENED)
    [(_, text, _)] = facts(unit_a, today=date(2025, 8, 1))
    assert "至 2025-08-01 仍未完成" in text


@pytest.mark.django_db
def test_letter_about_another_units_case_is_not_listed(users, unit_a, unit_b):
    other = CaseFactory(lead_unit=unit_b, deadline=date(2025, 6, 30), state=CaseState.RECTIFYING)
    letter(case=other, issued_on=date(2025, 6, 1), issued_by=users["office"])
    assert facts(unit_a) == []
    assert len(facts(unit_b)) == 1


@pytest.mark.django_db
def test_task_past_deadline_after_letter_is_a_fact_and_finished_task_is_not(users, unit_a):
    late = TaskFactory(lead_unit=unit_a, number="T-201", deadline=date(2025, 6, 30))
    sent = letter(task=late, issued_on=date(2025, 5, 1), issued_by=users["office"])
    on_time = TaskFactory(
        lead_unit=unit_a, number="T-202", deadline=date(2025, 6, 30), status=TaskStatus.COMPLETE
    )
    TaskStepRecord.objects.create(
        task=on_time,
        step=TaskStep.COMPLETE,
        from_status=TaskStatus.IN_PROGRESS,
        to_status=TaskStatus.COMPLETE,
        at=datetime(2025, 6, 28, 9, tzinfo=TZ),
        on_date=date(2025, 6, 28),
    )
    letter(task=on_time, issued_on=date(2025, 5, 1), issued_by=users["office"])
    assert facts(unit_a, today=date(2025, 9, 1)) == [
        (
            "整改任务 T-201",
            f"{sent.number}（2025-05-01）督办后，至 2025-09-01 仍未完成，超过整改时限（2025-06-30）",
            reverse("rectification:detail", args=[late.pk]),
        )
    ]


# ---------------------------------------------------------------- 销号后反弹


@pytest.mark.django_db
def test_rebound_after_close_out_in_the_year_is_a_fact(unit_a, unit_b):
    case = CaseFactory(lead_unit=unit_a, receipt_no="R-1", state=CaseState.REOPENED)
    ReboundEntry.objects.create(case=case, found_on=date(2025, 5, 3), description="复查发现垃圾复堆")
    ReboundEntry.objects.create(case=case, found_on=date(2024, 12, 31), description="上一年度的反弹")
    other = CaseFactory(lead_unit=unit_b, state=CaseState.REOPENED)
    ReboundEntry.objects.create(case=other, found_on=date(2025, 5, 3), description="乙单位的反弹")
    assert facts(unit_a) == [
        (
            "信访案件 R-1",
            "销号后反弹（2025-05-03）：复查发现垃圾复堆",
            reverse("cases:detail", args=[case.pk]),
        )
    ]


@pytest.mark.django_db
def test_rebound_of_a_case_where_the_unit_is_the_locality_is_listed(unit_a, unit_b):
    case = CaseFactory(lead_unit=unit_b, locality=unit_a, state=CaseState.REOPENED)
    ReboundEntry.objects.create(case=case, found_on=date(2025, 5, 3), description="反弹")
    assert len(facts(unit_a)) == 1


# ---------------------------------------------------------------- 销号后重新整改


@pytest.mark.django_db
@pytest.mark.parametrize("from_state", [CaseState.CLOSED, CaseState.FILED])
def test_case_reopened_after_close_out_is_a_fact(unit_a, from_state):
    case = CaseFactory(lead_unit=unit_a, receipt_no="O-1", state=CaseState.REOPENED)
    reopened(case, from_state, date(2025, 4, 1), reason="回访发现问题未解决")
    label = CaseState(from_state).label
    assert facts(unit_a) == [
        (
            "信访案件 O-1",
            f"{label}后重新整改（2025-04-01）：回访发现问题未解决",
            reverse("cases:detail", args=[case.pk]),
        )
    ]


@pytest.mark.django_db
def test_case_reopened_after_acceptance_is_a_contradicted_report(unit_a):
    case = CaseFactory(lead_unit=unit_a, receipt_no="O-2", state=CaseState.REOPENED)
    reopened(case, CaseState.ACCEPTED, date(2025, 4, 1), reason="复核发现未整改")
    assert [text for _, text, _ in facts(unit_a)] == [
        "已验收后经核查与报告不符，重新整改（2025-04-01）：复核发现未整改"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_state, on",
    [
        (CaseState.COMPLETED, date(2025, 4, 1)),  # acceptance failing is the ordinary process
        (CaseState.CLOSED, date(2024, 12, 31)),  # another year
    ],
    ids=["failed_acceptance", "other_year"],
)
def test_no_reopened_fact(unit_a, from_state, on):
    case = CaseFactory(lead_unit=unit_a, state=CaseState.REOPENED)
    reopened(case, from_state, on)
    assert facts(unit_a) == []


@pytest.mark.django_db
def test_reopened_case_of_another_unit_is_not_listed(unit_a, unit_b):
    reopened(CaseFactory(lead_unit=unit_b, state=CaseState.REOPENED), CaseState.CLOSED, date(2025, 4, 1))
    assert facts(unit_a) == []


# ---------------------------------------------------------------- queries and the page


@pytest.mark.django_db
def test_consequences_query_count_same_for_one_and_many_facts(users, unit_a, django_assert_num_queries):
    def one_of_each(n):
        task_with(unit_a)
        TaskFactory(lead_unit=unit_a, deadline=date(2025, 6, 30))
        case = CaseFactory(lead_unit=unit_a, deadline=date(2025, 6, 30), state=CaseState.REOPENED)
        letter(case=case, issued_on=date(2025, 6, 1), issued_by=users["office"])
        letter(
            task=TaskFactory(lead_unit=unit_a, deadline=date(2025, 6, 30)),
            issued_on=date(2025, 6, 1),
            issued_by=users["office"],
        )
        completed(
            CaseFactory(lead_unit=unit_a, deadline=date(2025, 6, 30), state=CaseState.RECTIFYING),
            date(2025, 7, 1),
        )
        ReboundEntry.objects.create(case=case, found_on=date(2025, 5, 3), description=f"反弹{n}")
        reopened(case, CaseState.CLOSED, date(2025, 4, 1))

    one_of_each(0)
    with django_assert_num_queries(13) as one:
        found = consequences_for(unit_a, 2025, today=date(2026, 1, 15))
    assert (len(found["rewards"][0].facts), len(found["accountability"])) == (1, 9)
    for n in range(1, 6):
        one_of_each(n)
    with django_assert_num_queries(len(one.captured_queries)):
        found = consequences_for(unit_a, 2025, today=date(2026, 1, 15))
    assert (len(found["rewards"][0].facts), len(found["accountability"])) == (6, 44)


@pytest.mark.django_db
def test_unit_page_lists_the_facts_with_links(login, users, unit_a):
    task = task_with(unit_a, number="T-301")
    case = CaseFactory(lead_unit=unit_a, receipt_no="P-1", state=CaseState.REOPENED)
    ReboundEntry.objects.create(case=case, found_on=date(2025, 5, 3), description="复查发现反弹")
    body = login(users["office"]).get(f"/scoring/units/{unit_a.pk}/2025/").content.decode()
    assert f'<a href="{reverse("rectification:detail", args=[task.pk])}">整改任务 T-301</a>' in body
    assert (
        f'<a href="{reverse("cases:detail", args=[case.pk])}">信访案件 P-1</a>：销号后反弹（2025-05-03）'
        in body
    )
