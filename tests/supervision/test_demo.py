"""The supervision demo is pinned to the day it was first seeded."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from notifications.models import Notification
from supervision.models import EarlyWarning, Report
from tests.org.test_seed_demo import row_counts


def _rows():
    return (
        list(Report.objects.order_by("pk").values("kind", "period_start", "period_end")),
        list(EarlyWarning.objects.order_by("pk").values("level", "state", "raised_on", "resolved_on")),
        list(Notification.objects.order_by("pk").values("recipient_id", "dedupe_key")),
    )


@pytest.mark.django_db
def test_seed_demo_on_a_later_day_changes_nothing():
    with time_machine.travel("2026-07-08 10:00:00+08:00", tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    counts, rows = row_counts(), _rows()
    assert Report.objects.count() == 3 and EarlyWarning.objects.exists()
    with time_machine.travel("2026-07-20 10:00:00+08:00", tick=False):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    assert out.getvalue().splitlines()[0] == "示例数据已存在，未做任何改动。"
    assert row_counts() == counts
    assert _rows() == rows
    # The reports are the first day's: that day's dispatch, the week and the month before it.
    assert sorted(Report.objects.values_list("kind", "period_start", "period_end")) == [
        ("daily", date(2026, 7, 8), date(2026, 7, 8)),
        ("monthly", date(2026, 6, 1), date(2026, 6, 30)),
        ("weekly", date(2026, 6, 29), date(2026, 7, 5)),
    ]


@pytest.mark.django_db
def test_demo_has_a_delivered_monthly_report_unit_sections_and_classified_rebounds():
    from cases.models import ReboundEntry
    from rectification.models import TaskReboundEntry
    from supervision.models import ReportDelivery

    with time_machine.travel("2026-07-08 10:00:00+08:00", tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    delivery = ReportDelivery.objects.select_related("report").get()
    assert delivery.report.kind == "monthly" and delivery.recipients == "市委、市政府、市督改办"
    assert delivery.file.read().startswith(b"%PDF-") and len(delivery.sha256) == 64
    monthly = delivery.report
    assert monthly.sections.count() >= 3  # each lead unit's own section
    assert ReboundEntry.objects.get().category.name == "问题反弹"
    assert TaskReboundEntry.objects.get().category.name == "整改不到位"
