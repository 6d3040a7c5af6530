"""Every scoring page renders for the office with a sheet in both versions."""

import pytest

from scoring.enums import SheetVersion

from .helpers import case_in, make_sheet


@pytest.mark.django_db
def test_pages_render_for_office(login, users, unit_a):
    case = case_in(unit_a, 2025)
    own = make_sheet(case, unit_a)
    review = make_sheet(case, unit_a, version=SheetVersion.REVIEW, status="draft", plan_reviewed=False)
    client = login(users["office"])
    for url in [
        "/scoring/?year=2025",
        f"/scoring/sheets/{own.pk}/",
        f"/scoring/sheets/{review.pk}/",
        f"/scoring/sheets/{review.pk}/edit/",
        f"/scoring/units/{unit_a.pk}/2025/",
        "/scoring/2025/ranking.xlsx",
        "/scoring/2025/sheets.xlsx",
        "/scoring/2025/sheets.json",
        "/scoring/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
