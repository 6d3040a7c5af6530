"""Reports delivered to units: each unit's own section of a weekly/monthly report (scoped, notified),
the 报送 record of the monthly report with the exact PDF and its SHA-256; constant queries."""

import hashlib
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification, OutboxJob
from org.enums import Role
from qianshan.common.errors import DomainError
from supervision.domain.delivery import record_delivery, report_pdf_bytes
from supervision.domain.report_units import SECTION_LIMIT, attach_sections, notify_units
from supervision.domain.reports import build_report
from supervision.enums import ReportKind
from supervision.models import Report, ReportDelivery, ReportSection
from tests.factories import CaseFactory, InspectionFactory, TaskFactory, UnitFactory, user_with_role
from tests.pdf import pdf_text
from tests.supervision.test_reports import AS_OF, make_fixture

pytestmark = pytest.mark.usefixtures("rewritable_logs")


def _monthly(unit_a, unit_b, **kw):
    make_fixture(unit_a, unit_b, **kw)
    report, created = build_report(ReportKind.MONTHLY, day=AS_OF)
    assert created
    return report


@pytest.mark.django_db
def test_each_unit_gets_its_own_figures_and_slow_items(users, unit_a, unit_b):
    report = _monthly(unit_a, unit_b)
    sections = {s.unit_id: s.data for s in report.sections.all()}
    assert set(sections) == {unit_a.pk, unit_b.pk}
    a, b = sections[unit_a.pk], sections[unit_b.pk]
    assert a["tasks"] == {"complete": 1, "on_schedule": 1, "behind": 0, "overdue": 0, "total": 2}
    assert b["tasks"] == {"complete": 0, "on_schedule": 0, "behind": 1, "overdue": 1, "total": 2}
    assert [r["number"] for r in b["overdue_tasks"]] == ["T-OVERDUE"]
    assert [r["number"] for r in b["behind_tasks"]] == ["T-BEHIND"]
    assert b["overdue_tasks"][0]["days_late"] == (AS_OF - date(2026, 5, 20)).days
    assert [r["receipt_no"] for r in b["overdue_cases"]] == ["KEY-1"]
    assert a["overdue_tasks"] == a["behind_tasks"] == a["overdue_cases"] == []
    assert a["cases"]["closed"] == 1  # closed in May; the April close-out is outside the period
    assert b["links"]["overdue_tasks"] == f"/tasks/?schedule=overdue&lead_unit={unit_b.pk}"


@pytest.mark.django_db
def test_daily_dispatch_gets_no_sections(unit_a, unit_b):
    make_fixture(unit_a, unit_b)
    report, _ = build_report(ReportKind.DAILY, day=AS_OF)
    assert not report.sections.exists()


@pytest.mark.django_db
def test_sections_take_a_fixed_number_of_queries_and_cap_their_lists(unit_a, unit_b):
    insp = InspectionFactory(code="CQ")
    TaskFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 1, 1))
    small = Report.objects.create(
        kind=ReportKind.WEEKLY, period_start=date(2026, 5, 25), period_end=date(2026, 5, 31)
    )
    with CaptureQueriesContext(connection) as few:
        attach_sections(small, as_of=AS_OF)
    for i in range(6):  # more units, and one with more overdue items than a section keeps
        unit = UnitFactory(name=f"单位{i}")
        TaskFactory(inspection=insp, lead_unit=unit, deadline=date(2026, 2, 1))
        CaseFactory(inspection=insp, lead_unit=unit, deadline=date(2026, 2, 1))
    for i in range(SECTION_LIMIT + 5):
        TaskFactory(inspection=insp, lead_unit=unit_b, deadline=date(2026, 3, 1), number=f"B-{i:03d}")
    big = Report.objects.create(
        kind=ReportKind.MONTHLY, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31)
    )
    with CaptureQueriesContext(connection) as many:
        attach_sections(big, as_of=AS_OF)
    assert len(many) == len(few) <= 6
    section = big.sections.get(unit=unit_b).data
    assert section["tasks"]["overdue"] == SECTION_LIMIT + 5
    assert len(section["overdue_tasks"]) == SECTION_LIMIT
    assert big.sections.count() == 8


