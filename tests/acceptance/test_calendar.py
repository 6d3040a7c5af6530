"""Due dates of the acceptance and review chain, in calendar and working-day mode.

Official dates come from the installed `chinesecalendar` 1.11.0 (2004 to 2026). It has
no 2027 data, so there only the plain week and the admin's own entries count.
"""

from datetime import date

import chinese_calendar
import pytest

from acceptance.calendar import (
    HOLIDAY,
    WORKDAY,
    CalendarEntry,
    HolidayCalendar,
    add_days,
    covered_years,
    days_left,
    is_overdue,
    official_calendar_entries,
)

PLAIN_WEEK = HolidayCalendar()
OFFICIAL = HolidayCalendar.from_entries(official_calendar_entries(2025) + official_calendar_entries(2026))
# What the admin would enter for 2027 once it is published; the package has no 2027.
ADMIN_2027 = HolidayCalendar(
    holidays=OFFICIAL.holidays | {date(2027, 1, 1)},
    workdays=OFFICIAL.workdays | {date(2027, 2, 20)},
)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Golden week does not stop calendar days.
        (date(2025, 9, 26), 7, date(2025, 10, 3)),
        (date(2026, 1, 30), 3, date(2026, 2, 2)),
        (date(2026, 2, 27), 3, date(2026, 3, 2)),
        (date(2026, 12, 29), 5, date(2027, 1, 3)),
        (date(2027, 6, 1), 7, date(2027, 6, 8)),
        (date(2026, 3, 10), 0, date(2026, 3, 10)),
    ],
)
def test_add_days_calendar_mode_ignores_holidays(start, days, due):
    assert add_days(start, days, working_days=False, calendar=ADMIN_2027) == due


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # National Day 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 are worked.
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        (date(2025, 9, 30), 7, date(2025, 10, 16)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        # Start on a holiday: counting still starts the day after.
        (date(2025, 10, 1), 1, date(2025, 10, 9)),
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        # Mid-autumn 2026 (Fri 09-25 off), National Day 10-01..10-07, Sat 10-10 worked.
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 24), 5, date(2026, 10, 9)),
        # Spring Festival 2026: Sat 02-14 worked, 02-15..02-23 off, Sat 02-28 worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 12), 3, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        # Labour Day 2026: Sat 05-09 worked.
        (date(2026, 5, 8), 1, date(2026, 5, 9)),
        # New Year 2026: 01-01..01-03 off, Sun 01-04 worked.
        (date(2026, 1, 1), 1, date(2026, 1, 4)),
        # Month end with a plain weekend in between.
        (date(2026, 1, 29), 3, date(2026, 2, 3)),
        (date(2026, 3, 10), 0, date(2026, 3, 10)),
    ],
)
def test_add_days_working_mode_official_calendar(start, days, due):
    assert add_days(start, days, working_days=True, calendar=OFFICIAL) == due


@pytest.mark.parametrize(
    ("calendar", "start", "days", "due"),
    [
        # Year end into 2027: the admin's 2027-01-01 holiday is skipped too.
        (ADMIN_2027, date(2026, 12, 29), 5, date(2027, 1, 6)),
        # Without the admin entry 2027-01-01 (a Friday) is a plain working day.
        (OFFICIAL, date(2026, 12, 29), 5, date(2027, 1, 5)),
        # The admin's 调休 Saturday in 2027.
        (ADMIN_2027, date(2027, 2, 19), 1, date(2027, 2, 20)),
        # No 2027 entries: plain weekdays, and no crash past the package's data.
        (OFFICIAL, date(2027, 2, 19), 1, date(2027, 2, 22)),
        (PLAIN_WEEK, date(2027, 2, 5), 3, date(2027, 2, 10)),
        (PLAIN_WEEK, date(2027, 3, 5), 5, date(2027, 3, 12)),
        (PLAIN_WEEK, date(2027, 12, 30), 3, date(2028, 1, 4)),
    ],
)
def test_add_days_working_mode_beyond_package(calendar, start, days, due):
    assert add_days(start, days, working_days=True, calendar=calendar) == due


