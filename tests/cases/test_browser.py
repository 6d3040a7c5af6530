"""Browser: the office imports a transfer sheet (preview, confirm); unit staff take one of their new
cases to completed with a finding, progress and a photo; the office sees it so in the ledger."""

import io

import pytest
from openpyxl import load_workbook

from cases.enums import CaseState
from cases.models import PetitionCase
from tests.factories import InspectionFactory, UnitFactory

from .helpers import png_bytes, sheet_bytes

HEADERS = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "是否重点件",
    "交办日期",
    "牵头责任单位",
]
RECEIPT = "D2LN202107160099"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_handle_complete_and_export(page, browser_login, screenshot, users, unit_a, tmp_path):
    inspection = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    UnitFactory(name="大孤山镇", kind="region")
    sheet = tmp_path / "第3批交办单.xlsx"
    sheet.write_bytes(
        sheet_bytes(
            [
                [
                    1,
                    RECEIPT,
                    "某石材厂夜间生产，噪声和粉尘扰民",
                    "大孤山镇",
                    "噪声、扬尘",
                    "否",
                    "2021/7/16",
                    "甲单位",
                ],
                [
                    2,
                    "D2LN202107160100",
                    "某农家乐油烟直排",
                    "大孤山镇",
                    "油烟",
                    "否",
                    "2021年7月16日",
                    "甲单位",
                ],
            ],
            HEADERS,
        )
    )

    # 1. the office uploads, previews and confirms
    browser_login("office_u")
    page.goto(page.base_url + "/cases/import/")
    page.select_option("#id_inspection", str(inspection.pk))
    page.set_input_files("#id_file", str(sheet))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("[data-testid=import-summary]")
    assert page.inner_text("[data-testid=import-summary]").split()[:2] == ["2", "新建"]
    assert PetitionCase.objects.count() == 0
    screenshot("cases-import-preview")
    page.click("[data-testid=import-confirm]")
    page.wait_for_selector("text=导入完成：新建 2 件")
    screenshot("cases-import-done")
    page.context.clear_cookies()

    # 2. unit staff open their new case and take it to completed
    browser_login("staff_u")
    page.goto(page.base_url + "/cases/")
    page.click(f"text={RECEIPT}")
    page.click("text=编辑基本信息")
    page.fill("#id_handler", "李经办")
    page.fill("#id_standard", "噪声、粉尘达标，群众认可")
    page.fill("#id_deadline", "2021-09-30")
    page.click("button:has-text('保存')")
    page.click("button[data-target=investigating]")
    page.wait_for_selector("text=案件已转为“调查核实”")
    page.click("[data-testid=handling-link]")
    page.select_option("#id_finding", "true")
    page.fill("#id_investigation", "经现场核查，该厂夜间生产属实，噪声超标。")
    page.fill("#id_plan", "责令停止夜间生产，加装隔声设施。")
    page.click("button:has-text('保存')")
    page.click("button[data-target=rectifying]")
    page.wait_for_selector("text=案件已转为“整改中”")
    page.click("summary:has-text('记录进展')")
    page.fill("#id_text", "已加装隔声罩并停止夜间生产，现场复测达标。")
    page.set_input_files(
        "#id_files", files=[{"name": "整改后.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.click("button:has-text('保存进展')")
    screenshot("cases-progress-saved")
    page.wait_for_selector("text=进展已记录。")
    assert page.locator("[data-testid=progress] img.thumb").count() == 1
    page.click("[data-testid=handling-link]")
    page.fill("#id_handling", "已责令整改，隔声设施建成运行。")
    for name in (
        "points_investigated",
        "points_resolved",
        "violations_penalised",
        "accountability_done",
        "complainant_accepted",
    ):
        page.check(f"#id_{name}")
    page.fill("#id_completion_evidence", "现场照片、复测报告、群众签字")
    page.click("button:has-text('保存')")
    page.click("button[data-target=completed]")
    page.wait_for_selector("text=案件已转为“已办结”")
    assert page.inner_text("[data-testid=case-state]") == "已办结"
    screenshot("cases-completed-by-staff")
    page.context.clear_cookies()

    # 3. the office sees it completed in the ledger export
    browser_login("office_u")
    page.goto(page.base_url + f"/cases/?inspection={inspection.pk}")
    with page.expect_download() as download_info:
        page.click("[data-testid=ledger-export]")
    path = download_info.value.path()
    ws = load_workbook(io.BytesIO(path.read_bytes())).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    row = next(dict(zip(header, r, strict=True)) for r in rows[1:] if r[1] == RECEIPT)
    assert (row["当前环节"], row["办结状态"], row["是否属实"]) == ("已办结", "已办结", "属实")
    assert row["牵头责任单位"] == "甲单位" and row["具体负责人"] == "李经办"
    assert PetitionCase.objects.get(receipt_no=RECEIPT).state == CaseState.COMPLETED
    page.goto(page.base_url + f"/cases/{PetitionCase.objects.get(receipt_no=RECEIPT).pk}/")
    screenshot("cases-office-sees-completed")
