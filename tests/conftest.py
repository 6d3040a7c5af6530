"""Shared fixtures: units, one user per role, a browser (Debian's Chromium) and a real Celery worker."""

import os
import shutil
from pathlib import Path

import pytest

from org.enums import Role

from .factories import PASSWORD, UnitFactory, user_with_role

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the lists' cached filter choices, qianshan/common/choices.py):
    a test's units are rolled back after it, the cache would keep their names."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="甲单位")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="乙单位")


@pytest.fixture
def users(db, unit_a, unit_b):
    """One user per role; unit-bound roles belong to unit A (staff_b to unit B)."""
    return {
        "admin": user_with_role(Role.ADMIN, username="admin_u"),
        "office": user_with_role(Role.OFFICE, username="office_u"),
        "staff": user_with_role(Role.UNIT_STAFF, unit_a, username="staff_u"),
        "head": user_with_role(Role.UNIT_HEAD, unit_a, username="head_u"),
        "staff_b": user_with_role(Role.UNIT_STAFF, unit_b, username="staff_b_u"),
        "acceptor": user_with_role(Role.ACCEPTANCE_MEMBER, username="acceptor_u"),
        "reviewer": user_with_role(Role.REVIEW_MEMBER, username="reviewer_u"),
        "discipline": user_with_role(Role.DISCIPLINE, username="discipline_u"),
        "leader": user_with_role(Role.LEADERSHIP, username="leader_u"),
    }


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- browser -----------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make test` (installs Debian's chromium as root).")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def browser_login(page):
    """browser_login(username) signs in through the real login form."""

    def _login(username, password=PASSWORD):
        page.goto(page.base_url + "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return _login


@pytest.fixture
def screenshot(page):
    """screenshot(name) saves a full-page PNG under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


# --- Celery ------------------------------------------------------------------------------------
@pytest.fixture
def celery_worker_live(transactional_db):
    """A real Celery worker (thread) on the configured broker: Redis in CI, filesystem otherwise."""
    from celery.contrib.testing.worker import start_worker

    from qianshan.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
    ) as worker:
        yield worker


# --- append-only logs ----------------------------------------------------------------------------
@pytest.fixture
def rewritable_logs(db):
    """Lets a test back-date log rows it set up (a transition "last May").

    On PostgreSQL the append-only triggers (qianshan/common/append_only.py) refuse any UPDATE of the
    transition and step logs; a test that builds history by moving a row's time drops them for its
    own duration and puts them back at teardown (inside the test's transaction, which then rolls
    back anyway). tests/common/test_append_only.py proves the triggers themselves.
    """
    from django.db import connection

    from qianshan.common.append_only import forward_sql, reverse_sql

    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            for statement in reverse_sql():
                cursor.execute(statement)
    yield
    if postgres:
        with connection.cursor() as cursor:
            for statement in forward_sql():
                cursor.execute(statement)
