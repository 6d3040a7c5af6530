"""评分标准二 (docs/rules.md §8): every item, average, cap, floor and rounding, with exact values."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring.enums import LeaderLevel, MediaLevel, PraiseLevel, ScorePart
from scoring.rules import (
    Archive,
    Bonus,
    Deductions,
    FunctionalSubject,
    Plan,
    Problems,
    Sheet,
    TerritorialSubject,
    UnitCompletion,
    fmt2,
    result_to_json,
    score,
)

P, D, N = LeaderLevel.PRINCIPAL, LeaderLevel.DEPUTY, LeaderLevel.NONE


def territorial(case_leader=P, lead_unit_head=P, handler=True) -> TerritorialSubject:
    return TerritorialSubject(case_leader=case_leader, lead_unit_head=lead_unit_head, handler=handler)


def functional(case_leader=P, handler=True) -> FunctionalSubject:
    return FunctionalSubject(case_leader=case_leader, handler=handler)


def counts(complete: int, units: int) -> UnitCompletion:
    return UnitCompletion(complete=complete, units=units)


def plan(department=True, measures=True, milestones=True, funding=True) -> Plan:
    return Plan(department=department, measures=measures, milestones=milestones, funding=funding)


def archive(catalogue=True, assignment_note=True, unit_materials=(1, 1), site_records=(1, 1)) -> Archive:
    return Archive(
        catalogue=catalogue,
        assignment_note=assignment_note,
        unit_materials=counts(*unit_materials),
        site_records=counts(*site_records),
    )


# Every base item at its maximum: 9 + 5 + 22 + 14 + 50 = 100, no bonus, no deduction.
FULL = Sheet(
    case="D2LN202107160001",
    locality="千山风景区",
    territorial=(territorial(),),
    functional=(functional(),),
    plan=plan(),
    plan_reviewed=True,
    plan_implemented=True,
    archive=archive(),
    problems=Problems(solved=1, total=1),
    satisfaction_signed=True,
    fake=False,
)

# Every base item at zero.
EMPTY = replace(
    FULL,
    territorial=(territorial(N, N, False),),
    functional=(functional(N, False),),
    plan=plan(False, False, False, False),
    plan_reviewed=False,
    plan_implemented=False,
    archive=archive(False, False, (0, 1), (0, 1)),
    problems=Problems(solved=0, total=1),
    satisfaction_signed=False,
)

# The worked example of docs/rules.md §8.7.
EXAMPLE = Sheet(
    case="D2LN202107160012",
    locality="千山风景区",
    territorial=(territorial(P, D, True),),
    functional=(functional(N, True),),
    plan=plan(funding=False),
    plan_reviewed=True,
    plan_implemented=True,
    archive=archive(unit_materials=(1, 2), site_records=(2, 2)),
    problems=Problems(solved=3, total=4),
    satisfaction_signed=True,
    bonus=Bonus(
        praise=PraiseLevel.CITY_CHIEF,
        follow_up_visit=True,
        media=(MediaLevel.CITY, MediaLevel.PROVINCIAL),
    ),
    deductions=Deductions(deadline_missed=True),
    fake=False,
)


def item(result, key):
    """The breakdown item with this key."""
    (found,) = [i for i in result.breakdown if i.key == key]
    return found


# ---------------------------------------------------------------- the worked example


def test_score_worked_example_totals_92_25():
    result = score(EXAMPLE)

    assert result.total == Fraction("92.25")
    assert result.base == Fraction("85.25")
    assert result_to_json(result) == {
        "case": "D2LN202107160012",
        "locality": "千山风景区",
        "total": "92.25",
        "fake": False,
        "parts": {
            "territorial": "8.00",
            "functional": "2.00",
            "rectification": "20.00",
            "archive": "11.50",
            "result": "43.75",
            "bonus": "12.00",
            "deduction": "5.00",
        },
    }


def test_score_worked_example_parts_are_exact():
    result = score(EXAMPLE)

    assert (result.territorial, result.functional, result.rectification) == (8, 2, 20)
    assert (result.archive, result.result) == (Fraction(23, 2), Fraction(175, 4))
    assert (result.bonus, result.deduction) == (12, 5)


def test_score_full_sheet_is_100():
    result = score(FULL)

    assert (result.base, result.bonus, result.deduction, result.total) == (100, 0, 0, 100)


def test_score_empty_sheet_is_0():
    result = score(EMPTY)

    assert [result.part(p) for p in ScorePart] == [0] * 7
    assert result.total == 0


# ---------------------------------------------------------------- responsibility


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (territorial(P, P, True), 9),
        (territorial(D, D, True), 7),
        (territorial(N, N, True), 3),
        (territorial(P, N, False), 3),
        (territorial(D, N, False), 2),
        (territorial(N, P, False), 3),
        (territorial(N, D, False), 2),
        (territorial(N, N, False), 0),
    ],
)
def test_territorial_single_subject_scores_by_level(subject, expected):
    assert score(replace(FULL, territorial=(subject,))).territorial == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (functional(P, True), 5),
        (functional(D, True), 4),
        (functional(N, True), 2),
        (functional(P, False), 3),
        (functional(D, False), 2),
        (functional(N, False), 0),
    ],
)
def test_functional_single_subject_scores_by_level(subject, expected):
    assert score(replace(FULL, functional=(subject,))).functional == expected


@pytest.mark.parametrize(
    ("subjects", "expected", "shown"),
    [
        ((territorial(P, P, True), territorial(D, D, True)), Fraction(8), "8.00"),
        # (9 + 7 + 0) / 3 does not terminate as a decimal.
        (
            (territorial(P, P, True), territorial(D, D, True), territorial(N, N, False)),
            Fraction(16, 3),
            "5.33",
        ),
        (
            (territorial(P, N, False), territorial(D, N, False), territorial(N, N, False)),
            Fraction(5, 3),
            "1.67",
        ),
        # 25 points over 8 subjects = 3.125, exactly half a cent: rounds up.
        (
            (territorial(),) * 2 + (territorial(D, D, True),) + (territorial(N, N, False),) * 5,
            Fraction(25, 8),
            "3.13",
        ),
    ],
)
def test_territorial_several_subjects_average(subjects, expected, shown):
    result = score(replace(FULL, territorial=subjects))

    assert result.territorial == expected
    assert result_to_json(result)["parts"]["territorial"] == shown


@pytest.mark.parametrize(
    ("subjects", "expected", "shown"),
    [
        # (3 + 2 + 0) / 3: the case leaders alone, no handlers.
        ((functional(P, False), functional(D, False), functional(N, False)), Fraction(5, 3), "1.67"),
        ((functional(P, True), functional(N, False)), Fraction(5, 2), "2.50"),
        ((functional(D, True), functional(D, True), functional(N, True)), Fraction(10, 3), "3.33"),
    ],
)
def test_functional_several_subjects_average(subjects, expected, shown):
    result = score(replace(FULL, functional=subjects))

    assert result.functional == expected
    assert result_to_json(result)["parts"]["functional"] == shown


def test_breakdown_several_subjects_item_shows_its_share():
    subjects = (territorial(P, D, True), territorial(D, N, False), territorial(N, N, True))
    result = score(replace(FULL, territorial=subjects))

    leader = item(result, "territorial[1].case_leader")
    assert (leader.points, leader.max_points, leader.subjects) == (2, 3, 3)
    assert leader.contribution == Fraction(2, 3)
    assert leader.basis == "分管领导"


# ---------------------------------------------------------------- rectification


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 22),
        ({"plan": plan(department=False)}, 20),
        ({"plan": plan(measures=False)}, 20),
        ({"plan": plan(milestones=False)}, 20),
        ({"plan": plan(funding=False)}, 20),
        ({"plan": plan(False, False, False, False)}, 14),
        ({"plan_reviewed": False}, 16),
        ({"plan_implemented": False}, 14),
        ({"plan_reviewed": False, "plan_implemented": False}, 8),
    ],
)
def test_rectification_items_score(changes, expected):
    assert score(replace(FULL, **changes)).rectification == expected


# ---------------------------------------------------------------- archive


@pytest.mark.parametrize(
    ("arch", "expected", "shown"),
    [
        (archive(), Fraction(14), "14.00"),
        (archive(catalogue=False), Fraction(12), "12.00"),
        (archive(assignment_note=False), Fraction(12), "12.00"),
        (archive(unit_materials=(1, 2)), Fraction(23, 2), "11.50"),
        (archive(unit_materials=(0, 3)), Fraction(9), "9.00"),
        # 5 × 1/3 and 5 × 2/3 do not divide evenly.
        (archive(False, False, (1, 3), (0, 1)), Fraction(5, 3), "1.67"),
        (archive(False, False, (0, 1), (2, 3)), Fraction(10, 3), "3.33"),
        (archive(False, False, (1, 3), (2, 3)), Fraction(5), "5.00"),
        # 5 × 21/40 = 2.625: half a cent, rounds up.
        (archive(False, False, (21, 40), (0, 1)), Fraction(21, 8), "2.63"),
        (archive(False, False, (7, 8), (0, 1)), Fraction(35, 8), "4.38"),
    ],
)
def test_archive_items_score(arch, expected, shown):
    result = score(replace(FULL, archive=arch))

    assert result.archive == expected
    assert result_to_json(result)["parts"]["archive"] == shown


# ---------------------------------------------------------------- result


@pytest.mark.parametrize(
    ("solved", "total", "signed", "expected", "shown"),
    [
        (1, 1, True, Fraction(50), "50.00"),
        (0, 4, True, Fraction(25), "25.00"),
        (4, 4, False, Fraction(25), "25.00"),
        (0, 1, False, Fraction(0), "0.00"),
        (1, 3, False, Fraction(25, 3), "8.33"),
        (2, 3, False, Fraction(50, 3), "16.67"),
        (1, 8, False, Fraction(25, 8), "3.13"),
        # 25 × 107/1000 = 2.675, the value binary floats round down to 2.67.
        (107, 1000, False, Fraction(107, 40), "2.68"),
        (3, 4, True, Fraction(175, 4), "43.75"),
    ],
)
def test_result_problems_and_satisfaction_score(solved, total, signed, expected, shown):
    sheet = replace(FULL, problems=Problems(solved=solved, total=total), satisfaction_signed=signed)
    result = score(sheet)

    assert result.result == expected
    assert result_to_json(result)["parts"]["result"] == shown


# ---------------------------------------------------------------- bonus


@pytest.mark.parametrize(
    ("praise", "expected"),
    [
        (PraiseLevel.NONE, 0),
        (PraiseLevel.CITY_DEPUTY, 2),
        (PraiseLevel.CITY_CHIEF, 5),
        (PraiseLevel.PROVINCIAL, 10),
        (PraiseLevel.NATIONAL, 15),
    ],
)
def test_bonus_praise_scores_by_level(praise, expected):
    assert score(replace(FULL, bonus=Bonus(praise=praise))).bonus == expected


@pytest.mark.parametrize(
    ("flag", "expected"),
    [("follow_up_visit", 2), ("source_governance", 5), ("inference", 5)],
)
def test_bonus_flag_scores(flag, expected):
    assert score(replace(FULL, bonus=Bonus(**{flag: True}))).bonus == expected


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ((), 0),
        ((MediaLevel.CITY,), 3),
        ((MediaLevel.PROVINCIAL,), 4),
        ((MediaLevel.NATIONAL,), 5),
        # Accumulated, then capped at 5.
        ((MediaLevel.CITY, MediaLevel.CITY), 5),
        ((MediaLevel.CITY, MediaLevel.PROVINCIAL), 5),
        ((MediaLevel.NATIONAL, MediaLevel.NATIONAL, MediaLevel.CITY), 5),
    ],
)
def test_bonus_media_sums_capped_at_5(media, expected):
    result = score(replace(FULL, bonus=Bonus(media=media)))

    assert result.bonus == expected
    assert item(result, "bonus.media").max_points == 5


def test_bonus_all_items_add_up_with_no_upper_cap_on_total():
    bonus = Bonus(
        praise=PraiseLevel.NATIONAL,
        follow_up_visit=True,
        source_governance=True,
        inference=True,
        media=(MediaLevel.NATIONAL,),
    )
    result = score(replace(FULL, bonus=bonus))

    assert (result.bonus, result.total) == (32, 132)


# ---------------------------------------------------------------- deductions, floor, fake


@pytest.mark.parametrize(
    ("deductions", "expected_deduction", "expected_total"),
    [
        (Deductions(penalty_missing=True), 5, 95),
        (Deductions(deadline_missed=True), 5, 95),
        (Deductions(repeat_complaint=True), 5, 95),
        (Deductions(penalty_missing=True, deadline_missed=True, repeat_complaint=True), 15, 85),
    ],
)
def test_deductions_5_each(deductions, expected_deduction, expected_total):
    result = score(replace(FULL, deductions=deductions))

    assert (result.deduction, result.total) == (expected_deduction, expected_total)


ALL_DEDUCTIONS = Deductions(penalty_missing=True, deadline_missed=True, repeat_complaint=True)


@pytest.mark.parametrize(
    ("sheet", "expected_base", "expected_total"),
    [
        (replace(EMPTY, deductions=ALL_DEDUCTIONS), 0, 0),
        # base 3 + bonus 2 − 15 = −10 → 0
        (
            replace(
                EMPTY,
                functional=(functional(P, False),),
                bonus=Bonus(follow_up_visit=True),
                deductions=ALL_DEDUCTIONS,
            ),
            3,
            0,
        ),
        # base 15 − 15 = 0 exactly; base 16 − 15 = 1
        (replace(EMPTY, territorial=(territorial(),), plan_reviewed=True, deductions=ALL_DEDUCTIONS), 15, 0),
        (
            replace(
                EMPTY,
                territorial=(territorial(),),
                plan_reviewed=True,
                archive=archive(False, False, (1, 5), (0, 1)),
                deductions=ALL_DEDUCTIONS,
            ),
            16,
            1,
        ),
    ],
)
def test_total_floored_at_0(sheet, expected_base, expected_total):
    result = score(sheet)

    assert (result.base, result.deduction, result.total) == (expected_base, 15, expected_total)


def test_total_fake_is_0_with_parts_still_reported():
    result = score(replace(EXAMPLE, fake=True))

    assert result.fake is True
    assert result.total == 0
    assert result_to_json(result) == {
        "case": "D2LN202107160012",
        "locality": "千山风景区",
        "total": "0.00",
        "fake": True,
        "parts": {
            "territorial": "8.00",
            "functional": "2.00",
            "rectification": "20.00",
            "archive": "11.50",
            "result": "43.75",
            "bonus": "12.00",
            "deduction": "5.00",
        },
    }


# ---------------------------------------------------------------- breakdown


@pytest.mark.parametrize(
    ("key", "part", "basis", "points", "max_points"),
    [
        ("territorial[0].case_leader", ScorePart.TERRITORIAL, "主要领导", 3, 3),
        ("territorial[0].lead_unit_head", ScorePart.TERRITORIAL, "分管领导", 2, 3),
        ("territorial[0].handler", ScorePart.TERRITORIAL, "是", 3, 3),
        ("functional[0].case_leader", ScorePart.FUNCTIONAL, "无", 0, 3),
        ("functional[0].handler", ScorePart.FUNCTIONAL, "是", 2, 2),
        ("plan.department", ScorePart.RECTIFICATION, "是", 2, 2),
        ("plan.funding", ScorePart.RECTIFICATION, "否", 0, 2),
        ("plan_reviewed", ScorePart.RECTIFICATION, "是", 6, 6),
        ("plan_implemented", ScorePart.RECTIFICATION, "是", 8, 8),
        ("archive.catalogue", ScorePart.ARCHIVE, "是", 2, 2),
        ("archive.unit_materials", ScorePart.ARCHIVE, "1/2", Fraction(5, 2), 5),
        ("archive.site_records", ScorePart.ARCHIVE, "2/2", 5, 5),
        ("problems", ScorePart.RESULT, "3/4", Fraction(75, 4), 25),
        ("satisfaction_signed", ScorePart.RESULT, "是", 25, 25),
        ("bonus.praise", ScorePart.BONUS, "市级正职", 5, 15),
        ("bonus.follow_up_visit", ScorePart.BONUS, "是", 2, 2),
        ("bonus.inference", ScorePart.BONUS, "否", 0, 5),
        ("bonus.media", ScorePart.BONUS, "市级、省级", 5, 5),
        ("deductions.penalty_missing", ScorePart.DEDUCTION, "否", 0, 5),
        ("deductions.deadline_missed", ScorePart.DEDUCTION, "是", 5, 5),
    ],
)
def test_breakdown_item_states_basis_and_points(key, part, basis, points, max_points):
    found = item(score(EXAMPLE), key)

    assert (found.part, found.basis) == (part, basis)
    assert (found.points, found.max_points, found.subjects) == (points, max_points, 1)


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("territorial[0].case_leader", "包案领导：主要领导3分、分管领导2分、无0分"),
        ("territorial[0].lead_unit_head", "牵头单位负责人：主要领导3分、分管领导2分、无0分"),
        ("territorial[0].handler", "具体负责人：牵头单位有具体负责推进的人员3分，否则0分"),
        ("functional[0].case_leader", "被信访单位（企业）包案领导：主要领导3分、分管领导2分、无0分"),
        ("functional[0].handler", "具体负责人：被信访单位（企业）有案件具体承办人2分，否则0分"),
        ("plan.funding", "有方案或措施：资金落实2分"),
        ("plan_reviewed", "审核方案：相关监管部门审核把关并签字盖章6分，否则0分"),
        ("plan_implemented", "落实方案或措施：按时间节点完成或全部完成整改8分，否则0分"),
        ("archive.unit_materials", "办案单位材料：5分×材料齐全的单位数÷单位数"),
        ("problems", "问题解决：25分×已解决问题数÷问题数"),
        ("satisfaction_signed", "群众满意：信访人或相关群众表示满意并签字25分，否则0分"),
        ("bonus.praise", "上级评价（取最高一级）：市级副职2分、市级正职5分、省部级10分、国家级15分"),
        ("bonus.media", "典型案例报道：每次国家级5分、省级4分、市级3分，累计，最高5分"),
        ("deductions.repeat_complaint", "有重复访：同一问题再次投诉或上级再次转办扣5分"),
    ],
)
def test_breakdown_item_quotes_rule_words(key, rule):
    assert item(score(EXAMPLE), key).rule == rule


def test_breakdown_lists_every_item_in_rule_order():
    keys = [i.key for i in score(EXAMPLE).breakdown]

    assert keys == [
        "territorial[0].case_leader",
        "territorial[0].lead_unit_head",
        "territorial[0].handler",
        "functional[0].case_leader",
        "functional[0].handler",
        "plan.department",
        "plan.measures",
        "plan.milestones",
        "plan.funding",
        "plan_reviewed",
        "plan_implemented",
        "archive.catalogue",
        "archive.assignment_note",
        "archive.unit_materials",
        "archive.site_records",
        "problems",
        "satisfaction_signed",
        "bonus.praise",
        "bonus.follow_up_visit",
        "bonus.source_governance",
        "bonus.inference",
        "bonus.media",
        "deductions.penalty_missing",
        "deductions.deadline_missed",
        "deductions.repeat_complaint",
    ]


@pytest.mark.parametrize(
    "sheet",
    [
        FULL,
        EMPTY,
        EXAMPLE,
        replace(
            EXAMPLE, territorial=(territorial(P, D, True), territorial(N, D, False), territorial(D, N, True))
        ),
        replace(EXAMPLE, functional=(functional(P, False), functional(D, True), functional(N, True))),
    ],
)
def test_breakdown_contributions_sum_to_each_part(sheet):
    result = score(sheet)

    for part in ScorePart:
        contributions = [i.contribution for i in result.breakdown if i.part == part]
        assert sum(contributions, Fraction(0)) == result.part(part)


def test_breakdown_max_points_sum_to_100_base():
    items = score(FULL).breakdown
    base_parts = set(ScorePart) - {ScorePart.BONUS, ScorePart.DEDUCTION}

    assert sum(i.max_points for i in items if i.part in base_parts) == 100


def test_score_accepts_plain_string_levels():
    sheet = replace(
        EXAMPLE,
        territorial=(TerritorialSubject(case_leader="principal", lead_unit_head="deputy", handler=True),),
        bonus=Bonus(praise="city_chief", follow_up_visit=True, media=["city", "provincial"]),
    )

    assert score(sheet).total == Fraction("92.25")


# ---------------------------------------------------------------- sheet invariants


@pytest.mark.parametrize(
    "build",
    [
        lambda: UnitCompletion(complete=4, units=3),
        lambda: UnitCompletion(complete=-1, units=3),
        lambda: UnitCompletion(complete=0, units=0),
        lambda: Problems(solved=5, total=4),
        lambda: Problems(solved=0, total=0),
        lambda: replace(FULL, territorial=()),
        lambda: replace(FULL, functional=[]),
    ],
)
def test_sheet_out_of_range_raises_value_error(build):
    with pytest.raises(ValueError):
        build()


def test_sheet_lists_stored_as_tuples_and_compare_equal():
    as_list = replace(FULL, territorial=[territorial()], bonus=Bonus(media=[MediaLevel.CITY]))

    assert as_list == replace(FULL, bonus=Bonus(media=(MediaLevel.CITY,)))
    assert isinstance(as_list.territorial, tuple)


# ---------------------------------------------------------------- display rounding


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0.00"),
        (100, "100.00"),
        (Fraction(25, 8), "3.13"),
        (Fraction(5, 3), "1.67"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(2675, 1000), "2.68"),
        (Decimal("2.675"), "2.68"),
        (Decimal("1.005"), "1.01"),
        (Fraction(1, 200), "0.01"),
        (Fraction(1, 201), "0.00"),
        (Fraction(4999, 1000), "5.00"),
        (Fraction(9999, 100), "99.99"),
        (Fraction(-25, 8), "-3.13"),
        (Fraction(-1, 1000), "0.00"),
    ],
)
def test_fmt2_rounds_half_up_to_two_places(value, expected):
    assert fmt2(value) == expected


def test_fmt2_float_rounding_would_be_wrong():
    # Why fmt2 refuses floats: the binary float nearest 2.675 lies below it.
    assert f"{2.675:.2f}" == "2.67"
    assert fmt2(Decimal("2.675")) == "2.68"


@pytest.mark.parametrize("value", [2.675, True, "2.675", None])
def test_fmt2_inexact_or_non_number_raises_type_error(value):
    with pytest.raises(TypeError):
        fmt2(value)


def test_every_rule_has_a_chinese_item_name_and_subject_items_name_part_and_subject():
    from scoring.rules import ITEM_NAMES, RULES, item_label

    assert set(ITEM_NAMES) == set(RULES)
    assert item_label("territorial[0].case_leader") == "属地责任·主体1·包案领导"
    assert item_label("functional[2].handler") == "属事责任·主体3·案件具体承办人"
    assert item_label("plan.funding") == "资金落实"
    assert item_label("bonus.praise") == "上级评价"
    assert [i.label for i in score(EXAMPLE).breakdown][:3] == [
        "属地责任·主体1·包案领导",
        "属地责任·主体1·牵头单位负责人",
        "属地责任·主体1·具体负责人",
    ]
