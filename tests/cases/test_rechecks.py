"""Re-check sampling: 10 % rounded up, without replacement per cycle, seeded, recorded; rebounds."""

from datetime import date

import pytest
from django.core.management import call_command

from cases.domain.rechecks import draw_rechecks, record_visit, sample_size
from cases.enums import CaseState, RecheckResult
from cases.models import CaseTransition, ReboundEntry, RecheckDraw, RecheckVisit
from org.enums import InspectionLevel
from tests.factories import CaseFactory, InspectionFactory


@pytest.fixture
def pool(db, unit_a):
    c1 = InspectionFactory(code="C1", round=1, level=InspectionLevel.CENTRAL)
    lb = InspectionFactory(code="C1-LB", round=1, level=InspectionLevel.CENTRAL, is_look_back=True, parent=c1)
    c2 = InspectionFactory(code="C2", round=2, level=InspectionLevel.CENTRAL)
    cases = [CaseFactory(inspection=c1, lead_unit=unit_a, state=CaseState.FILED) for _ in range(5)]
    cases += [CaseFactory(inspection=lb, lead_unit=unit_a, state=CaseState.CLOSED) for _ in range(18)]
    CaseFactory(inspection=c2, lead_unit=unit_a, state=CaseState.CLOSED)  # not round 1
    CaseFactory(inspection=c1, lead_unit=unit_a, state=CaseState.REOPENED)  # not closed
    return cases


@pytest.mark.parametrize("n,expected", [(0, 0), (1, 1), (10, 1), (11, 2), (23, 3), (30, 3)])
def test_sample_size_is_ten_percent_rounded_up(n, expected):
    assert sample_size(n) == expected


def test_draw_takes_three_of_the_23_closed_round1_cases(pool):
    draw = draw_rechecks(date(2021, 8, 1), seed=7)
    ids = {c.pk for c in pool}
    picked = list(draw.visits.values_list("case_id", flat=True))
    assert (draw.population_size, draw.sample_size, draw.seed) == (23, 3, 7)
    assert len(set(picked)) == 3 and set(picked) <= ids


def test_draw_same_month_twice_returns_recorded_draw(pool):
    first = draw_rechecks(date(2021, 8, 1), seed=7)
    again = draw_rechecks(date(2021, 8, 15), seed=99)
    assert again.pk == first.pk and again.seed == 7 and RecheckVisit.objects.count() == 3


def test_draw_is_reproducible_from_its_seed(pool):
    first = list(draw_rechecks(date(2021, 8, 1), seed=42).visits.values_list("case_id", flat=True))
    RecheckVisit.objects.all().delete()
    RecheckDraw.objects.all().delete()
    assert list(draw_rechecks(date(2021, 8, 1), seed=42).visits.values_list("case_id", flat=True)) == first


def test_every_case_visited_before_any_twice_then_new_cycle(pool):
    seen = []
    for month in range(1, 8):  # 7 months × 3 = 21 of 23
        draw = draw_rechecks(date(2022, month, 1), seed=month)
        seen += list(draw.visits.values_list("case_id", flat=True))
    assert len(seen) == len(set(seen)) == 21
    eighth = draw_rechecks(date(2022, 8, 1), seed=8)
    visits = list(eighth.visits.order_by("order"))
    leftover = {c.pk for c in pool} - set(seen)
    assert {v.case_id for v in visits if v.cycle == 1} == leftover
    assert [v.cycle for v in visits].count(2) == 1 and visits[-1].case_id not in leftover


def test_draw_command_prints_the_sample(pool, capsys):
    call_command("draw_rechecks", "--month", "2021-08", "--seed", "5")
    out = capsys.readouterr().out
    draw = RecheckDraw.objects.get()
    assert "2021-08 复查回访抽样：可抽 23 件，抽取 3 件，种子 5" in out
    for visit in draw.visits.all():
        assert visit.case.receipt_no in out


def test_draw_command_by_date_draws_that_days_month_once(pool, capsys):
    call_command("draw_rechecks", "--date", "2021-08-01", "--seed", "5")
    call_command("draw_rechecks", "--date", "2021-08-15")
    assert list(RecheckDraw.objects.values_list("month", "seed")) == [(date(2021, 8, 1), 5)]
    assert "2021-08 复查回访抽样" in capsys.readouterr().out


def test_rebounded_visit_reopens_case_and_lists_it(pool, users, client):
    draw = draw_rechecks(date(2021, 8, 1), seed=1)
    visit = draw.visits.first()
    record_visit(
        visit,
        actor=users["office"],
        visited_on=date(2021, 8, 20),
        visitor="王协调",
        result=RecheckResult.REBOUNDED,
        notes="油烟又直排",
    )
    case = visit.case
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED
    transition = CaseTransition.objects.get(case=case)
    assert transition.reason == "复查回访发现反弹：油烟又直排"
    entry = ReboundEntry.objects.get()
    assert (entry.case, entry.visit, entry.found_on) == (case, visit, date(2021, 8, 20))
    client.force_login(users["office"])
    assert case.receipt_no in client.get("/cases/rebounds/").content.decode()
    with pytest.raises(Exception, match="此回访已记录"):
        record_visit(visit, actor=users["office"], visited_on=date(2021, 8, 21), visitor="x", result="holds")


def test_holding_visit_keeps_case_closed(pool, users):
    visit = draw_rechecks(date(2021, 8, 1), seed=1).visits.first()
    record_visit(
        visit, actor=users["office"], visited_on=date(2021, 8, 20), visitor="王", result=RecheckResult.HOLDS
    )
    visit.case.refresh_from_db()
    assert visit.case.state in (CaseState.CLOSED, CaseState.FILED) and ReboundEntry.objects.count() == 0


def test_draw_task_runs_on_a_real_worker(pool, celery_worker_live):
    from cases.tasks import draw_rechecks as task

    draw_id = task.delay("2021-09", 3).get(timeout=30)
    assert RecheckDraw.objects.get(pk=draw_id).sample_size == 3
    assert task.delay("2021-09", 4).get(timeout=30) == draw_id
