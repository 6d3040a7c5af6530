"""The exact score stored on each sheet: written by every domain write, equal to ``rules.score`` of
the stored data, read by the ranking (which never re-scores), filled for old rows by the migration."""

import importlib
from fractions import Fraction

import pytest
from django.apps import apps

from org.permissions import access_of
from scoring.domain import services
from scoring.domain.queries import score_year, sheet_result, year_results
from scoring.enums import ScorePart, SheetStatus, SheetVersion
from scoring.models import ScoringSheet

from .helpers import EXAMPLE, case_in, make_sheet, sheet_data

EXAMPLE_TOTAL = Fraction(9225, 100)
# Three territorial subjects worth 8, 2 and 3 points: the part is their average 13/3, which no
# decimal holds, so the stored total must be the fraction 1063/12 (= 92.25 − 8 + 13/3).
THREE_SUBJECTS = [
    {"case_leader": "principal", "lead_unit_head": "deputy", "handler": True},
    {"case_leader": "deputy", "lead_unit_head": "none", "handler": False},
    {"case_leader": "none", "lead_unit_head": "none", "handler": True},
]


def assert_stored_equals_score(sheet: ScoringSheet) -> Fraction:
    """The stored total and parts equal the score of the stored data; returns the total."""
    sheet = ScoringSheet.objects.get(pk=sheet.pk)
    result = sheet_result(sheet.data)
    assert (sheet.total_num, sheet.total_den) == (result.total.numerator, result.total.denominator)
    assert sheet.part_scores == {part.value: result.part(part) for part in ScorePart}
    assert sheet.scored_at is not None
    return sheet.total


@pytest.mark.django_db
def test_stored_score_after_start_sheet_prefill(users, unit_a):
    case = case_in(unit_a, 2025, case_leader="王镇长", case_leader_level="principal", handler="李")
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    total = assert_stored_equals_score(sheet)
    assert total == sheet_result(sheet.data).total
    assert sheet.parts["territorial"] == "6"  # principal 3 + handler 3, lead-unit head still "none"


@pytest.mark.django_db
def test_stored_score_after_edit_and_submit(users, unit_a):
    case = case_in(unit_a, 2025)
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    before = ScoringSheet.objects.get(pk=sheet.pk).scored_at
    data = sheet_data(case, unit_a, territorial=THREE_SUBJECTS)
    reasons = {path: "按档案核实" for path in sheet.prefilled}
    services.save_sheet(sheet, actor=users["staff"], data=data, reasons=reasons)
    assert assert_stored_equals_score(sheet) == Fraction(1063, 12)
    stored = ScoringSheet.objects.get(pk=sheet.pk)
    assert (stored.total_num, stored.total_den, stored.parts["territorial"]) == (1063, 12, "13/3")
    assert stored.scored_at > before
    services.save_sheet(
        stored, actor=users["staff"], data={**data, "fake": True}, reasons=reasons, submit=True
    )
    assert assert_stored_equals_score(sheet) == 0
    assert ScoringSheet.objects.get(pk=sheet.pk).parts["territorial"] == "13/3"  # fake keeps the parts


@pytest.mark.django_db
def test_refused_save_leaves_the_stored_score(users, unit_a):
    case = case_in(unit_a, 2025)
    sheet = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    before = ScoringSheet.objects.get(pk=sheet.pk)
    bad = sheet_data(case, unit_a, problems={"solved": 5, "total": 4})
    with pytest.raises(services.SheetInvalid):
        services.save_sheet(sheet, actor=users["staff"], data=bad, reasons={})
    after = ScoringSheet.objects.get(pk=sheet.pk)
    assert (after.total_num, after.total_den, after.parts) == (
        before.total_num,
        before.total_den,
        before.parts,
    )


@pytest.mark.django_db
def test_stored_score_after_review(users, unit_a):
    own = make_sheet(case_in(unit_a, 2025), unit_a)
    review = services.start_review(own, actor=users["reviewer"])
    assert assert_stored_equals_score(review) == EXAMPLE_TOTAL
    data = {**review.data, "plan_reviewed": False}
    services.save_sheet(
        review, actor=users["reviewer"], data=data, reasons={"plan_reviewed": "未盖章"}, submit=True
    )
    assert assert_stored_equals_score(review) == Fraction(8625, 100)
    assert assert_stored_equals_score(own) == EXAMPLE_TOTAL


@pytest.mark.django_db
def test_stored_score_after_import_create_and_replace(users, unit_a):
    case = case_in(unit_a, 2025)
    assert services.import_sheets([sheet_data(case, unit_a)], actor=users["staff"]) == 1
    sheet = ScoringSheet.objects.get()
    assert assert_stored_equals_score(sheet) == EXAMPLE_TOTAL
    replaced = sheet_data(case, unit_a, territorial=THREE_SUBJECTS, satisfaction_signed=False)
    assert services.import_sheets([replaced], actor=users["staff"]) == 1
    assert assert_stored_equals_score(sheet) == Fraction(1063, 12) - 25


