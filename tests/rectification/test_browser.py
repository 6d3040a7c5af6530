"""Unit staff in a real browser: a progress report with a photo, then an engineering measure
completed only once its completion-acceptance evidence is given."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from rectification.enums import MeasureKind
from rectification.models import Measure, ProgressReport
from tests.factories import MeasureFactory, MilestoneFactory, TaskFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_staff_reports_progress_and_completes_engineering_measure(
    users, unit_a, unit_b, browser_login, screenshot, tmp_path
):
    today = timezone.localdate()
    task = TaskFactory(
        lead_unit=unit_a,
        accepting_unit=unit_b,
        number="R2-02",
        problem="景区污水处理厂提标改造滞后",
        deadline=today + timedelta(days=40),
    )
    measure = MeasureFactory(task=task, seq=1, kind=MeasureKind.ENGINEERING, content="污水处理厂提标改造工程")
    MilestoneFactory(measure=measure, due=today - timedelta(days=2), description="主体完工")
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (320, 200), (40, 120, 60)).save(photo, format="JPEG")

    page = browser_login(users["staff"].username)
    page.goto(f"{page.base_url}/tasks/")
    assert page.locator("[data-testid=schedule-R2-02]").inner_text() == "滞后序时"
    screenshot("rectification-list-staff")

    page.click("text=R2-02")
    page.click("text=填报进展")
    page.fill("#id_percent", "80")
    page.fill("#id_text", "主体工程已完工，正在调试设备。")
    page.set_input_files("#id_files", str(photo))
    screenshot("rectification-progress-form")
    page.click("button:has-text('提交')")
    page.wait_for_selector("text=整改进展已填报。")
    timeline = page.locator("[data-testid=progress-list]")
    assert "主体工程已完工，正在调试设备。" in timeline.inner_text()
    assert "完成 80%" in timeline.inner_text()
    assert (
        page.locator("[data-testid=progress-list] img.thumb").evaluate(
            "img => img.complete ? img.naturalWidth : new Promise(r => { img.onload = () => r(img.naturalWidth); })"
        )
        == 320
    )
    screenshot("rectification-detail-with-progress")

    # Completing without the completion-acceptance evidence is refused, naming what is missing.
    page.click("[data-testid=complete-1]")
    page.fill("#id_works_finished_on", (today - timedelta(days=2)).isoformat())
    page.fill("#id_done_on", today.isoformat())
    page.click("button:has-text('确认完成')")
    error = page.locator(".error").first
    assert error.inner_text().strip() == "工程措施标记完成前须提供：竣工验收日期、竣工验收文件。"
    screenshot("rectification-complete-refused")
    assert Measure.objects.get(pk=measure.pk).done is False

    page.fill("#id_acceptance_on", today.isoformat())
    page.fill("#id_acceptance_document", "千景建验〔2021〕12号 竣工验收报告")
    page.click("button:has-text('确认完成')")
    page.wait_for_selector("text=措施1已标记完成。")
    cell = page.locator("[data-testid=measure-1-done]").inner_text()
    assert f"已完成（{today:%Y-%m-%d}）" in cell
    assert "千景建验〔2021〕12号 竣工验收报告" in cell
    screenshot("rectification-measure-completed")

    measure.refresh_from_db()
    assert (measure.done, measure.acceptance_on, measure.acceptance_document) == (
        True,
        today,
        "千景建验〔2021〕12号 竣工验收报告",
    )
    assert ProgressReport.objects.get().attachments.count() == 1
