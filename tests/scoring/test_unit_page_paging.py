"""The unit page's case scores: paged and sorted by the database, constant queries; ranking grades in SQL."""

from datetime import date

import pytest

from rectification.domain.queries import graded_tasks
from rectification.models import AnnualTarget, RectificationTask
from scoring.domain.queries import task_grade_counts
from scoring.enums import SheetStatus, SheetVersion
from scoring.rules import fmt2
from tests.factories import MeasureFactory, MilestoneFactory, TaskFactory

from .helpers import case_in, make_sheet


def _scores(unit, n):
    """n cases of 2025 in ``unit``; case i solved i % 4 of 3 problems; every third reviewed."""
    out = []
    for i in range(n):
        case = case_in(unit, 2025, receipt_no=f"S{i:03d}")
        own = make_sheet(case, unit, problems={"solved": i % 4, "total": 3})
        review = None
        if i % 3 == 0:
            review = make_sheet(case, unit, version=SheetVersion.REVIEW, problems={"solved": 3, "total": 3})
        out.append((case.receipt_no, own, review))
    return out


@pytest.mark.django_db
def test_unit_page_pages_the_case_scores_fifty_at_a_time(login, users, unit_a):
    _scores(unit_a, 53)
    client = login(users["office"])
    first = client.get(f"/scoring/units/{unit_a.pk}/2025/")
    assert [c.receipt_no for c, *_ in first.context["cases"]] == [f"S{i:03d}" for i in range(50)]
    assert first.context["page"].paginator.count == 53
    second = client.get(f"/scoring/units/{unit_a.pk}/2025/?page=2")
    assert [c.receipt_no for c, *_ in second.context["cases"]] == ["S050", "S051", "S052"]
    assert "第 2 / 2 页，共 53 条" in second.content.decode()


@pytest.mark.django_db
def test_unit_page_sorts_by_each_column_and_ignores_unknown_sorts(login, users, unit_a):
    rows = _scores(unit_a, 7)
    client = login(users["office"])

    def order(sort):
        response = client.get(f"/scoring/units/{unit_a.pk}/2025/?sort={sort}")
        assert response.status_code == 200
        return [c.receipt_no for c, *_ in response.context["cases"]]

    def counted(row):
        _, own, review = row
        return (review or own).total

    by_receipt = [r[0] for r in rows]
    assert order("receipt_no") == by_receipt and order("-receipt_no") == by_receipt[::-1]
    assert order("nonsense") == by_receipt and order("-") == by_receipt
    assert order("-total") == [r[0] for r in sorted(rows, key=lambda r: (-counted(r), r[0]))]
    assert order("self") == [r[0] for r in sorted(rows, key=lambda r: (r[1].total, r[0]))]
    reviewed = sorted((r for r in rows if r[2]), key=lambda r: (r[2].total, r[0]))
    unreviewed = [r[0] for r in rows if not r[2]]
    assert order("review") == [r[0] for r in reviewed] + unreviewed  # no review: last
    # The shown figures are the exact stored scores.
    response = client.get(f"/scoring/units/{unit_a.pk}/2025/?sort=receipt_no")
    _, self_total, review_total, total = response.context["cases"][0]
    assert (self_total, review_total, total) == (
        fmt2(rows[0][1].total),
        fmt2(rows[0][2].total),
        fmt2(rows[0][2].total),
    )


@pytest.mark.django_db
def test_unit_page_shows_a_draft_as_not_counted(login, users, unit_a):
    make_sheet(case_in(unit_a, 2025, receipt_no="D1"), unit_a, status=SheetStatus.DRAFT)
    response = login(users["office"]).get(f"/scoring/units/{unit_a.pk}/2025/")
    [(c, _, review_total, total)] = response.context["cases"]
    assert (c.receipt_no, review_total, total) == ("D1", "—", "未提交（不计入）")


@pytest.mark.django_db
def test_unit_page_constant_queries_for_1_and_60_cases(login, users, unit_a, django_assert_num_queries):
    _scores(unit_a, 1)
    client = login(users["office"])
    client.get(f"/scoring/units/{unit_a.pk}/2025/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(f"/scoring/units/{unit_a.pk}/2025/?sort=-total")
    for i in range(60):
        case = case_in(unit_a, 2025, receipt_no=f"M{i:03d}")
        make_sheet(case, unit_a)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(f"/scoring/units/{unit_a.pk}/2025/?sort=-total")
    assert len(response.context["cases"]) == 50


@pytest.mark.django_db
def test_ranking_task_grades_in_sql_equal_the_python_grades(unit_a, unit_b):
    """task_grade_counts (one grouped query) gives what grading each task in Python gives."""
    today = date(2025, 12, 31)
    for i in range(8):
        task = TaskFactory(lead_unit=unit_a if i % 2 else unit_b, deadline=date(2025, 11, 30))
        AnnualTarget.objects.create(task=task, year=2025, target="目标", reached=None if i == 7 else i != 3)
        measure = MeasureFactory(task=task, deadline=date(2025, 10, 1), done=i % 3 == 0)
        if i % 3 == 0:
            measure.done_on = date(2025, 9, 1)
            measure.save()
        MilestoneFactory(measure=measure, due=date(2025, 6, 1), done_on=date(2025, 7, 1) if i == 5 else None)
    expected: dict[int, dict[str, int]] = {}
    for task in graded_tasks(RectificationTask.objects.all(), 2025, today=today):
        if hasattr(task.grade, "grade"):
            grades = expected.setdefault(task.lead_unit_id, {})
            grades[str(task.grade.grade)] = grades.get(str(task.grade.grade), 0) + 1
    got = task_grade_counts(2025, unit_ids=[unit_a.pk, unit_b.pk])
    assert got == expected and sum(sum(g.values()) for g in got.values()) == 7
