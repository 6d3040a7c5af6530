"""Public pages show no people; pages for signed-in users are not stored; the CSP allows only this site."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.enums import CaseState
from cases.models import PetitionCase
from org.models import User
from qianshan.common.privacy import mask_personal
from rectification.models import RectificationTask

ADDRESS = "南沙河路18号3单元502室"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", "--noinput", verbosity=0)


def public_pages(client) -> str:
    pages = [client.get("/public/cases/"), client.get("/public/tasks/")]
    for code in PetitionCase.objects.values_list("inspection__code", flat=True).distinct():
        pages.append(client.get(f"/public/cases/{code}/"))
    for pk in RectificationTask.objects.values_list("pk", flat=True):
        pages.append(client.get(f"/public/tasks/{pk}/"))
    assert all(p.status_code in (200, 404) for p in pages)
    assert sum(p.status_code == 200 for p in pages) > 3
    return "".join(p.content.decode() for p in pages)


@pytest.mark.django_db
def test_public_pages_contain_no_demo_person(demo):
    people = list(User.objects.exclude(full_name=""))
    # people's names, e-mails and a street address typed into the published free text
    person = people[1]
    PetitionCase.objects.filter(state__in=[CaseState.PUBLICIZED, CaseState.CLOSED, CaseState.FILED]).update(
        remarks=f"经办人{person.full_name}（{person.email}），现场：{ADDRESS}，举报人王先生"
    )
    RectificationTask.objects.update(problem=f"联系人 {person.email}，地址 {ADDRESS}，李女士反映")
    body = public_pages(Client())
    assert "＊＊＊" in body
    for user in people:
        assert user.full_name not in body, user.full_name
        assert user.email not in body, user.email
    for secret in ("南沙河路18号", "3单元", "502室", "王先生", "李女士"):
        assert secret not in body, secret


def test_mask_personal_masks_addresses_emails_and_forms_of_address():
    text = "李某（li@qianshan.example）住南沙河路18号3单元，张先生反映，大孤山镇，罚款2万元"
    # the street name goes with its number (the words just before it may too: masking more is safe)
    assert mask_personal(text, ["李某"]) == "＊＊＊（＊＊＊）＊＊＊，＊＊＊反映，大孤山镇，罚款2万元"


@pytest.mark.django_db
def test_pages_for_signed_in_users_are_no_store_and_public_ones_are_not(users, login):
    client = login(users["staff"])
    for url in ("/", reverse("cases:list"), reverse("notifications:list")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    public = Client().get("/public/cases/")
    assert "no-store" not in public.get("Cache-Control", "")


@pytest.mark.django_db
def test_content_security_policy_allows_only_this_site(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if "pdf" in path.parts:
            continue  # rendered by WeasyPrint, never served as a page
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(path.name)
    assert offenders == []
