"""The shared page furniture of issue 13: filter chips, the menu button, favicon, public header,
labelled controls, contrast of the house colours and who sees 导入评分表.

The pages themselves at 390 and 1366 px are checked in tests/browser/test_every_page.py.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, InspectionFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_active_filters_show_as_chips_that_each_remove_their_filter(users, unit_a, client):
    inspection = InspectionFactory()
    CaseFactory(lead_unit=unit_a, inspection=inspection)
    client.force_login(users["office"])
    response = client.get(reverse("cases:list"), {"state": "rectifying", "overdue": "true", "page": "1"})
    html = response.content.decode()
    chips = re.findall(r'<a class="chip" href="\?([^"]*)"[^>]*>([^<]*)<', html)
    by_text = {text.strip(): query for query, text in chips}
    # the label and the chosen value as the list shows them, in Chinese
    assert "当前环节：整改中" in by_text and "逾期：是" in by_text
    # each chip's link keeps the other filter, drops its own and the page number
    assert by_text["当前环节：整改中"] == "overdue=true"
    assert by_text["逾期：是"] == "state=rectifying"
    # "全部" (unknown) and empty values are not active filters
    html = client.get(reverse("cases:list"), {"overdue": "unknown", "state": ""}).content.decode()
    assert 'data-testid="filter-chips"' not in html
    # the 筛选 button controls the form and starts hidden (shown by app.js; without it the form stays open)
    assert re.search(
        r'<button type="button" class="filter-toggle" aria-expanded="true" aria-controls="filters-list" hidden>',
        html,
    )
    assert 'id="filters-list"' in html


@pytest.mark.django_db
def test_menu_is_a_real_button_and_every_page_links_the_favicon(users, client):
    client.force_login(users["staff"])
    html = client.get(reverse("home")).content.decode()
    assert re.search(
        r'<button type="button" class="nav-toggle" aria-expanded="true" aria-controls="mainnav" hidden>菜单</button>',
        html,
    )
    assert '<nav class="mainnav" id="mainnav"' in html
    assert 'type="checkbox" id="nav-toggle"' not in html
    assert '<link rel="icon" href="/static/favicon.svg"' in html
    assert (ROOT / "static" / "favicon.svg").exists() and (ROOT / "static" / "favicon.ico").exists()
    # browsers that ask for /favicon.ico on their own are sent to the file
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"


@pytest.mark.django_db
def test_public_pages_have_their_own_header_leading_to_the_public_index(client):
    html = client.get(reverse("public_cases:index")).content.decode()
    assert '<a class="brand" href="/public/cases/">' in html
    assert 'href="/public/tasks/"' in html
    assert 'href="/login/"' not in html and "mainnav" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, sees",
    [
        ("office", True),
        ("staff", True),
        ("head", True),
        ("leader", False),
        ("discipline", False),
        ("acceptor", False),
    ],
)
def test_only_roles_that_may_import_see_the_import_button(role, sees, users, client):
    client.force_login(users[role])
    html = client.get(reverse("scoring:index")).content.decode()
    assert ('data-testid="import-sheets"' in html) is sees


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted([_luminance(fg.lstrip("#")), _luminance(bg.lstrip("#"))], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_meet_wcag_aa_on_their_backgrounds():
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--c-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    backgrounds = {"white": "#ffffff", "page": var["bg"], "table head": "#eef2f7", "overdue row": "#fff5f5"}
    for name in ("text", "muted", "primary", "red"):
        for where, bg in backgrounds.items():
            assert contrast(var[name], bg) >= 4.5, f"--c-{name} on {where}: {contrast(var[name], bg):.2f}"
    # the tags and state badges: text colour on its own tint
    pairs = [
        (var["red"], "#fdecea"),
        ("#8a6500", "#fff6d6"),
        (var["blue"], "#e3f0fb"),
        (var["green"], "#e6f4e7"),
        (var["grey-text"], "#eef0f2"),
        ("#4a5561", "#eef0f2"),
        ("#e8eef6", "#173d6b"),  # the top bar's links
    ]
    for fg, bg in pairs:
        assert contrast(fg, bg) >= 4.5, f"{fg} on {bg}: {contrast(fg, bg):.2f}"
