from datetime import date

import pytest
from django.utils import timezone

from acceptance.domain.deadlines import Deadlines, load_calendar
from acceptance.enums import StepKind
from acceptance.models import Holiday, Step

pytestmark = pytest.mark.django_db


def _step(case, kind, starts_on, done_on=None):
    return Step(case=case, kind=kind, starts_on=starts_on, done_on=done_on)


def test_holiday_table_is_prefilled_from_chinesecalendar():
    national_day = Holiday.objects.get(date=date(2024, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert Holiday.objects.get(date=date(2024, 10, 12)).kind == "workday"  # 调休 Saturday


def test_acceptance_due_in_calendar_days_across_national_day(completed_case):
    deadlines = Deadlines(today=date(2024, 9, 30), working_days=False)
    assert deadlines.due_on(_step(completed_case, StepKind.ACCEPTANCE, date(2024, 9, 27))) == date(
        2024, 10, 4
    )


def test_acceptance_due_in_working_days_skips_holiday_and_counts_tiaoxiu_saturday(completed_case):
    deadlines = Deadlines(today=date(2024, 9, 30), working_days=True)
    # 9-29 (Sun, 调休) and 9-30 work, 10-1..10-7 off, 10-8..10-11 work, 10-12 (Sat, 调休) is the 7th.
    assert deadlines.due_on(_step(completed_case, StepKind.ACCEPTANCE, date(2024, 9, 27))) == date(
        2024, 10, 12
    )


def test_review_application_due_across_month_and_year_end(completed_case):
    cal = Deadlines(today=date(2025, 1, 1), working_days=False)
    work = Deadlines(today=date(2025, 1, 1), working_days=True)
    step = _step(completed_case, StepKind.REVIEW_APPLICATION, date(2024, 12, 30))
    assert cal.due_on(step) == date(2025, 1, 2)
    # 12-31 work, 1-1 off (元旦), 1-2 and 1-3 work.
    assert work.due_on(step) == date(2025, 1, 3)


def test_working_days_in_2027_fall_back_to_weekdays_plus_admin_entries(completed_case):
    step = _step(completed_case, StepKind.REVIEW, date(2027, 2, 5))  # a Friday, year not covered
    assert Deadlines(working_days=True).due_on(step) == date(2027, 2, 12)
    Holiday.objects.create(date=date(2027, 2, 8), kind="holiday", name="春节")
    assert Deadlines(working_days=True).due_on(step) == date(2027, 2, 15)


def test_deadline_days_left_and_overdue_at_the_boundary(completed_case):
    step = _step(completed_case, StepKind.REVIEW, date(2024, 5, 6))  # due 5-11
    on_due = Deadlines(today=date(2024, 5, 11), working_days=False).of(step)
    after = Deadlines(today=date(2024, 5, 12), working_days=False).of(step)
    assert (on_due.days_left, on_due.overdue, on_due.due_soon) == (0, False, True)
    assert (after.days_left, after.overdue, after.due_soon) == (-1, True, False)


def test_setting_switches_to_working_days(completed_case, settings):
    settings.DEADLINES_IN_WORKING_DAYS = True
    step = _step(completed_case, StepKind.REVIEW, date(2024, 9, 27))
    assert Deadlines().due_on(step) == date(2024, 10, 10)  # 9-29 (调休), 9-30, 10-8, 10-9, 10-10


def test_calendar_loads_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = load_calendar()
    assert calendar.is_working_day(date(2024, 10, 12)) is True


def test_days_left_counts_working_days_when_the_deadline_does(completed_case):
    """docs/rules.md §5.4: with DEADLINES_IN_WORKING_DAYS the remaining days are working days too
    (they were calendar days, so "剩9天" showed over National Day for 4 working days)."""
    step = _step(completed_case, StepKind.ACCEPTANCE, date(2024, 9, 27))  # due 10-12 (see above)
    on_30th = Deadlines(today=date(2024, 9, 30), working_days=True).of(step)
    # 10-8, 10-9, 10-10, 10-11 and 10-12 (调休 Saturday) are the working days left after 9-30.
    assert (on_30th.days_left, on_30th.unit, on_30th.overdue) == (5, "个工作日", False)
    assert Deadlines(today=date(2024, 9, 30), working_days=False).of(step).days_left == 4  # due 10-04
    # Overdue over a weekend: 10-13 (Sun) and 10-14 (Mon, a working day) -> one working day late.
    late = Deadlines(today=date(2024, 10, 14), working_days=True).of(step)
    assert (late.days_left, late.overdue) == (-1, True)
    sunday = Deadlines(today=date(2024, 10, 13), working_days=True).of(step)
    assert (sunday.days_left, sunday.overdue) == (-1, True)  # past the due date: at least one day


def test_chain_page_says_working_days(completed_case, client, users, settings):
    settings.DEADLINES_IN_WORKING_DAYS = True
    Step.objects.create(case=completed_case, kind=StepKind.ACCEPTANCE, starts_on=timezone.localdate())
    client.force_login(users["office"])
    page = client.get(f"/acceptance/cases/{completed_case.pk}/").content.decode()
    assert "个工作日</span>" in page