def test_add_days_working_mode_negative_days_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        add_days(date(2026, 3, 10), -1, working_days=True, calendar=PLAIN_WEEK)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 13), True),  # plain Friday
        (date(2026, 3, 14), False),  # plain Saturday
        (date(2026, 2, 16), False),  # holiday on a Monday
        (date(2026, 2, 14), True),  # 调休 Saturday
        (date(2027, 1, 1), False),  # admin entry in an uncovered year
        (date(2027, 1, 4), True),
        (date(2027, 2, 20), True),
        (date(2027, 2, 21), False),
    ],
)
def test_is_working_day_explicit_entry_wins(day, working):
    assert ADMIN_2027.is_working_day(day) is working


def test_holiday_calendar_same_day_both_kinds_refused():
    with pytest.raises(ValueError, match="2027-01-01"):
        HolidayCalendar(holidays=[date(2027, 1, 1)], workdays=[date(2027, 1, 1)])


def test_holiday_calendar_from_entries_unknown_kind_refused():
    with pytest.raises(ValueError, match="vacation"):
        HolidayCalendar.from_entries([(date(2027, 1, 1), "vacation", "")])


def test_official_entries_spring_festival_2026():
    entries = official_calendar_entries(2026)
    assert [entry for entry in entries if entry.date.month == 2] == [
        CalendarEntry(date(2026, 2, 14), WORKDAY, "春节"),
        CalendarEntry(date(2026, 2, 16), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 17), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 18), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 19), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 20), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 23), HOLIDAY, "春节"),
        CalendarEntry(date(2026, 2, 28), WORKDAY, "春节"),
    ]


@pytest.mark.parametrize(
    "entry",
    [
        (date(2026, 1, 1), HOLIDAY, "元旦"),
        (date(2026, 1, 4), WORKDAY, "元旦"),
        (date(2026, 10, 7), HOLIDAY, "国庆节"),
        (date(2026, 10, 10), WORKDAY, "国庆节"),
        # Inside golden week, yet the package names it Mid-autumn.
        (date(2025, 10, 6), HOLIDAY, "中秋"),
        (date(2025, 9, 28), WORKDAY, "国庆节"),
        (
            date(2015, 9, 3),
            HOLIDAY,
            "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
        ),
    ],
)
def test_official_entries_contain_known_days(entry):
    assert entry in official_calendar_entries(entry[0].year)


def test_official_entries_leave_out_weekend_holidays():
    days = {entry.date for entry in official_calendar_entries(2026)}
    assert date(2026, 2, 15) not in days  # Sunday of Spring Festival: off anyway
    assert date(2026, 10, 3) not in days  # Saturday of National Day


@pytest.mark.parametrize("year", [2003, 2027, 2030])
def test_official_entries_uncovered_year_empty(year):
    assert official_calendar_entries(year) == []


def test_covered_years_match_package():
    assert covered_years() == range(2004, 2027)


@pytest.mark.parametrize("year", list(range(2004, 2027)))
def test_prefilled_calendar_agrees_with_package_every_day(year):
    calendar = HolidayCalendar.from_entries(official_calendar_entries(year))
    days = chinese_calendar.get_dates(date(year, 1, 1), date(year, 12, 31))
    ours = [calendar.is_working_day(day) for day in days]
    assert ours == [chinese_calendar.is_workday(day) for day in days]


@pytest.mark.parametrize(
    ("due", "today", "left", "overdue"),
    [
        (date(2026, 3, 10), date(2026, 3, 9), 1, False),
        # The whole due date is still in time.
        (date(2026, 3, 10), date(2026, 3, 10), 0, False),
        (date(2026, 3, 10), date(2026, 3, 11), -1, True),
        (date(2027, 1, 2), date(2026, 12, 30), 3, False),
        (date(2026, 2, 28), date(2026, 3, 2), -2, True),
    ],
)
def test_days_left_and_overdue_at_boundary(due, today, left, overdue):
    assert days_left(due, today) == left
    assert is_overdue(due, today) is overdue
