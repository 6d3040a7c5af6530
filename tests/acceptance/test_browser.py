"""The sign-off in a real browser: an acceptance member signs online, the case's finding changes,
and the form page shows the signature void."""

import pytest

from acceptance.models import Signature
from cases.domain.services import update_case
from cases.enums import Finding


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_signs_opinion_then_finding_change_shows_signature_void(
    acceptance_form, users, completed_case, browser_login, screenshot
):
    page = browser_login(users["acceptor"].username)
    page.click("nav.mainnav >> text=验收复核")
    waiting = page.locator("[data-testid=waiting]")
    assert "D2LN202107160012" in waiting.inner_text()
    screenshot("acceptance-index-waiting")

    waiting.locator("text=去签字").first.click()
    assert "尚无人签字" in page.locator("[data-testid=sig-status]").inner_text()
    slot = acceptance_form.slots.get(user=users["acceptor"])
    page.fill(f"#pw-{slot.pk}", "wrong-password")
    page.click(f"[data-testid=sign-{slot.pk}]")
    assert "密码不正确，未签字。" in page.locator(".messages").inner_text()

    from tests.factories import PASSWORD

    page.fill(f"#pw-{slot.pk}", PASSWORD)
    page.click(f"[data-testid=sign-{slot.pk}]")
    sig = page.locator(f"[data-testid=sig-{slot.pk}]").first
    assert users["acceptor"].display_name in sig.inner_text()
    assert "sig-valid" in sig.get_attribute("class")
    assert Signature.objects.get(slot=slot).void is False
    screenshot("acceptance-form-signed")

    # The case's finding is changed through the case domain (as the case edit page does).
    update_case(completed_case, actor=users["office"], values={"finding": Finding.PARTLY_TRUE})
    page.reload()
    status = page.locator("[data-testid=sig-status]").inner_text()
    assert "签字已失效" in status
    sig = page.locator(f"[data-testid=sig-{slot.pk}]").first
    assert "sig-void" in sig.get_attribute("class")
    assert "案件“是否属实”" in sig.inner_text()
    assert Signature.objects.get(slot=slot).void is True
    screenshot("acceptance-form-signature-void")
