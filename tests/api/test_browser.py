"""Swagger UI in a real browser: served from static (no request leaves the server), it lists the
operations, and a signed-in person can call the API from it with the scope of their pages."""

import pytest

from tests.conftest import ARTIFACTS
from tests.factories import CaseFactory


def _shot(page, name):
    # The viewport only: the documentation pages are too long for a full-page capture.
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_runs_from_static_and_calls_the_api_with_the_session(users, unit_a, unit_b, browser_login):
    CaseFactory(lead_unit=unit_a, receipt_no="D2LN202107160001")
    CaseFactory(lead_unit=unit_b, receipt_no="D2LN202107160002")
    page = browser_login(users["staff"].username)
    outside = []  # requests that reached the network outside this server (blob: URLs are in-page)

    def _reached(request):
        if not request.url.startswith((page.base_url, "blob:")):
            outside.append(request.url)

    page.on("requestfinished", _reached)
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/events" in paths and "/api/v1/cases" in paths
    _shot(page, "api-swagger-ui")
    assert outside == []
    # the session's API answer: this person's cases only, as on the case list page
    body = page.evaluate("fetch('/api/v1/cases').then(r => r.json())")
    assert [row["receipt_no"] for row in body["results"]] == ["D2LN202107160001"]
    page.goto(page.base_url + "/api/v1/redoc")
    page.wait_for_selector("text=数据交换接口")
    _shot(page, "api-redoc")
    assert outside == []