@pytest.mark.django_db
def test_unit_users_are_notified_with_the_link_to_their_section(users, unit_a, unit_b):
    report = _monthly(unit_a, unit_b)
    own = Notification.objects.get(recipient=users["staff"], dedupe_key__contains=":section:")
    assert own.link == reverse("supervision:report_unit", args=[report.pk, unit_a.pk])
    assert "甲单位" in own.title
    assert Notification.objects.filter(recipient=users["head"], link=own.link).exists()
    other = Notification.objects.get(recipient=users["staff_b"], dedupe_key__contains=":section:")
    assert other.link == reverse("supervision:report_unit", args=[report.pk, unit_b.pk])
    # the same report built again notifies nobody again
    build_report(ReportKind.MONTHLY, day=AS_OF)
    assert (
        Notification.objects.filter(recipient=users["staff"], dedupe_key__contains=":section:").count() == 1
    )


def _section_notes(report, suffix):
    """{(recipient, dedupe key): notification} of the section notices of ``report``'s round ``suffix``."""
    key = rf"^report:{report.pk}:section:[0-9]+{suffix}$"
    return {(n.recipient_id, n.dedupe_key): n for n in Notification.objects.filter(dedupe_key__regex=key)}


def _expected_recipients(report):
    """(user, unit id) of every active head and staff member of every unit with a section."""
    from org.models import RoleAssignment

    unit_ids = list(report.sections.values_list("unit_id", flat=True))
    return {
        (ra.user, ra.unit_id)
        for ra in RoleAssignment.objects.filter(
            unit_id__in=unit_ids, role__in=[Role.UNIT_HEAD, Role.UNIT_STAFF], user__is_active=True
        ).select_related("user")
    }


