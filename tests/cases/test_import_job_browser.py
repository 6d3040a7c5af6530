"""Browser: the office confirms a transfer sheet big enough for a background job; the job page's
bar reaches 100 % and the page shows what was created, with a link to the imported cases."""

import pytest

from cases.models import PetitionCase
from tests.factories import InspectionFactory, UnitFactory

from .helpers import sheet_bytes
from .test_import_job import LEAD, _rows


@pytest.mark.browser
@pytest.mark.worker
def test_office_confirms_a_big_transfer_sheet_and_sees_progress_then_the_result(
    celery_worker_live, page, browser_login, screenshot, users, settings, tmp_path
):
    settings.JOB_DIRECT_MAX_IMPORT_ROWS = 10
    UnitFactory(name="大孤山镇", kind="region")
    UnitFactory(name=LEAD)
    inspection = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    sheet = tmp_path / "第3批.xlsx"
    sheet.write_bytes(sheet_bytes(_rows(60)))
    browser_login("office_u")
    page.goto(page.base_url + "/cases/import/")
    page.select_option("select[name=inspection]", str(inspection.pk))
    page.set_input_files("input[name=file]", str(sheet))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-confirm]")
    page.click("[data-testid=import-confirm]")
    page.wait_for_url("**/jobs/*/")
    assert page.inner_text("h1") == "交办单确认导入"
    page.wait_for_selector("[data-testid=job-bar][aria-valuenow='100']")
    page.wait_for_selector("[data-testid=job-result]")
    assert "已处理 60 / 共 60 行" in page.inner_text("[data-testid=job]")
    assert "导入完成（第3批.xlsx）：新建 60 件，更新 0 件，未变 0 件。" in page.inner_text(
        "[data-testid=job-result]"
    )
    screenshot("import-confirm-job-done")
    page.click("text=查看结果")
    page.wait_for_url("**/cases/?inspection=*")
    assert PetitionCase.objects.filter(inspection=inspection).count() == 60
