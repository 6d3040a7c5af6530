"""Bad years and ids in scoring URLs and forms answer 404, never a server error (500)."""

from datetime import date

import pytest

from scoring.models import UnitAssessment
from scoring.params import YEAR_MAX, YEAR_MIN, default_year, id_param, year_param

from .helpers import case_in, make_sheet

BIG = 10**20  # more than a database integer holds


@pytest.mark.parametrize(
    "value", ["0", "99999", "1999", "2101", "-2025", "abc", "2025.0", "２０２５", "", None, 0]
)
def test_year_param_refuses_outside_2000_to_2100(value):
    from django.http import Http404

    with pytest.raises(Http404):
        year_param(value)


@pytest.mark.parametrize("value", ["2000", " 2025 ", "2100", 2025])
def test_year_param_accepts_2000_to_2100(value):
    assert YEAR_MIN <= year_param(value) <= YEAR_MAX
    assert year_param(value) == int(str(value).strip())


@pytest.mark.parametrize("value", ["x", "", None, "0", "-1", "1.5", str(BIG), 0])
def test_id_param_refuses_what_is_no_positive_id(value):
    from django.http import Http404

    with pytest.raises(Http404):
        id_param(value)


@pytest.mark.django_db
def test_bad_years_and_ids_in_urls_answer_404(login, users, unit_a):
    sheet = make_sheet(case_in(unit_a, 2025), unit_a)
    client = login(users["office"])
    urls = [
        "/scoring/?year=0",
        "/scoring/?year=99999",
        "/scoring/?year=abc",
        "/scoring/?year=1999",
        f"/scoring/units/{unit_a.pk}/0/",
        f"/scoring/units/{unit_a.pk}/99999/",
        f"/scoring/units/{BIG}/2025/",
        "/scoring/99999/ranking.pdf",
        "/scoring/0/ranking.pdf",
        "/scoring/0/ranking.xlsx",
        "/scoring/99999/ranking.xlsx",
        "/scoring/0/sheets.json",
        "/scoring/99999/sheets.xlsx",
        f"/scoring/sheets/{BIG}/",
        f"/scoring/sheets/{BIG}/edit/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in [
        f"/scoring/units/{unit_a.pk}/0/step/",
        f"/scoring/units/{unit_a.pk}/99999/events/new/",
        f"/scoring/units/{unit_a.pk}/99999/talks/new/",
        f"/scoring/units/{unit_a.pk}/99999/referrals/new/",
        f"/scoring/sheets/{BIG}/preview/",
        f"/scoring/sheets/{BIG}/review/",
        f"/scoring/sheets/{BIG}/return/",
    ]:
        assert client.post(url, {"to_state": "submitted"}).status_code == 404, url
    # nothing was created for a year that cannot exist
    assert not UnitAssessment.objects.exclude(year__range=(YEAR_MIN, YEAR_MAX)).exists()
    # the good ones still answer
    for url in ["/scoring/?year=2025", "/scoring/?year=", f"/scoring/units/{unit_a.pk}/2025/"]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/scoring/sheets/{sheet.pk}/").status_code == 200


@pytest.mark.django_db
def test_start_sheet_with_bad_case_or_locality_answers_404(login, users, unit_a):
    case = case_in(unit_a, 2025)
    client = login(users["staff"])
    for post in [
        {"case": "x", "locality": unit_a.pk},
        {"case": "", "locality": unit_a.pk},
        {"locality": unit_a.pk},
        {"case": str(BIG), "locality": unit_a.pk},
        {"case": case.pk, "locality": "x"},
        {"case": case.pk},
        {"case": case.pk, "locality": str(BIG)},
    ]:
        assert client.post("/scoring/sheets/start/", post).status_code == 404, post
    assert not case.scoring_sheets.exists()
    response = client.post("/scoring/sheets/start/", {"case": case.pk, "locality": unit_a.pk})
    assert response.status_code == 302


def test_default_year_is_the_previous_year_in_the_first_quarter_only():
    assert default_year(date(2026, 1, 1)) == 2025
    assert default_year(date(2026, 3, 31)) == 2025
    assert default_year(date(2026, 4, 1)) == 2026
    assert default_year(date(2026, 12, 31)) == 2026


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"), [("2026-03-31 12:00+08:00", 2025), ("2026-04-01 12:00+08:00", 2026)]
)
def test_scoring_page_opens_on_the_same_year_for_every_role(login, users, unit_a, today, expected):
    import time_machine

    # cases the unit users see in 2024 and 2026, none in 2025: no role's own years move the default
    case_in(unit_a, 2024)
    case_in(unit_a, 2026)
    with time_machine.travel(today, tick=False):
        for role in ("staff", "head", "office", "acceptor", "reviewer", "discipline", "leader", "admin"):
            response = login(users[role]).get("/scoring/")
            assert response.status_code == 200, role
            assert response.context["year"] == expected, role
            assert f'<option value="{expected}" selected>' in response.content.decode(), role
