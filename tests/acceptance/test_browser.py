"""The sign-off in a real browser: an acceptance member opens an incomplete opinion, sees the 签字
panel disabled with what is missing, fills the form (dates still shown after saving) and signs with
the password; the review is completed by signers of fitting units; both PDFs, read back with
pdftotext, show every date and opinion."""

from datetime import date

import pytest

from acceptance.domain import services
from acceptance.domain.signing import sign, verify_signatures
from acceptance.enums import SlotRole
from acceptance.models import Signature
from cases.domain.services import update_case
from cases.enums import Finding
from tests.factories import PASSWORD
from tests.pdf import pdf_text

from .conftest import REVIEW_SIGNERS, member


def _sign_panel(page):
    return page.locator("[data-testid=sign-panel]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_fills_an_incomplete_opinion_signs_and_the_review_chain_completes(
    opinion_unfilled, users, reviewers, industry_member, browser_login, screenshot, tmp_path
):
    form = opinion_unfilled
    slot = form.slots.get(user=users["acceptor"])
    page = browser_login(users["acceptor"].username)
    page.click("nav.mainnav >> text=验收复核")
    waiting = page.locator("[data-testid=waiting]")
    assert "D2LN202107160012" in waiting.inner_text()
    waiting.locator("text=去签字").first.click()

    # The fields come first, then the 签字 panel: disabled, with the missing list.
    body = page.content()
    assert body.index("填写表单") < body.index("签字背书")
    missing = page.locator("[data-testid=missing]").inner_text()
    for item in (
        "日期",
        "整改情况验收意见",
        "行政处罚情况验收意见",
        "群众满意情况验收意见",
        "责任追究情况验收意见",
    ):
        assert item in missing
    assert "验收标准逐项核对：第1项、第2项、第3项、第4项未填写" in missing
    assert page.is_disabled(f"[data-testid=sign-{slot.pk}]")
    assert len(page.locator("[data-testid=sha-short]").inner_text()) == 12
    screenshot("acceptance-form-incomplete")

    page.fill("#id_form_date", "2024-09-29")
    page.fill("#id_opinion_rectification", "扬尘治理设施已建成运行，现场无反弹。")
    page.fill("#id_opinion_penalty", "已立案处罚2万元，罚款已缴清。")
    page.fill("#id_opinion_satisfaction", "走访举报人及周边群众，均表示满意。")
    page.fill("#id_opinion_accountability", "不涉及责任追究。")
    for code in ("public_clean", "public_restored", "public_standard", "public_satisfied"):
        page.select_option(f"#id_met_{code}", "1")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=表单已保存。")
    assert page.locator("#id_form_date").input_value() == "2024-09-29"  # the saved date still shows
    assert page.locator("[data-testid=missing]").count() == 0
    assert page.is_enabled(f"[data-testid=sign-{slot.pk}]")
    summary = page.locator("[data-testid=sign-summary]").inner_text()
    assert "2024-09-29" in summary and "4/4 项已填写" in summary
    screenshot("acceptance-form-complete")

    page.fill(f"#pw-{slot.pk}", "wrong-password")
    page.click(f"[data-testid=sign-{slot.pk}]")
    assert "密码不正确，未签字。" in page.locator(".messages").inner_text()
    assert Signature.objects.count() == 0
    page.fill(f"#pw-{slot.pk}", PASSWORD)
    page.click(f"[data-testid=sign-{slot.pk}]")
    sig = page.locator(f"[data-testid=sig-{slot.pk}]").first
    assert users["acceptor"].display_name in sig.inner_text() and "sig-valid" in sig.get_attribute("class")
    screenshot("acceptance-form-signed")

    # The industry member signs; the acceptance passes; the review is applied for.
    form.refresh_from_db()  # filled in the browser
    sign(form.slots.get(user=industry_member), actor=industry_member, password=PASSWORD)
    step = services.decide_acceptance(
        form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
    )
    application = step.case.acceptance_steps.get(kind="review_application")
    review = services.apply_for_review(application, actor=users["staff"], applied_on=date(2024, 10, 8)).form
    for role, keys in REVIEW_SIGNERS:
        for key in keys:
            user, unit = reviewers[key]
            member(review, users["office"], user, role, unit)

    # The review leader fills the letter (五个不放过 included) and signs in the browser.
    page.context.clear_cookies()  # sign out
    page = browser_login(users["reviewer"].username)
    page.goto(f"{page.base_url}/acceptance/forms/{review.pk}/")
    assert "复核日期" in page.locator("[data-testid=missing]").inner_text()
    assert page.locator("#id_accepted_on").input_value() == "2024-09-30"
    page.fill("#id_reviewed_on", "2024-10-09")
    page.fill("#id_opinion_finding", "经复核，反映问题属实，定性准确。")
    page.fill("#id_opinion_rectification", "现场检查整改措施落实到位。")
    page.fill("#id_opinion_penalty", "行政处罚已履行到位。")
    page.fill("#id_opinion_satisfaction", "群众满意。")
    page.fill("#id_opinion_accountability", "不涉及应追责情形。")
    for code in ("facts", "rectified", "penalised", "accountable", "satisfied"):
        page.select_option(f"#id_met_{code}", "1")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=表单已保存。")
    assert page.locator("#id_reviewed_on").input_value() == "2024-10-09"
    leader = review.slots.get(role=SlotRole.LEADER)
    page.fill(f"#pw-{leader.pk}", PASSWORD)
    page.click(f"[data-testid=sign-{leader.pk}]")
    assert "sig-valid" in page.locator(f"[data-testid=sig-{leader.pk}]").first.get_attribute("class")
    screenshot("review-letter-leader-signed")

    for s in review.slots.exclude(pk=leader.pk).select_related("user"):
        sign(s, actor=s.user, password=PASSWORD)
    review.refresh_from_db()
    services.decide_review(review.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 10))
    assert verify_signatures(review).all_valid

    # Both PDFs, read back: every date and every opinion, no blank date.
    for form_pk, expected in (
        (
            form.pk,
            [
                "2024年9月29日",
                "扬尘治理设施已建成运行，现场无反弹。",
                "已立案处罚2万元，罚款已缴清。",
                "走访举报人及周边群众，均表示满意。",
                "不涉及责任追究。",
                "已消除污染",
            ],
        ),
        (
            review.pk,
            [
                "2024年9月30日",
                "2024年10月9日",
                "经复核，反映问题属实，定性准确。",
                "现场检查整改措施落实到位。",
                "行政处罚已履行到位。",
                "群众满意。",
                "不涉及应追责情形。",
                "问题不查清不放过",
            ],
        ),
    ):
        response = page.request.get(f"{page.base_url}/acceptance/forms/{form_pk}.pdf")
        assert response.ok
        path = tmp_path / f"form-{form_pk}.pdf"
        path.write_bytes(response.body())
        text = "".join(pdf_text(path).split())
        for item in expected:
            assert item in text, (form_pk, item)
        assert "____年__月__日" not in text and "草稿" not in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_finding_change_voids_the_signature_shown_on_reload(
    acceptance_form, users, completed_case, browser_login
):
    slot = acceptance_form.slots.get(user=users["acceptor"])
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    page = browser_login(users["acceptor"].username)
    page.goto(f"{page.base_url}/acceptance/forms/{acceptance_form.pk}/")
    assert "sig-valid" in page.locator(f"[data-testid=sig-{slot.pk}]").first.get_attribute("class")
    update_case(completed_case, actor=users["office"], values={"finding": Finding.PARTLY_TRUE})
    page.reload()
    assert "签字已失效" in page.locator("[data-testid=sig-status]").inner_text()
    sig = page.locator(f"[data-testid=sig-{slot.pk}]").first
    assert "sig-void" in sig.get_attribute("class") and "案件“是否属实”" in sig.inner_text()
    assert Signature.objects.get(slot=slot).void is True