@pytest.mark.django_db
def test_notify_units_takes_fixed_queries_and_reaches_every_unit_user(users, unit_a, unit_b):
    report = _monthly(unit_a, unit_b)  # 2 units, 3 unit users
    with CaptureQueriesContext(connection) as few:
        sent_few = notify_units(report, suffix=":2")
    assert sent_few == 3
    insp = InspectionFactory(code="NOTE")
    for i in range(12):  # more units, each with a head and staff (one without an e-mail address)
        unit = UnitFactory(name=f"通知单位{i}")
        TaskFactory(inspection=insp, lead_unit=unit, deadline=date(2026, 2, 1))
        user_with_role(Role.UNIT_HEAD, unit, username=f"note_head{i}")
        no_mail = {"email": ""} if i == 0 else {}
        user_with_role(Role.UNIT_STAFF, unit, username=f"note_staff{i}", **no_mail)
        user_with_role(Role.UNIT_STAFF, unit, username=f"note_gone{i}", is_active=False)
    user_with_role(Role.UNIT_STAFF, unit_b, username="also_a").role_assignments.create(
        role=Role.UNIT_HEAD, unit=unit_a
    )  # in two units: one notification per section
    bigger, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    assert bigger.sections.count() == 14
    jobs_before = set(OutboxJob.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as many:
        sent = notify_units(bigger, suffix=":2")
    assert len(many) == len(few)
    expected = _expected_recipients(bigger)
    assert sent == len(expected) == 2 * 12 + 3 + 2
    notes = _section_notes(bigger, ":2")
    assert set(notes) == {(u.pk, f"report:{bigger.pk}:section:{unit_id}:2") for u, unit_id in expected}
    for user, unit_id in expected:
        note = notes[(user.pk, f"report:{bigger.pk}:section:{unit_id}:2")]
        assert note.link == reverse("supervision:report_unit", args=[bigger.pk, unit_id])
        assert (
            note.title.startswith("周报（")
            and bigger.sections.get(unit_id=unit_id).data["unit"] in note.title
        )
        assert note.email_wanted == bool(user.email)
        assert note.kind == "report" and note.reason.startswith("您是责任单位人员")
    (job,) = OutboxJob.objects.exclude(pk__in=jobs_before)  # the mail of all of them in one job
    assert job.task_name == "qianshan.notifications.send_emails"
    assert sorted(job.kwargs["ids"]) == sorted(n.pk for n in notes.values())
    # the same round again notifies nobody and queues no mail
    assert notify_units(bigger, suffix=":2") == 0
    assert not OutboxJob.objects.exclude(pk__in=jobs_before | {job.pk}).exists()


@pytest.mark.django_db
def test_unit_user_sees_own_section_only(users, unit_a, unit_b, login):
    report = _monthly(unit_a, unit_b)
    client = login(users["staff"])
    assert report in [r for r in client.get(reverse("supervision:reports")).context["page"]]
    response = client.get(reverse("supervision:report_detail", args=[report.pk]))
    own = reverse("supervision:report_unit", args=[report.pk, unit_a.pk])
    assert response.status_code == 302 and response["Location"] == own
    page = client.get(own)
    assert page.status_code == 200
    html = page.content.decode()
    assert "甲单位" in html and "乙单位" not in html and "T-OVERDUE" not in html
    # another unit's section by guessed id, and the full report's files: 404
    assert client.get(reverse("supervision:report_unit", args=[report.pk, unit_b.pk])).status_code == 404
    assert client.get(reverse("supervision:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("supervision:report_xlsx", args=[report.pk])).status_code == 404
    # unit B's user sees B's section with its overdue and behind items
    page_b = login(users["staff_b"]).get(reverse("supervision:report_unit", args=[report.pk, unit_b.pk]))
    html_b = page_b.content.decode()
    assert "T-OVERDUE" in html_b and "T-BEHIND" in html_b and "KEY-1" in html_b


@pytest.mark.django_db
def test_unit_without_a_section_gets_404(users, unit_a, unit_b, login):
    report = _monthly(unit_a, unit_b)
    lonely = UnitFactory(name="丙单位")
    from tests.factories import user_with_role

    user = user_with_role("unit_staff", lonely, username="staff_c")
    client = login(user)
    assert client.get(reverse("supervision:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("supervision:report_unit", args=[report.pk, unit_a.pk])).status_code == 404


@pytest.mark.django_db
def test_office_report_lists_each_units_overdue_and_behind_items(users, unit_a, unit_b, login, tmp_path):
    make_fixture(unit_a, unit_b)
    report, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    client = login(users["office"])
    html = client.get(reverse("supervision:report_detail", args=[report.pk])).content.decode()
    assert "各责任单位逾期及滞后事项" in html
    assert reverse("supervision:report_unit", args=[report.pk, unit_b.pk]) in html
    (tmp_path / "r.pdf").write_bytes(report_pdf_bytes(report))
    text = pdf_text(tmp_path / "r.pdf")
    assert "各责任单位逾期及滞后事项" in text and "T-BEHIND" in text
    assert client.get(reverse("supervision:report_unit", args=[report.pk, unit_b.pk])).status_code == 200


@pytest.mark.django_db
def test_report_pdf_sums_up_each_unit_in_one_row_and_leaves_its_items_to_its_section(
    users, unit_a, unit_b, tmp_path
):
    """The PDF's 七 is one row of figures per unit (a table cell costs weasyprint 15-60 ms; every
    unit's item tables made the weekly and monthly PDFs take 27 s), the items stay in the sections."""
    make_fixture(unit_a, unit_b)
    report, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    html = render_to_string("pdf/supervision_report.html", {"report": report, "data": report.data})
    units_part = html[html.index('<h2 id="units">') :]
    rows = re.findall(r'<tr><td>([^<]+)</td>((?:<td class="n">\d+</td>)+)</tr>', units_part)
    figures = {unit: [int(n) for n in re.findall(r"\d+", cells)] for unit, cells in rows}
    # tasks, overdue, behind; cases, overdue (counted by hand from make_fixture)
    assert figures == {"甲单位": [2, 0, 0, 2, 0], "乙单位": [2, 1, 1, 2, 1]}
    assert "T-OVERDUE" not in units_part and "T-BEHIND" not in units_part and "KEY-1" not in units_part
    (tmp_path / "r.pdf").write_bytes(report_pdf_bytes(report))
    text = pdf_text(tmp_path / "r.pdf")
    assert "共 2 个责任单位" in text and "T-OVERDUE" in text  # the latter in 一、整改任务进展


@pytest.mark.django_db
def test_section_page_report_page_and_list_take_fixed_queries(users, unit_a, unit_b, login):
    monthly = _monthly(unit_a, unit_b)  # the small fixture
    staff = login(users["staff"])  # (one test client: each login() switches who it acts as)

    def count(client, url):
        client.get(url)  # warm the per-user caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    section = lambda r: reverse("supervision:report_unit", args=[r.pk, unit_a.pk])  # noqa: E731
    few = (count(staff, section(monthly)), count(staff, reverse("supervision:reports")))
    office = login(users["office"])
    few_office = count(office, reverse("supervision:report_detail", args=[monthly.pk]))
    staff = login(users["staff"])
    insp = InspectionFactory(code="MORE")
    for i in range(20):  # more units, items and reports
        unit = UnitFactory(name=f"加单位{i}")
        TaskFactory(inspection=insp, lead_unit=unit, deadline=date(2026, 2, 1))
        TaskFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 2, 1))
        CaseFactory(inspection=insp, lead_unit=unit_a, deadline=date(2026, 2, 1))
    bigger, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    assert len(bigger.sections.get(unit=unit_a).data["overdue_tasks"]) == 20
    assert (count(staff, section(bigger)), count(staff, reverse("supervision:reports"))) == few
    office = login(users["office"])
    assert count(office, reverse("supervision:report_detail", args=[bigger.pk])) == few_office


@pytest.mark.django_db
def test_delivery_keeps_the_exact_pdf_and_its_hash(users, unit_a, unit_b, tmp_path):
    report = _monthly(unit_a, unit_b)
    delivery = record_delivery(
        report,
        actor=users["office"],
        recipients=["市委", "市政府", "市督改办", "市委"],
        delivered_on=date(2026, 6, 2),
        method="机要交换",
        today=date(2026, 6, 3),
    )
    data = delivery.file.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == delivery.sha256 == ReportDelivery.objects.get().sha256
    assert delivery.recipients == "市委、市政府、市督改办"
    assert delivery.size == len(data) and delivery.file_source == "generated"
    assert delivery.history.get().history_user == users["office"]
    (tmp_path / "d.pdf").write_bytes(data)
    assert "月报" in pdf_text(tmp_path / "d.pdf")


@pytest.mark.django_db
def test_delivery_refuses_bad_input_and_saves_nothing(users, unit_a, unit_b):
    report = _monthly(unit_a, unit_b)
    ok = {
        "actor": users["office"],
        "recipients": ["市委"],
        "delivered_on": date(2026, 6, 2),
        "today": date(2026, 6, 3),
    }
    cases = [
        ({"recipients": [" ", ""]}, "报送对象"),
        ({"delivered_on": date(2026, 6, 9)}, "不能晚于今天"),
        ({"delivered_on": date(2026, 5, 30)}, "不能早于报告期末"),
        ({"actor": users["staff"]}, "协调组办公室"),
        ({"upload": SimpleUploadedFile("报送件.pdf", b"<html>not a pdf</html>")}, "报送件.pdf"),
    ]
    for change, words in cases:
        with pytest.raises(DomainError) as err:
            record_delivery(report, **(ok | change))
        assert words in err.value.message
    assert not ReportDelivery.objects.exists()


@pytest.mark.django_db
def test_delivery_page_records_and_shows_hash(users, unit_a, unit_b, login):
    report = _monthly(unit_a, unit_b)
    url = reverse("supervision:report_deliver", args=[report.pk])
    assert login(users["staff"]).get(url).status_code == 404
    client = login(users["office"])
    bad = client.post(url, {"recipients": [], "delivered_on": "2026-06-02"})
    assert bad.status_code == 400 and "请选择或填写报送对象" in bad.content.decode()
    response = client.post(
        url,
        {"recipients": ["市委", "市政府"], "other_recipients": "市督改办", "delivered_on": AS_OF.isoformat()},
    )
    assert response.status_code == 302
    delivery = ReportDelivery.objects.get()
    html = client.get(reverse("supervision:report_detail", args=[report.pk])).content.decode()
    assert delivery.sha256 in html and "市委、市政府、市督改办" in html
    file = client.get(reverse("supervision:delivery_file", args=[delivery.pk]))
    assert hashlib.sha256(b"".join(file.streaming_content)).hexdigest() == delivery.sha256
    assert (
        login(users["staff"]).get(reverse("supervision:delivery_file", args=[delivery.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_sections_are_bounded_in_size(unit_a, unit_b):
    make_fixture(unit_a, unit_b)
    report, _ = build_report(ReportKind.WEEKLY, day=AS_OF)
    assert ReportSection.objects.filter(report=report).count() == 2


@pytest.mark.django_db
def test_delivery_of_an_uploaded_stamped_copy_keeps_that_file(users, unit_a, unit_b):
    from tests.pdf import tiny_pdf

    report = _monthly(unit_a, unit_b)
    upload = SimpleUploadedFile("月报（盖章件）.pdf", tiny_pdf(), content_type="application/pdf")
    delivery = record_delivery(
        report,
        actor=users["office"],
        recipients=["市督改办"],
        delivered_on=date(2026, 6, 2),
        upload=upload,
        today=date(2026, 6, 3),
    )
    assert delivery.file_source == "uploaded" and delivery.original_name == "月报（盖章件）.pdf"
    assert (
        delivery.sha256
        == hashlib.sha256(tiny_pdf()).hexdigest()
        == hashlib.sha256(delivery.file.read()).hexdigest()
    )
