"""The whole-table case counts of cases.domain.tallies: on PostgreSQL kept by triggers as delta
rows, elsewhere counted from the rows — either way equal to counting the cases, after every kind
of write (save, bulk insert, queryset update, lead-unit change, delete, link changes, a rolled-back
transaction) and after compaction."""

from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count

from cases.domain import tallies
from cases.enums import CaseState
from cases.models import CaseTally, PetitionCase, PollutionTally, PollutionType
from tests.factories import CaseFactory, InspectionFactory, UnitFactory

from .helpers import bulk_cases


def _counted():
    by_unit_state = {
        (u, s): n
        for u, s, n in PetitionCase.objects.order_by()
        .values_list("lead_unit_id", "state")
        .annotate(n=Count("pk"))
    }
    by_state = Counter()
    for (_, state), n in by_unit_state.items():
        by_state[state] += n
    links = PetitionCase.pollution_types.through.objects.order_by()
    by_type = dict(links.values_list("pollutiontype_id").annotate(n=Count("pk")))
    return by_unit_state, dict(by_state), by_type


def _assert_tallies_equal_counts():
    by_unit_state, by_state, by_type = _counted()
    assert tallies.unit_state_counts(PetitionCase.objects.all()) == by_unit_state
    assert tallies.state_counts(PetitionCase.objects.all()) == by_state
    assert tallies.pollution_counts(None) == by_type


@pytest.mark.django_db(transaction=True)
def test_tallies_follow_every_kind_of_write_and_survive_compaction():
    unit_a, unit_b = UnitFactory(), UnitFactory()
    water, air = PollutionType.objects.get(code="water"), PollutionType.objects.get(code="air")
    inspection = InspectionFactory()
    _assert_tallies_equal_counts()

    one = CaseFactory(inspection=inspection, lead_unit=unit_a)  # save()
    one.pollution_types.set([water])
    bulk_cases(30, inspection=inspection, lead_unit=unit_b, cooperating=unit_a)  # bulk_create
    _assert_tallies_equal_counts()

    PetitionCase.objects.filter(lead_unit=unit_b, pk__lt=one.pk + 10).update(state=CaseState.RECTIFYING)
    one.lead_unit = unit_b  # lead unit changed by save()
    one.state = CaseState.COMPLETED
    one.save()
    PetitionCase.objects.filter(pk=one.pk + 3).update(
        lead_unit=None, state=CaseState.RECEIVED
    )  # no lead unit yet
    PetitionCase.objects.filter(pk=one.pk + 4).update(state=CaseState.RECTIFYING)  # unchanged rows too
    _assert_tallies_equal_counts()

    one.pollution_types.set([air])  # links deleted and added
    PetitionCase.pollution_types.through.objects.filter(pollutiontype=water).delete()
    PetitionCase.objects.filter(pk__in=[one.pk + 5, one.pk + 6]).delete()  # links cascade
    _assert_tallies_equal_counts()

    with pytest.raises(RuntimeError), transaction.atomic():
        CaseFactory(inspection=inspection, lead_unit=unit_a)
        PetitionCase.objects.filter(lead_unit__isnull=False).update(state=CaseState.CLOSED)
        raise RuntimeError("rolled back")
    _assert_tallies_equal_counts()

    if connection.vendor == "postgresql":
        rows_before = CaseTally.objects.count() + PollutionTally.objects.count()
        read, written = tallies.compact_tallies()
        assert read == rows_before
        assert written == CaseTally.objects.count() + PollutionTally.objects.count() < rows_before
        # one row per key, none that sums to nothing
        keys = list(CaseTally.objects.values_list("lead_unit_id", "state"))
        assert len(keys) == len(set(keys)) and not CaseTally.objects.filter(n=0).exists()
    _assert_tallies_equal_counts()

    CaseFactory(inspection=inspection, lead_unit=unit_a, state=CaseState.FILED)  # after compaction
    PetitionCase.objects.filter(lead_unit=unit_b).update(lead_unit=unit_a)
    _assert_tallies_equal_counts()


@pytest.mark.django_db
def test_tallies_are_read_not_counted_on_postgresql(django_assert_num_queries):
    """The office's state chips and dashboard read the tally rows (the whole-table counts come
    from CaseTally and PollutionTally: a tally row that disagrees with the cases shows)."""
    if connection.vendor != "postgresql":
        pytest.skip("the tally triggers exist on PostgreSQL only")
    unit = UnitFactory()
    bulk_cases(3, inspection=InspectionFactory(), lead_unit=unit, cooperating=unit)
    assert tallies.state_counts(PetitionCase.objects.all()) == {CaseState.INVESTIGATING.value: 3}
    CaseTally.objects.create(lead_unit_id=unit.pk, state=CaseState.INVESTIGATING, n=-1)
    assert tallies.state_counts(PetitionCase.objects.all()) == {CaseState.INVESTIGATING.value: 2}
    with django_assert_num_queries(1):
        tallies.unit_state_counts(PetitionCase.objects.all())
