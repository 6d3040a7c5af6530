"""Boundary tests of the case status definitions (cases/domain/queries.py, docs/status-definitions.md):
due today, due tomorrow, finished late, arrived finished — and the list filters that use them."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries import (
    case_ids_for_figures,
    cases_for_figures,
    cases_visible_to,
    due_soon_q,
    finished_case_q,
    finished_late_counts,
    open_case_q,
    overdue_as_of_q,
    overdue_q,
)
from cases.enums import CaseState
from cases.models import CaseTransition, PetitionCase
from tests.factories import CaseFactory

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")

D = date(2026, 11, 30)
SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def ids(q) -> set[int]:
    return set(PetitionCase.objects.filter(q).values_list("pk", flat=True))


def completed_at(case, when: datetime) -> None:
    move = CaseTransition.objects.create(
        case=case, from_state=CaseState.RECTIFYING, to_state=CaseState.COMPLETED
    )
    CaseTransition.objects.filter(pk=move.pk).update(at=when)


@pytest.mark.django_db
def test_overdue_and_due_soon_at_the_deadline_boundaries(unit_a):
    yesterday = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=1))
    today = CaseFactory(lead_unit=unit_a, deadline=D)
    tomorrow = CaseFactory(lead_unit=unit_a, deadline=D + timedelta(days=1))
    day7 = CaseFactory(lead_unit=unit_a, deadline=D + timedelta(days=7))
    CaseFactory(lead_unit=unit_a, deadline=D + timedelta(days=8))
    finished = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=1), state=CaseState.COMPLETED)
    reopened = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=1), state=CaseState.REOPENED)
    assert ids(overdue_q(D)) == {yesterday.pk, reopened.pk}  # due today is not overdue yet
    assert ids(due_soon_q(7, D)) == {today.pk, tomorrow.pk, day7.pk}
    assert finished.pk in ids(finished_case_q()) and reopened.pk in ids(open_case_q())
    assert ids(overdue_q(D + timedelta(days=1))) == {yesterday.pk, reopened.pk, today.pk}


@pytest.mark.django_db
def test_finished_late_is_overdue_only_until_its_completion_day(unit_a):
    case = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=10), state=CaseState.ACCEPTED)
    # Completed at 23:30 Shanghai on D-3 (15:30 UTC): finished by the end of D-3, not of D-4.
    completed_at(case, datetime(2026, 11, 27, 23, 30, tzinfo=SHANGHAI))
    assert case.pk not in ids(overdue_q(D))  # finished now
    assert case.pk not in ids(overdue_as_of_q(D - timedelta(days=10)))  # deadline day itself
    assert case.pk in ids(overdue_as_of_q(D - timedelta(days=9)))
    assert case.pk in ids(overdue_as_of_q(D - timedelta(days=4)))
    assert case.pk not in ids(overdue_as_of_q(D - timedelta(days=3)))
    # The counting form used by the dashboard's trend gives the same answers.
    days = [D - timedelta(days=n) for n in (10, 9, 4, 3, 0)]
    open_part = [PetitionCase.objects.filter(open_case_q(), deadline__lt=day).count() for day in days]
    counted = finished_late_counts(PetitionCase.objects.all(), days)
    assert [a + b for a, b in zip(open_part, counted, strict=True)] == [
        len(ids(overdue_as_of_q(d))) for d in days
    ]
    assert counted == [0, 1, 1, 0, 0]


@pytest.mark.django_db
def test_completion_just_after_midnight_shanghai_counts_for_the_next_day(unit_a):
    case = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=10), state=CaseState.COMPLETED)
    completed_at(case, datetime(2026, 11, 28, 0, 30, tzinfo=SHANGHAI))  # 16:30 UTC on the 27th
    assert case.pk in ids(overdue_as_of_q(date(2026, 11, 27)))
    assert case.pk not in ids(overdue_as_of_q(date(2026, 11, 28)))


@pytest.mark.django_db
def test_case_that_arrived_finished_is_never_overdue_and_as_of_today_equals_overdue(unit_a):
    seeded = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=30), state=CaseState.CLOSED)
    CaseTransition.objects.create(case=seeded, from_state=CaseState.RECEIVED, to_state=CaseState.CLOSED)
    open_late = CaseFactory(lead_unit=unit_a, deadline=D - timedelta(days=30))
    assert ids(overdue_as_of_q(D - timedelta(days=5))) == {open_late.pk}
    assert ids(overdue_as_of_q(D)) == ids(overdue_q(D)) == {open_late.pk}


@pytest.mark.django_db
def test_case_list_filters_use_the_definitions(users, unit_a, login):
    today = timezone.localdate()
    CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=1))
    CaseFactory(lead_unit=unit_a, deadline=today)
    CaseFactory(lead_unit=unit_a, deadline=today + timedelta(days=7))
    late = CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=5), state=CaseState.COMPLETED)
    completed_at(late, timezone.now() - timedelta(days=2))
    client = login(users["office"])

    def total(**params):
        return client.get(reverse("cases:list"), params).context["total"]

    assert (total(overdue="true"), total(overdue="false")) == (1, 3)
    assert total(due_soon="true") == 2
    assert (total(finished="true"), total(finished="false")) == (1, 3)
    assert total(overdue_on=(today - timedelta(days=3)).isoformat()) == 1  # finished late: overdue then
    assert total(overdue_on=(today - timedelta(days=1)).isoformat()) == 0  # finished by then
    assert total(lead_unit=unit_a.pk) == 4


def test_figures_indexes_are_the_status_definitions():
    """The partial indexes the figures read (cases/models.py) have exactly the definitions'
    conditions: PostgreSQL uses a partial index only for a query whose condition implies it."""
    indexes = {index.name: index for index in PetitionCase._meta.indexes}
    assert indexes["cases_case_open_deadline_idx"].condition == open_case_q()
    assert indexes["cases_case_open_unit_idx"].condition == open_case_q()
    assert indexes["cases_case_finished_idx"].condition == finished_case_q()


@pytest.mark.django_db
def test_figure_scopes_are_the_cases_a_user_may_see(users, unit_a, unit_b):
    """cases_for_figures (indexed IN lists) and case_ids_for_figures (a UNION of index lookups)
    are the rows of cases_visible_to: lead unit, cooperating unit, neither; and the office's all."""
    lead = CaseFactory(lead_unit=unit_a)
    cooperating = CaseFactory(lead_unit=unit_b)
    cooperating.cooperating_units.add(unit_a)
    CaseFactory(lead_unit=unit_b)  # another unit's: not seen by staff of unit A
    for who in ("staff", "staff_b", "office"):
        user = users[who]
        visible = set(cases_visible_to(user).values_list("pk", flat=True))
        assert set(cases_for_figures(user).values_list("pk", flat=True)) == visible
        subquery = case_ids_for_figures(user)
        by_ids = (
            PetitionCase.objects.all() if subquery is None else PetitionCase.objects.filter(pk__in=subquery)
        )
        assert set(by_ids.values_list("pk", flat=True)) == visible
    assert set(cases_for_figures(users["staff"]).values_list("pk", flat=True)) == {lead.pk, cooperating.pk}
