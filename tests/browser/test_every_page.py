"""Every page of the demo, for every demo role, on a phone (390 px) and on a desktop (1366 px).

The pages are the ones a person reaches from the navigation — the main menu, the user menu, the
sub-menus and the action buttons of those pages (one instance per route) — plus a representative
detail page of each kind a list leads to (a case, a task, an acceptance chain and form, a scoring
sheet, a unit assessment, a letter, the public case and task pages). On each page, at both widths:

- the page never scrolls sideways (``scrollWidth <= innerWidth``): wide tables scroll in their box;
- no console error, no script error, no failed or 4xx/5xx resource (favicon included);
- every visible-or-not form control other than ``type=hidden`` has an accessible name (a
  <label>, ``aria-label`` or ``aria-labelledby`` with text).

Screenshots go to test-artifacts/every-page/ (full page at 390 px, first screen at 1366 px).
One browser, one signed-in context per role; the widths switch by resizing the viewport.
"""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from org.demo import DEMO_PASSWORD

from ..conftest import ARTIFACTS

SHOTS = ARTIFACTS / "every-page"
ROLES = ["admin", "office", "staff", "staff2", "head", "acceptor", "reviewer", "discipline", "leader"]
# while fixing one role's pages: EVERY_PAGE_ROLES=staff,public (the full run checks them all)
ONLY = [r for r in os.environ.get("EVERY_PAGE_ROLES", "").split(",") if r]
WIDTHS = [(390, 844), (1366, 800)]
# links the crawl does not open: sign-out, files (exports, PDFs, downloads) and the API's pages
SKIP = re.compile(
    r"/logout/|/static/|/media/|/api/|export|\.pdf|pdf/|/download|\.xlsx|\.json|\.zip|\.csv|/files?/|/admin/.+"
)
NAV_LINKS = "nav.mainnav a, .usermenu a, nav.subnav a, .actions a.button:not([target=_blank]):not([download])"

UNNAMED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => {
    const text = s => (s || '').trim().length > 0;
    if (text(el.getAttribute('aria-label'))) return false;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\\s+/).some(id => document.getElementById(id) && text(document.getElementById(id).textContent))) return false;
    if (el.labels && Array.from(el.labels).some(l => text(l.textContent))) return false;
    return true;
  })
  .map(el => el.outerHTML.slice(0, 160))"""

OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def route_of(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def details(user: str) -> list[str]:
    """A representative detail page of each kind, as this role can see it (None: nothing to show)."""
    from acceptance.domain.queries import chain_cases_visible_to
    from acceptance.models import OpinionForm, Step
    from cases.domain.queries import cases_visible_to
    from org.models import User
    from rectification.domain.queries import tasks_visible_to
    from scoring.models import ScoringSheet, UnitAssessment
    from supervision.models import Report, SupervisionLetter

    u = User.objects.get(username=user)
    pages = []
    case = cases_visible_to(u).order_by("pk").first()
    if case:
        pages += [f"/cases/{case.pk}/", f"/cases/{case.pk}/handling/"]
    task = tasks_visible_to(u).order_by("pk").first()
    if task:
        pages += [f"/tasks/{task.pk}/", f"/tasks/{task.pk}/progress/"]
    chain = chain_cases_visible_to(u).order_by("pk").first()
    if chain:
        pages.append(f"/acceptance/cases/{chain.pk}/")
        form = OpinionForm.objects.filter(step__case=chain).order_by("pk").first()
        if form:
            pages.append(f"/acceptance/forms/{form.pk}/")
    step = Step.objects.filter(case__receipt_no="D2LN202107160012").order_by("pk").first()
    if step and user in ("office", "acceptor"):
        pages.append(f"/acceptance/cases/{step.case_id}/")
        form = OpinionForm.objects.filter(step=step).order_by("pk").first()
        if form:
            pages.append(f"/acceptance/forms/{form.pk}/")
    sheet = ScoringSheet.objects.order_by("pk").first()
    if sheet:
        pages.append(f"/scoring/sheets/{sheet.pk}/")
    draft = ScoringSheet.objects.filter(version="self", status="draft").order_by("pk").first()
    if draft:
        pages.append(f"/scoring/sheets/{draft.pk}/edit/")
    assessment = UnitAssessment.objects.order_by("pk").first()
    if assessment:
        pages.append(f"/scoring/units/{assessment.unit_id}/{assessment.year}/")
    for report in Report.objects.order_by("pk"):  # the demo's daily, weekly and monthly report
        pages.append(f"/supervision/reports/{report.pk}/")
    letter = SupervisionLetter.objects.order_by("pk").first()
    if letter:
        pages.append(f"/supervision/letters/{letter.pk}/")
    return pages


class Watch:
    """Console errors, script errors and failed resources of the page being checked."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.document = ""
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"控制台错误：{m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"脚本错误：{e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request):
        # ERR_ABORTED: the next page's navigation cancelled a late request (a favicon); a missing
        # file is a 404 response, caught below
        if request.url != self.document and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"资源加载失败：{request.url} {request.failure}")

    def _response(self, response):
        if response.status >= 400 and response.url != self.document:
            self.problems.append(f"资源 {response.status}：{response.url}")

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


