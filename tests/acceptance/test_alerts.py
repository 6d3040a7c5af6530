import io
from datetime import date

import pytest
from django.core.management import call_command

from acceptance.domain import services
from acceptance.domain.alerts import send_deadline_alerts
from notifications.models import Notification

from .conftest import APPLIED, fill_acceptance, member


@pytest.mark.django_db
def test_alert_due_soon_goes_to_signers_and_office(acceptance_form, users, industry_member):
    # Applied 2024-09-27, due 10-04 in calendar days: 10-03 is one day before.
    result = send_deadline_alerts(today=date(2024, 10, 3))
    assert (result.steps_alerted, result.notifications) == (1, 3)
    recipients = set(
        Notification.objects.filter(kind="deadline_alert").values_list("recipient__username", flat=True)
    )
    assert recipients == {"office_u", "acceptor_u", "industry_u"}
    note = Notification.objects.filter(kind="deadline_alert").first()
    assert note.title == "D2LN202107160012 组织验收明日到期"


@pytest.mark.django_db
def test_alert_overdue_and_not_before_window(acceptance_form, users):
    assert send_deadline_alerts(today=date(2024, 10, 2)).notifications == 0
    send_deadline_alerts(today=date(2024, 10, 6))
    titles = set(Notification.objects.values_list("title", flat=True).filter(kind="deadline_alert"))
    assert titles == {"D2LN202107160012 组织验收已逾期2天"}


@pytest.mark.django_db
def test_alert_twice_same_day_sends_nothing_new(acceptance_form, users):
    first = send_deadline_alerts(today=date(2024, 10, 6))
    second = send_deadline_alerts(today=date(2024, 10, 6))
    assert (first.notifications, second.notifications) == (3, 0)
    assert send_deadline_alerts(today=date(2024, 10, 7)).notifications == 3  # a new day, a new alert


@pytest.mark.django_db
def test_alert_command_with_date(acceptance_form, users):
    out = io.StringIO()
    call_command("send_deadline_alerts", "--date", "2024-10-06", stdout=out)
    assert out.getvalue().strip() == "提醒环节 1 个，新建通知 3 条。"


@pytest.mark.django_db
def test_alert_command_rejects_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式错误"):
        call_command("send_deadline_alerts", "--date", "2024-13-01")


def test_alert_task_on_real_worker_is_idempotent(celery_worker_live, django_db_blocker):
    """The beat's task, run twice on a real worker for the same day, notifies once."""
    from acceptance.tasks import send_deadline_alerts as task
    from org.enums import Role
    from tests.factories import user_with_role

    with django_db_blocker.unblock():
        from acceptance.domain import services
        from acceptance.enums import SlotRole
        from cases.enums import CaseState
        from org.enums import UnitKind
        from org.enums import UnitTagCode as T
        from tests.factories import CaseFactory, UnitFactory

        from .conftest import tagged_unit

        locality = tagged_unit("实跑地方", T.PARTY_GOVERNMENT, kind=UnitKind.REGION)
        unit = UnitFactory(name="实跑单位", parent=locality)
        office = user_with_role(Role.OFFICE, username="office_live")
        member = user_with_role(Role.ACCEPTANCE_MEMBER, username="member_live")
        case = CaseFactory(lead_unit=unit, state=CaseState.COMPLETED, receipt_no="LIVE-001")
        step = services.apply_for_acceptance(case, actor=office, applied_on=APPLIED)
        services.assign_signer(step.form, actor=office, user=member, role=SlotRole.LEADER, unit=locality)
    first = task.delay("2024-10-06").get(timeout=30)
    second = task.delay("2024-10-06").get(timeout=30)
    assert first == {"steps_alerted": 1, "notifications": 2}
    assert second == {"steps_alerted": 0, "notifications": 0}
    with django_db_blocker.unblock():
        assert Notification.objects.filter(kind="deadline_alert").count() == 2


def _open_steps(n, users, industry_member, unit_a, unit_b, city):
    """``n`` open acceptance steps (one slot signed) and ``n`` open review applications, each case
    with a cooperating unit."""
    from acceptance.domain.signing import sign
    from acceptance.enums import SlotRole, StepKind
    from acceptance.models import Step
    from cases.enums import CaseState
    from tests.factories import PASSWORD, CaseFactory

    for i in range(n):
        case = CaseFactory(
            lead_unit=unit_a,
            cooperating_units=[unit_b],
            state=CaseState.COMPLETED,
            receipt_no=f"QA-{i}",
            acceptance_category="nearby",
        )
        form = services.apply_for_acceptance(case, actor=users["office"], applied_on=APPLIED).form
        slot = member(form, users["office"], users["acceptor"], SlotRole.LEADER, city["locality"])
        member(form, users["office"], industry_member, SlotRole.INDUSTRY_MEMBER, city["housing"])
        fill_acceptance(form, users["office"])
        sign(slot, actor=users["acceptor"], password=PASSWORD)
        accepted = CaseFactory(
            lead_unit=unit_a, cooperating_units=[unit_b], state=CaseState.ACCEPTED, receipt_no=f"QR-{i}"
        )
        Step.objects.create(case=accepted, kind=StepKind.REVIEW_APPLICATION, starts_on=APPLIED)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_alert_scan_query_count_does_not_grow_with_steps(
    n, users, industry_member, unit_a, unit_b, city, django_assert_num_queries
):
    _open_steps(n, users, industry_member, unit_a, unit_b, city)
    with django_assert_num_queries(7):  # nothing due yet: read and verify only
        assert send_deadline_alerts(today=date(2024, 9, 28)).notifications == 0
    first = send_deadline_alerts(today=date(2024, 10, 6))
    # office + leader + industry member; office + staff, head (unit_a) + staff_b (unit_b)
    assert (first.steps_alerted, first.notifications) == (2 * n, 7 * n)
    with django_assert_num_queries(8):  # the same day again: nothing new, no insert tried
        second = send_deadline_alerts(today=date(2024, 10, 6))
    assert (second.steps_alerted, second.notifications) == (0, 0)
