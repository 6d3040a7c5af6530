"""Every count of a built report links to a list whose total is that count (office and unit staff),
on the demo data plus a generated data set; a stored report keeps bounded lists."""

import html
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from org.load_data import generate
from org.models import User
from supervision.domain import reports
from supervision.domain.reports import DISPATCH_KEYS, build_report
from supervision.models import Report, ReportDelivery

FIGURE = re.compile(r'<a class="figure-link" href="([^"]+)">(\d+)</a>')
TOTAL = re.compile(r"<h1>[^<]*<small class=\"muted\">共 (\d+) [件项条]</small>")


@pytest.fixture
def data_set(db):
    call_command("seed_demo")
    generate(cases=150, tasks=15, seed=11)
    # The demo's own reports were built before the generated cases came: build them again.
    ReportDelivery.objects.all().delete()  # a delivered report is protected by its 报送 record
    Report.objects.all().delete()
    return timezone.localdate()


def walk(client, page_url) -> int:
    """Open every figure link of the page; assert each list's total equals the figure."""
    page = client.get(page_url)
    assert page.status_code == 200
    figures = FIGURE.findall(page.content.decode())
    assert figures, "the report shows no linked figure"
    for href, shown in figures:
        listing = client.get(html.unescape(href))
        assert listing.status_code == 200, href
        match = TOTAL.search(listing.content.decode())
        assert match, f"no total on {href}"
        assert int(match.group(1)) == int(shown), f"{href}: figure {shown}, list {match.group(1)}"
    return len(figures)


@pytest.mark.django_db
def test_every_report_figure_opens_a_list_of_exactly_its_rows_for_the_office(data_set, login):
    office = User.objects.get(username="gen_office")
    client = login(office)
    walked = 0
    for kind in ("daily", "weekly", "monthly"):
        report, _ = build_report(kind, day=data_set)
        walked += walk(client, f"/supervision/reports/{report.pk}/")
    daily = build_report("daily", day=data_set)[0].data
    assert daily["overall"]["overdue"] > 0 and daily["overall"]["due_soon"] > 0
    assert walked > 50


@pytest.mark.django_db
def test_every_dispatch_figure_opens_a_list_of_exactly_its_rows_for_unit_staff(data_set, login):
    report, _ = build_report("daily", day=data_set)
    busiest = max(report.data["units"], key=lambda s: s["counts"]["overdue"])
    staff = User.objects.get(username__startswith="gen_staff", role_assignments__unit_id=busiest["unit_id"])
    client = login(staff)
    walked = walk(client, f"/supervision/reports/{report.pk}/")
    assert walked == 7  # the unit's own row: cases and tasks of each section, tasks without progress
    shown = client.get(f"/supervision/reports/{report.pk}/").context["report"].data
    assert [s["unit_id"] for s in shown["units"]] == [busiest["unit_id"]]
    assert all(r["unit_id"] == busiest["unit_id"] for rows in shown["items"].values() for r in rows)


@pytest.mark.django_db
def test_stored_reports_keep_bounded_lists_with_the_full_counts(data_set, monkeypatch):
    monkeypatch.setattr(reports, "DETAIL_LIMIT", 3)
    daily, _ = build_report("daily", day=data_set)
    for key in DISPATCH_KEYS:
        assert len(daily.data["items"][key]) <= 3
    assert daily.data["overall"]["overdue"] > 3  # the count is the full count, not the list's length
    overdue = daily.data["items"]["overdue"]
    assert [r["deadline"] for r in overdue] == sorted(r["deadline"] for r in overdue)  # longest overdue first
    monthly, _ = build_report("monthly", day=data_set)
    cases = monthly.data["cases"]
    assert len(cases["key"]) <= 3 and cases["key_count"] > 3
    assert len(monthly.data["tasks"]["slow"]) <= 3 < monthly.data["tasks"]["slow_count"]
