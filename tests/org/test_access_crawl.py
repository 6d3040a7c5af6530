"""Every page of the demo, opened as every role: no 500, and no page shows a case the role may not see.

The office crawls the whole site from the home page; each other role then opens every URL the
office found. A page that opens (200) for a unit user must not name a case outside that user's
units (by its 受理编号) nor any complainant's contact; anonymous visitors reach only the login
and the public pages.
"""

import io
import re
from collections import defaultdict, deque

import pytest
from django.core.management import call_command
from django.test import Client

from acceptance.domain.queries import chain_cases_visible_to
from cases.domain.queries import cases_visible_to
from cases.models import PetitionCase
from org.models import User

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/logout/", "/admin/", "/static/", "/media/")
PER_ROUTE = 3  # a few instances of each route are enough to cover it
ROLES = ["staff", "staff2", "head", "acceptor", "reviewer", "discipline", "leader"]


def route_of(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def crawl(client: Client, limit: int = 600) -> list[str]:
    seen, per_route, queue = set(), defaultdict(int), deque(["/"])
    found = []
    while queue and len(found) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        route = route_of(url)
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(url)
        assert response.status_code != 500, url
        found.append(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(HREF.findall(response.content.decode()))
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        # the module's data goes away with the test database's next flush
        from django.core.management import call_command as cc

        cc("flush", "--noinput", verbosity=0)


@pytest.mark.django_db
def test_every_page_for_every_role_no_error_and_no_leak(demo):
    office = Client()
    office.force_login(User.objects.get(username="office"))
    urls = crawl(office)
    assert len(urls) > 60  # the crawl really walked the site
    all_cases = dict(PetitionCase.objects.values_list("pk", "receipt_no"))
    contacts = [c for c in PetitionCase.objects.values_list("complainant_contact", flat=True) if c]

    for username in ROLES:
        user = User.objects.get(username=username)
        # members of the acceptance and review teams also see the cases on forms assigned to them
        visible = set(cases_visible_to(user).values_list("pk", flat=True)) | set(
            chain_cases_visible_to(user).values_list("pk", flat=True)
        )
        forbidden = [no for pk, no in all_cases.items() if pk not in visible]
        client = Client()
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in {200, 302, 403, 404}, (username, url, response.status_code)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            body = response.content.decode()
            read_only = username in {"discipline", "leader", "acceptor", "reviewer"}
            if read_only or url.startswith("/public/"):
                assert not [c for c in contacts if c in body], (username, url)  # complainants' contacts
            if url.startswith("/public/"):
                continue  # published cases are public by design
            if username == "reviewer" and url.startswith("/scoring/"):
                continue  # the review group reviews every unit's sheets (scoring.permissions.reads_every_unit)
            leaked = [no for no in forbidden if no in body]
            assert leaked == [], (username, url, leaked[:3])

    anonymous = Client()
    for url in urls:
        response = anonymous.get(url)
        if url.startswith("/public/") or url.startswith("/login/"):
            assert response.status_code in {200, 404}, url
        else:
            assert response.status_code == 302 and response.url.startswith("/login/"), url
