"""The admin's holiday calendar: pre-filled from chinesecalendar, edited in the admin."""

from django.db import transaction

from ..calendar import official_calendar_entries
from ..models import Holiday


def prefill_official_holidays(years, holiday_model=Holiday) -> int:
    """Add the official entries of ``years`` that are missing; never touch an existing date.

    ``holiday_model`` lets the data migration pass its historical model.
    """
    existing = set(holiday_model.objects.values_list("date", flat=True))
    rows = [
        holiday_model(date=e.date, kind=e.kind, name=e.name)
        for year in years
        for e in official_calendar_entries(year)
        if e.date not in existing
    ]
    with transaction.atomic():
        holiday_model.objects.bulk_create(rows)
    return len(rows)
