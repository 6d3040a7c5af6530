"""Must show (issue 13): at 390 px wide, unit staff open their to-do list, open a case from it, add a
progress entry with two photos — the first try with one over the size limit lands on the error and
keeps the text — and move the case on from the 下一步 panel. Screenshots in test-artifacts/."""

import pytest
from PIL import Image

from cases.enums import AcceptanceCategory, CaseState, Finding
from cases.models import Attachment, PetitionCase
from tests.conftest import ARTIFACTS
from tests.factories import CaseFactory

from .photos import jpeg_with_exif, noisy_png

RECEIPT = "D2LN202107169001"
TEXT = "已拆除违建板房，现场复绿，群众认可。"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_todo_case_photos_and_next_step(page, browser_login, screenshot, users, unit_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 200 * 1024
    case = CaseFactory(
        lead_unit=unit_a,
        state=CaseState.RECTIFYING,
        receipt_no=RECEIPT,
        complaint="某农家乐在林地私搭板房",
        finding=Finding.TRUE,
        investigation="现场核实属实",
        plan="限期拆除并复绿",
        handling="已责令拆除",
        accountability="无",
        acceptance_category=AcceptanceCategory.PUBLIC_INTEREST,
        points_investigated=True,
        points_resolved=True,
        violations_penalised=True,
        accountability_done=True,
        complainant_accepted=True,
        completion_evidence="现场照片",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login("staff_u")

    # 1. the to-do list on the home page, and the case from it
    page.goto(page.base_url + "/")
    todo = page.locator("a[data-todo=cases-open]")
    assert todo.get_attribute("data-count") == "1"
    screenshot("phone-todo-home")
    todo.click()
    page.wait_for_selector("text=共 1 件")
    page.click(f"text={RECEIPT}")
    page.wait_for_selector("[data-testid=next-step]")
    # 办结 needs evidence first: the button is there, disabled, with the reason.
    done = page.locator("[data-testid=next-step] button[data-target=completed]")
    assert done.is_disabled()
    assert "办结须上传证据材料" in page.inner_text("[data-testid=next-step]")
    screenshot("phone-case-next-step-disabled")

    # 2. a progress entry with two photos, the first try with one over the limit
    page.click("summary:has-text('记录进展')")
    page.fill("#id_text", TEXT)
    page.select_option("#id_photo_stage", "after")
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "太大.png", "mimeType": "image/png", "buffer": noisy_png(1200, 900)},
            {"name": "近景.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()},
        ],
    )
    page.wait_for_selector("#id_files-status:has-text('已选择 2 个文件')")
    page.click("button:has-text('保存进展')")
    page.wait_for_selector("[data-field=files]")
    assert page.url.endswith("#progress-form")
    assert "超过大小限制（200 KB）" in page.inner_text("[data-field=files]")
    assert page.evaluate("document.activeElement.id") == "id_files"
    top = page.evaluate("document.querySelector('[data-field=files]').getBoundingClientRect().top")
    assert 0 <= top <= 844, top  # the error is on the screen, not 2 700 px below
    assert page.input_value("#id_text") == TEXT  # what was typed and chosen is kept
    assert page.input_value("#id_photo_stage") == "after"
    assert not Attachment.objects.filter(case=case).exists()
    screenshot("phone-progress-error")
    # What the phone shows on arrival: the error and the form, not the top of the page.
    page.screenshot(path=str(ARTIFACTS / "phone-progress-error-screen.png"))

    # the second try: a large camera photo (scaled down in the browser, EXIF kept) and a small one
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "远景.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif(size=(3200, 2400))},
            {
                "name": "近景.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_with_exif(taken="2026:11:27 09:00:00", lat=None),
            },
        ],
    )
    page.wait_for_selector("#id_files-status:has-text('已选择 2 个文件')")
    page.click("button:has-text('保存进展')")
    page.wait_for_selector("text=进展已记录。")
    photos = list(Attachment.objects.filter(case=case).order_by("original_name"))
    assert len(photos) == 2
    with photos[1].file.open("rb") as stored, Image.open(stored) as image:  # 远景 sorts after 近景
        assert max(image.size) == 2560, image.size
    assert photos[1].latitude is not None and photos[1].taken_at is not None  # EXIF survived
    facts = page.inner_text("[data-testid=progress]")
    assert "拍摄于 2026-11-28 14:03" in facts and "拍摄于 2026-11-27 09:00" in facts
    assert "纬度 41.091667" in facts
    page.locator("[data-testid=progress]").scroll_into_view_if_needed()
    screenshot("phone-progress-saved")

    # 3. the case moves on from the 下一步 panel; next it offers 申请验收
    page.click("[data-testid=next-step] button[data-target=completed]")
    page.wait_for_selector("text=案件已转为“已办结”")
    assert PetitionCase.objects.get(pk=case.pk).state == CaseState.COMPLETED
    assert "申请验收" in page.inner_text("[data-testid=next-step]")
    screenshot("phone-case-completed")
    page.locator("[data-testid=next-step]").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "phone-case-completed-screen.png"))
    page.click("[data-testid=next-step] a:has-text('申请验收')")
    page.wait_for_selector("button:has-text('申请验收')")
    assert "/acceptance/cases/" in page.url
