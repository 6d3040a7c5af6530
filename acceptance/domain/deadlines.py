"""Due dates of the chain's steps, computed on read from the step's start and the calendar."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from ..calendar import HolidayCalendar, add_days, days_left, is_overdue
from ..enums import STEP_DAYS
from ..models import Holiday, Step

EMPTY = HolidayCalendar()


def load_calendar() -> HolidayCalendar:
    """The admin's holiday table as a calendar (one query); plain weekdays where it is empty."""
    return HolidayCalendar.from_entries(Holiday.objects.values_list("date", "kind"))


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int  # working days when DEADLINES_IN_WORKING_DAYS (acceptance.calendar.days_left)
    overdue: bool
    working_days: bool = False

    @property
    def unit(self) -> str:
        """How days_left is counted, for "剩N天" / "剩N个工作日"."""
        return "个工作日" if self.working_days else "天"

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.days_left <= 1


class Deadlines:
    """Computes due dates for many steps with the calendar loaded once (no query per row)."""

    def __init__(self, *, today: date | None = None, working_days: bool | None = None):
        self.today = today or timezone.localdate()
        self.working_days = settings.DEADLINES_IN_WORKING_DAYS if working_days is None else working_days
        self._calendar = None

    @property
    def calendar(self) -> HolidayCalendar:
        if not self.working_days:
            return EMPTY  # calendar days need no holidays: skip the query
        if self._calendar is None:
            self._calendar = load_calendar()
        return self._calendar

    def due_on(self, step: Step) -> date:
        return add_days(
            step.starts_on, STEP_DAYS[step.kind], working_days=self.working_days, calendar=self.calendar
        )

    def of(self, step: Step) -> Deadline:
        due = self.due_on(step)
        # A finished step is judged on the day it was done, an open one on today.
        ref = step.done_on or self.today
        left = days_left(due, ref, working_days=self.working_days, calendar=self.calendar)
        return Deadline(due=due, days_left=left, overdue=is_overdue(due, ref), working_days=self.working_days)

    def annotate(self, steps):
        """Set ``step.deadline`` on each step and return them as a list."""
        steps = list(steps)
        for step in steps:
            step.deadline = self.of(step)
        return steps
