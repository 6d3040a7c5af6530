"""The year's results: year filter, per-locality split, self/review choice, ranking with override."""

from datetime import date
from fractions import Fraction

import pytest

from org.permissions import access_of
from scoring.domain.queries import score_year, year_results
from scoring.domain.records import record_event
from scoring.domain.services import assessment_of
from scoring.enums import OverrideKind, SheetStatus, SheetVersion
from tests.factories import UnitFactory

from .helpers import case_in, make_sheet

EXAMPLE_TOTAL = Fraction(9225, 100)


@pytest.mark.django_db
def test_year_results_leave_out_cases_whose_deadline_is_not_in_the_year(users, unit_a):
    inside = case_in(unit_a, 2025, deadline=date(2025, 12, 31))
    make_sheet(inside, unit_a)
    before = case_in(unit_a, 2024, deadline=date(2024, 12, 31))
    make_sheet(before, unit_a)
    after = case_in(unit_a, 2026, deadline=date(2026, 1, 1))
    # A sheet filed under 2025 for a case whose deadline is in 2026 is still left out.
    make_sheet(after, unit_a, year=2025)

    [result] = year_results(users["office"], 2025, with_cases=True)
    assert [c.receipt_no for c in result.cases] == [inside.receipt_no]
    assert result.count == 1
    assert result.average == EXAMPLE_TOTAL


@pytest.mark.django_db
def test_case_in_two_localities_counts_in_each_separately(users, unit_a, unit_b):
    case = case_in(unit_a, 2025, cooperating_units=[unit_b])
    make_sheet(case, unit_a)  # 92.25
    make_sheet(case, unit_b, fake=True)  # 0
    other = case_in(unit_b, 2025)
    make_sheet(other, unit_b, satisfaction_signed=False)  # 67.25

    results = {r.unit.pk: r for r in year_results(users["office"], 2025)}
    assert results[unit_a.pk].average == EXAMPLE_TOTAL
    assert results[unit_a.pk].count == 1
    assert results[unit_b.pk].average == Fraction(6725, 100) / 2
    assert results[unit_b.pk].count == 2
    assert [results[unit_a.pk].rank, results[unit_b.pk].rank] == [1, 2]


@pytest.mark.django_db
def test_submitted_review_replaces_self_score_and_draft_review_does_not(users, unit_a, unit_b):
    reviewed = case_in(unit_a, 2025)
    make_sheet(reviewed, unit_a)
    make_sheet(reviewed, unit_a, version=SheetVersion.REVIEW, plan_reviewed=False)  # 86.25
    draft = case_in(unit_a, 2025)
    make_sheet(draft, unit_a)
    make_sheet(draft, unit_a, version=SheetVersion.REVIEW, status=SheetStatus.DRAFT, fake=True)

    scores = {c.case_id: c for c in score_year(2025)[unit_a.pk]}
    assert scores[reviewed.pk].self_total == EXAMPLE_TOTAL
    assert scores[reviewed.pk].review_total == Fraction(8625, 100)
    assert scores[reviewed.pk].total == Fraction(8625, 100)
    assert scores[draft.pk].review_total == 0
    assert scores[draft.pk].total == EXAMPLE_TOTAL
    [result] = year_results(users["office"], 2025)
    assert result.average == (Fraction(8625, 100) + EXAMPLE_TOTAL) / 2


@pytest.mark.django_db
def test_overridden_unit_is_last_whatever_its_score_and_ties_share_a_rank(users, unit_a, unit_b):
    best = UnitFactory(name="丙单位")
    tied = UnitFactory(name="丁单位")
    empty = UnitFactory(name="戊单位")
    make_sheet(case_in(best, 2025), best)  # 92.25
    make_sheet(case_in(unit_a, 2025), unit_a, fake=True)  # 0
    make_sheet(case_in(unit_b, 2025), unit_b, plan_reviewed=False)  # 86.25
    make_sheet(case_in(tied, 2025), tied, plan_reviewed=False)  # 86.25
    assessment_of(empty, 2025)
    record_event(
        unit=best,
        year=2025,
        kind=OverrideKind.EXPOSED,
        occurred_on=date(2025, 6, 1),
        description="被央视曝光",
        evidence_url="https://example.invalid/news/1",
        actor=users["office"],
    )

    ranking = [(r.unit.name, r.rank, r.verdict) for r in year_results(users["office"], 2025)]
    assert ranking == [
        ("乙单位", 1, "良好"),
        ("丁单位", 1, "良好"),
        ("甲单位", 3, "不合格"),
        ("丙单位", 4, "不合格"),
        ("戊单位", None, "未评定"),
    ]


@pytest.mark.django_db
def test_unit_user_sees_own_row_with_the_rank_among_all_units(users, unit_a, unit_b):
    make_sheet(case_in(unit_a, 2025), unit_a, fake=True)
    make_sheet(case_in(unit_b, 2025), unit_b)
    [own] = year_results(users["staff"], 2025)
    assert (own.unit, own.rank) == (unit_a, 2)
    assert year_results(users["acceptor"], 2025) == []


@pytest.mark.django_db
def test_year_results_query_count_does_not_grow_with_cases(users, unit_a, unit_b, django_assert_num_queries):
    make_sheet(case_in(unit_a, 2025), unit_a)
    access_of(users["office"])  # the user's roles are read once per request, not per row
    with django_assert_num_queries(6) as one:
        year_results(users["office"], 2025)
    for unit in (unit_a, unit_b):
        for _ in range(15):
            case = case_in(unit, 2025)
            make_sheet(case, unit)
            make_sheet(case, unit, version=SheetVersion.REVIEW, plan_reviewed=False)
    with django_assert_num_queries(len(one.captured_queries)):
        results = year_results(users["office"], 2025)
    assert sum(r.count for r in results) == 31


@pytest.mark.django_db
def test_draft_self_sheets_are_left_out_of_average_and_ranking_and_counted_as_pending(
    login, users, unit_a, unit_b
):
    make_sheet(case_in(unit_a, 2025), unit_a)  # 92.25, submitted
    drafted = case_in(unit_a, 2025)
    make_sheet(drafted, unit_a, status=SheetStatus.DRAFT, fake=True)  # 0, never submitted
    only_drafts = UnitFactory(name="丙单位")
    make_sheet(case_in(only_drafts, 2025), only_drafts, status=SheetStatus.DRAFT)
    make_sheet(case_in(unit_b, 2025), unit_b, plan_reviewed=False)  # 86.25

    results = {r.unit.name: r for r in year_results(users["office"], 2025, with_cases=True)}
    a = results["甲单位"]
    assert (a.average, a.count, a.pending, a.rank) == (EXAMPLE_TOTAL, 1, 1, 1)
    assert [(c.counted, c.total) for c in a.cases if c.case_id == drafted.pk] == [(False, None)]
    assert (results["乙单位"].rank, results["乙单位"].pending) == (2, 0)
    c = results["丙单位"]
    assert (c.average, c.count, c.pending, c.rank) == (None, 0, 1, None)

    client = login(users["office"])
    page = client.get(f"/scoring/units/{unit_a.pk}/2025/").content.decode()
    assert 'data-testid="unit-average">92.25<' in page
    assert 'data-testid="unit-count">1<' in page
    assert 'data-testid="unit-pending">1<' in page
    assert "未提交（不计入）" in page
    ranking = client.get("/scoring/?year=2025").context["results"]
    assert [(r.unit.name, r.rank, r.count, r.pending) for r in ranking] == [
        ("甲单位", 1, 1, 1),
        ("乙单位", 2, 1, 0),
        ("丙单位", None, 0, 1),
    ]
