"""Deadline arithmetic for the acceptance and review chain (验收复核办法, docs/rules.md §5).

Each deadline counts from the previous step: accept within 7 days of the application,
apply for review within 3 days of acceptance, review within 5 days of the review
application. Calendar days by default; a setting switches to working days on the
holiday calendar the admin keeps in the database.

Pure Python on purpose: no Django, no database. The caller loads the admin's rows and
hands them to `HolidayCalendar`; `official_calendar_entries` only pre-fills those rows
from the `chinesecalendar` package.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import chinese_calendar

HOLIDAY = "holiday"
"""Entry kind: an official day off (法定节假日) that falls on a weekday."""

WORKDAY = "workday"
"""Entry kind: a weekend day made a working day (调休上班)."""

_SATURDAY = 5


class CalendarEntry(NamedTuple):
    """One official day to pre-fill: date, `HOLIDAY` or `WORKDAY`, festival name."""

    date: date
    kind: str
    name: str


@dataclass(frozen=True, init=False)
class HolidayCalendar:
    """The admin's holiday calendar: explicit days off and explicit working days.

    A date without an entry follows the plain week: Monday to Friday working,
    Saturday and Sunday off. An empty calendar is therefore "plain weekdays", which is
    also what any year without admin entries gets.
    """

    holidays: frozenset[date]
    workdays: frozenset[date]

    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        # Frozen, so assign via object.__setattr__; any iterable (list, queryset) works.
        object.__setattr__(self, "holidays", frozenset(holidays))
        object.__setattr__(self, "workdays", frozenset(workdays))
        clash = self.holidays & self.workdays
        if clash:
            # Guessing which of two contradicting entries the admin meant would move
            # deadlines silently; the database should never hold both.
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"日期同时登记为节假日和调休工作日：{days}")

    @classmethod
    def from_entries(cls, entries: Iterable[tuple]) -> "HolidayCalendar":
        """A calendar from `(date, kind, …)` rows (`official_calendar_entries`, or a
        `values_list("date", "kind")` of the admin's table)."""
        by_kind: dict[str, list[date]] = {HOLIDAY: [], WORKDAY: []}
        for day, kind, *_ in entries:
            if kind not in by_kind:
                raise ValueError(f"未知的日历条目类型：{kind!r}")
            by_kind[kind].append(day)
        return cls(holidays=by_kind[HOLIDAY], workdays=by_kind[WORKDAY])

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is worked: an explicit entry wins, else Monday to Friday."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < _SATURDAY


def add_days(start: date, days: int, *, working_days: bool, calendar: HolidayCalendar) -> date:
    """The due date `days` days after `start`.

    Calendar mode: `start + days`. Working-day mode: the `days`-th working day after
    `start`, `start` itself not counted (so 0 returns `start`, even on a holiday).
    """
    if not working_days:
        return start + timedelta(days=days)
    if days < 0:
        raise ValueError("工作日天数不能为负数")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def days_left(
    due: date, today: date, *, working_days: bool = False, calendar: HolidayCalendar | None = None
) -> int:
    """Days from `today` to `due`: 0 on the due date, negative once overdue.

    Calendar mode: the calendar-day difference. Working-day mode (the deadline was counted in
    working days): the working days after `today` up to and including `due` ("剩N个工作日"), or,
    once overdue, minus the working days after `due` up to and including `today` (a weekend
    after the due date adds no overdue days; at least 1 once the due date has passed).
    """
    if not working_days:
        return (due - today).days
    calendar = calendar or HolidayCalendar()
    if due >= today:
        return _working_days_after(today, due, calendar)
    return -max(1, _working_days_after(due, today, calendar))


def _working_days_after(start: date, end: date, calendar: HolidayCalendar) -> int:
    """Working days in (start, end]."""
    return sum(
        1 for n in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=n))
    )


def is_overdue(due: date, today: date) -> bool:
    """Whether the deadline has passed; the whole due date still counts as in time."""
    return today > due


def covered_years() -> range:
    """The years `chinesecalendar` has official data for (2004 to 2026 in 1.11.0)."""
    # The package validates dates against exactly this span: min..max year of its
    # holiday table, raising NotImplementedError outside it.
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def official_calendar_entries(year: int) -> list[CalendarEntry]:
    """One year's official entries from `chinesecalendar`, to pre-fill the calendar.

    Each holiday on a weekday (`HOLIDAY`) and each weekend day made a working day
    (`WORKDAY`), in date order, named in Chinese. Holidays on a weekend are left out:
    the plain week already makes them days off. An uncovered year gives `[]`.
    """
    if year not in covered_years():
        # The package would raise; an uncovered year simply has nothing to offer and
        # the admin enters it by hand.
        return []
    return [entry for day in _days_of(year) if (entry := _official_entry(day)) is not None]


def _days_of(year: int) -> list[date]:
    """Every date of `year`, 1 January to 31 December."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _official_entry(day: date) -> CalendarEntry | None:
    """The pre-fill entry for `day`, or None where the plain week already agrees."""
    is_day_off, name = chinese_calendar.get_holiday_detail(day)
    is_weekend = day.weekday() >= _SATURDAY
    if is_day_off and not is_weekend:
        return CalendarEntry(day, HOLIDAY, _chinese_name(name))
    if not is_day_off and is_weekend:
        return CalendarEntry(day, WORKDAY, _chinese_name(name))
    return None


def _chinese_name(english: str | None) -> str:
    """The Chinese name for the package's English one ("Spring Festival" → "春节")."""
    if not english:
        return ""
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        # A name missing from the package's enum: keep it rather than lose it; the
        # admin can retitle the row.
        return english