def check(page, watch, base, path, label, failures, visited, strict_status=True):
    before = len(failures)
    try:
        _check(page, watch, base, path, label, failures, visited, strict_status)
    finally:
        for line in failures[before:]:
            print(line, flush=True)


def _check(page, watch, base, path, label, failures, visited, strict_status):
    watch.document = base + path
    response = page.goto(base + path, wait_until="load")
    status = response.status if response else 0
    if status in (403, 404) and not strict_status:
        watch.take()
        return None
    if status != 200:
        failures.append(f"{label} {path}：返回 {status}")
        watch.take()
        return None
    visited.add((label.split("@")[0], route_of(path)))
    width = page.viewport_size["width"]
    scroll, inner = page.evaluate(OVERFLOW)
    if scroll > inner:
        failures.append(f"{label} {path}：页面横向溢出 {scroll} > {inner}")
    for control in page.evaluate(UNNAMED_CONTROLS):
        failures.append(f"{label} {path}：控件没有可访问名称 {control}")
    for problem in watch.take():
        failures.append(f"{label} {path}：{problem}")
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-") or "home"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{label.replace('@', '-')}-{slug}.png"), full_page=width < 900)
    return page


def phone_menu_and_filters(page, base):
    """On a phone the menu and the filters fold behind real buttons that the keyboard reaches."""
    page.goto(base + "/cases/?state=rectifying")
    menu, nav = page.locator("button.nav-toggle"), page.locator("nav.mainnav")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    page.keyboard.press("Tab")  # the brand link, then the menu button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
    toggle, form = page.locator("button.filter-toggle"), page.locator("form.filters")
    assert not form.is_visible() and "1" in toggle.inner_text()  # one active filter, counted on the button
    chip = page.locator("[data-testid=filter-chips] a.chip")
    assert chip.inner_text().startswith("当前环节：整改中")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and form.is_visible()
    chip.click()  # the chip removes its filter
    page.wait_for_url(lambda url: "state=" not in url)


def nav_links(page, base, public=False) -> list[str]:
    # a citizen's navigation is the public index: its links to a batch's table and to a task
    selector = "main a[href^='/public/']" if public else NAV_LINKS
    hrefs = page.eval_on_selector_all(selector, "els => els.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/") and not SKIP.search(h)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_every_role_phone_and_desktop(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    failures: list[str] = []
    visited: set[tuple[str, str]] = set()

    started = time.monotonic()
    for user in [*ROLES, ""]:
        if ONLY and (user or "public") not in ONLY:
            continue
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20000)
        watch = Watch(page)
        if user:
            page.goto(base + "/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
            watch.take()
        # the pages of the menus, one level deep (one instance of each route)
        pages, routes = [], set()
        start = ["/"] if user else ["/login/", "/public/cases/", "/public/tasks/"]
        for path in start:
            page.goto(base + path)
            for href in [path, *nav_links(page, base, public=not user)]:
                if route_of(href) not in routes:
                    routes.add(route_of(href))
                    pages.append(href)
        for path in list(pages):
            page.goto(base + path)
            for href in nav_links(page, base):
                if route_of(href) not in routes:
                    routes.add(route_of(href))
                    pages.append(href)
        watch.take()
        extra = [p for p in details(user) if route_of(p) not in routes] if user else []
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            label = f"{user or 'public'}@{width}"
            for path in pages:
                check(page, watch, base, path, label, failures, visited)
            for path in extra:
                check(page, watch, base, path, label, failures, visited, strict_status=False)
            if user == "staff" and width < 900:
                phone_menu_and_filters(page, base)
        context.close()
        print(
            f"{user or 'public'}: {len(pages) + len(extra)} 页 × 2 种宽度，累计 {time.monotonic() - started:.0f} 秒",
            flush=True,
        )

    report = "\n".join(failures)
    assert not failures, f"{len(failures)} 处问题：\n{report}"
    if ONLY:
        return
    # the walk really covered the site: every role saw its home and lists, the office every kind of page
    kinds = {route for who, route in visited if who == "office"}
    for route in (
        "/",
        "/cases/",
        "/tasks/",
        "/acceptance/",
        "/scoring/",
        "/supervision/",
        "/cases/N/",
        "/tasks/N/",
        "/acceptance/forms/N/",
        "/scoring/sheets/N/",
    ):
        assert route in kinds, route
    assert {route for who, route in visited if who == "public"} >= {"/public/cases/", "/public/tasks/N/"}
    assert len(visited) > 120
    assert Path(SHOTS).exists()