@pytest.mark.django_db
def test_ranking_reads_the_stored_total_not_the_data(users, unit_a):
    sheet = make_sheet(case_in(unit_a, 2025), unit_a)
    # Only the stored columns changed: a ranking that re-scored the data would still say 92.25.
    ScoringSheet.objects.filter(pk=sheet.pk).update(total_num=1, total_den=3)
    [result] = year_results(users["office"], 2025)
    assert result.average == Fraction(1, 3)


@pytest.mark.django_db
def test_rescore_sheets_restores_stored_scores_of_the_year(users, unit_a):
    stale = make_sheet(case_in(unit_a, 2025), unit_a)
    other_year = make_sheet(case_in(unit_a, 2024), unit_a)
    ScoringSheet.objects.filter(pk__in=[stale.pk, other_year.pk]).update(total_num=0, total_den=1, parts={})
    with pytest.raises(services.DomainError, match="重新计分"):
        services.rescore_sheets(2025, actor=users["staff"])
    assert services.rescore_sheets(2025, actor=users["office"], batch_size=1) == 1
    assert assert_stored_equals_score(stale) == EXAMPLE_TOTAL
    assert ScoringSheet.objects.get(pk=other_year.pk).total == 0  # another year is left alone


@pytest.mark.django_db
def test_migration_fill_scores_every_row_and_its_history(unit_a):
    sheet = make_sheet(case_in(unit_a, 2025), unit_a, territorial=THREE_SUBJECTS)
    ScoringSheet.objects.filter(pk=sheet.pk).update(total_num=0, total_den=1, parts={})
    sheet.history.update(total_num=0, total_den=1, parts={})
    migration = importlib.import_module("scoring.migrations.0002_stored_score")
    migration.fill_scores(apps, None)
    assert assert_stored_equals_score(sheet) == Fraction(1063, 12)
    assert {(h.total_num, h.total_den) for h in sheet.history.all()} == {(1063, 12)}


@pytest.mark.django_db
def test_stamp_score_refuses_data_that_does_not_parse(unit_a):
    sheet = ScoringSheet(data={**EXAMPLE, "fake": "no"})
    with pytest.raises(ValueError, match="fake"):
        services.stamp_score(sheet)


@pytest.mark.django_db
def test_score_year_totals_equal_scoring_each_sheet(users, unit_a, unit_b):
    sheets = []
    for index, unit in enumerate([unit_a, unit_b, unit_a]):
        case = case_in(unit, 2025)
        sheets.append(make_sheet(case, unit, problems={"solved": index, "total": 3}))
        sheets.append(
            make_sheet(case, unit, version=SheetVersion.REVIEW, territorial=THREE_SUBJECTS, fake=index == 2)
        )
    expected = {s.pk: sheet_result(s.data).total for s in sheets}
    got = {}
    for scores in score_year(2025).values():
        for c in scores:
            got[c.self_id], got[c.review_id] = c.self_total, c.review_total
    assert got == expected


@pytest.mark.django_db
def test_ranking_and_unit_pages_query_count_same_for_one_and_many_cases(
    login, users, unit_a, unit_b, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(users["office"])
    make_sheet(case_in(unit_a, 2025), unit_a)
    access_of(users["office"])
    # Warm the session and create the unit's assessment row, which the first visit does.
    client.get("/scoring/?year=2025")
    client.get(f"/scoring/units/{unit_a.pk}/2025/")
    with django_assert_max_num_queries(20) as one_index:
        client.get("/scoring/?year=2025")
    # the unit page also lists the nine 问责 circumstances, the events, talks and referrals (~18 more)
    with django_assert_max_num_queries(50) as one_unit:
        client.get(f"/scoring/units/{unit_a.pk}/2025/")
    for unit in (unit_a, unit_b):
        for _ in range(12):
            case = case_in(unit, 2025)
            make_sheet(case, unit)
            make_sheet(case, unit, version=SheetVersion.REVIEW, status=SheetStatus.SUBMITTED)
    with django_assert_num_queries(len(one_index.captured_queries)):
        response = client.get("/scoring/?year=2025")
    assert {r.unit.pk: r.count for r in response.context["results"]} == {unit_a.pk: 13, unit_b.pk: 12}
    with django_assert_num_queries(len(one_unit.captured_queries)):
        response = client.get(f"/scoring/units/{unit_a.pk}/2025/")
    assert len(response.context["cases"]) == 13


@pytest.mark.django_db
def test_ranking_average_from_database_sums_equals_mean_of_counted_case_scores(users, unit_a):
    for index in range(7):
        case = case_in(unit_a, 2025)
        make_sheet(case, unit_a, problems={"solved": index % 4, "total": 3 + index % 3})
        if index % 2:  # a submitted review counts instead of the self-assessment
            make_sheet(case, unit_a, version=SheetVersion.REVIEW, territorial=THREE_SUBJECTS)
        elif index % 3 == 0:  # a draft review does not count
            make_sheet(case, unit_a, version=SheetVersion.REVIEW, status=SheetStatus.DRAFT, fake=True)
    [result] = year_results(users["office"], 2025, with_cases=True)
    expected = sum((c.total for c in result.cases), Fraction(0)) / 7
    assert (result.count, result.reviewed) == (7, 3)
    assert result.average == expected == Fraction(7037, 84)
    assert set(result.sums) == {2, 6, 12}  # three denominators, each summed exactly
