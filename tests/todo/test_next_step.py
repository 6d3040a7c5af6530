"""The 下一步 panel on case and task pages: what, who, by when, and the user's own control —
disabled with the reason the same way on both pages; nothing offered that the role cannot do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseState
from rectification.enums import TaskStatus
from tests.factories import CaseFactory, MeasureFactory, TaskFactory

pytestmark = pytest.mark.django_db


def panel(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="next-step"')
    return page[start : page.index("</section>", start)]


def test_task_complete_button_is_disabled_with_the_reason_before_the_click(client, users, unit_a):
    task = TaskFactory(lead_unit=unit_a, deadline=timezone.localdate() + timedelta(days=10))
    MeasureFactory(task=task, seq=1, done=False)
    client.force_login(users["staff"])
    html = panel(client.get(reverse("rectification:detail", args=[task.pk])))
    assert 'data-testid="step-complete" disabled' in html
    assert "暂不能整改完成：措施1尚未完成" in html
    assert "剩10天" in html and "牵头单位（甲单位）" in html
    # A read-only role gets no button at all, and is told who acts.
    client.force_login(users["leader"])
    html = panel(client.get(reverse("rectification:detail", args=[task.pk])))
    assert "step-complete" not in html and "此步由牵头单位（甲单位）办理" in html


def test_case_move_is_disabled_with_the_reason_and_enabled_when_ready(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=CaseState.INVESTIGATING)
    client.force_login(users["staff"])
    html = panel(client.get(reverse("cases:detail", args=[case.pk])))
    assert 'data-target="rectifying" disabled' in html
    assert "暂不能转为“整改中”：进入整改前须填写“是否属实”。" in html
    case.finding, case.investigation, case.plan = "true", "已查明", "限期整改"
    case.save()
    html = panel(client.get(reverse("cases:detail", args=[case.pk])))
    assert 'data-target="rectifying">' in html
    # Another unit's user never sees the case, and a reader gets no move.
    client.force_login(users["discipline"])
    html = panel(client.get(reverse("cases:detail", args=[case.pk])))
    assert "data-target" not in html and "此步由牵头责任单位（甲单位）办理" in html


def test_completed_case_links_to_apply_for_acceptance_for_its_unit_only(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=CaseState.COMPLETED)
    apply_url = reverse("acceptance:case", args=[case.pk])
    client.force_login(users["staff"])
    html = panel(client.get(reverse("cases:detail", args=[case.pk])))
    assert f'href="{apply_url}"' in html and "申请验收</a>" in html
    assert client.get(apply_url).status_code == 200  # the link leads to a page the user may open
    client.force_login(users["leader"])
    html = panel(client.get(reverse("cases:detail", args=[case.pk])))
    assert "申请验收</a>" not in html


def test_overdue_task_says_how_late(client, users, unit_a):
    task = TaskFactory(lead_unit=unit_a, deadline=timezone.localdate() - timedelta(days=3))
    client.force_login(users["head"])
    html = panel(client.get(reverse("rectification:detail", args=[task.pk])))
    assert "已逾期3天" in html


def test_filed_task_has_nothing_to_do(client, users, unit_a):
    task = TaskFactory(lead_unit=unit_a, status=TaskStatus.FILED)
    client.force_login(users["office"])
    html = panel(client.get(reverse("rectification:detail", args=[task.pk])))
    assert "已备案，本任务办理流程结束" in html and "<button" not in html


def test_scoring_pages_link_a_case_only_to_who_may_open_it(client, users, unit_a):
    from scoring.enums import SheetStatus
    from tests.scoring.helpers import case_in, make_sheet

    case = case_in(unit_a, 2025)
    sheet = make_sheet(case, unit_a, status=SheetStatus.SUBMITTED)
    case_url = reverse("cases:detail", args=[case.pk])
    sheet_url = reverse("scoring:sheet_detail", args=[sheet.pk])
    client.force_login(users["reviewer"])
    page = client.get(sheet_url).content.decode()
    assert case.receipt_no in page and f'href="{case_url}"' not in page
    assert client.get(case_url).status_code == 404  # why: the reviewer may not open it
    assert "导入评分表</a>" not in client.get(reverse("scoring:index") + "?year=2025").content.decode()
    client.force_login(users["staff"])
    assert f'href="{case_url}"' in client.get(sheet_url).content.decode()
    assert "导入评分表</a>" in client.get(reverse("scoring:index") + "?year=2025").content.decode()
