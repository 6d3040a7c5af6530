"""Browser: the office starts the full ledger export in the background, watches the progress bar
reach 100 %, downloads the file and reads it back."""

import pytest
from openpyxl import load_workbook

from cases.exporters import LEDGER_HEADERS
from tests.factories import InspectionFactory, UnitFactory

from .helpers import bulk_cases


@pytest.mark.browser
@pytest.mark.worker
def test_office_exports_full_ledger_in_background(
    celery_worker_live, page, browser_login, screenshot, users, unit_a, tmp_path
):
    bulk_cases(300, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory(name="丙单位"))
    browser_login("office_u")
    page.goto(page.base_url + "/cases/")
    page.click("[data-testid=ledger-export-job]")
    page.wait_for_url("**/jobs/*/")
    assert page.inner_text("h1") == "信访案件台账导出"
    # the vendored script updates the bar until the job is done; then the download link shows
    page.wait_for_selector("[data-testid=job-bar][aria-valuenow='100']")
    page.wait_for_selector("[data-testid=job-download]:visible")
    assert "已处理 300 / 共 300 行" in page.inner_text("[data-testid=job]")
    assert page.inner_text("[data-job=state_label]") == "已完成"
    screenshot("ledger-export-job-done")
    with page.expect_download() as info:
        page.click("[data-testid=job-download]")
    download = info.value
    assert download.suggested_filename.startswith("信访案件台账-")
    path = tmp_path / "ledger.xlsx"
    download.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == tuple(LEDGER_HEADERS) and len(rows) == 301
    assert rows[1][1] == "Q0000000" and rows[1][11] == "丙单位"
    # the notification bell links to the same file
    page.goto(page.base_url + "/notifications/")
    assert "信访案件台账导出已完成" in page.inner_text("main")
