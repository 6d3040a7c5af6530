"""Role × URL matrix: every page of the foundation for every role, including guessed ids."""

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, TaskFactory

ROLES = ["admin", "office", "staff", "head", "staff_b", "acceptor", "reviewer", "discipline", "leader"]
READ_ALL = {"admin", "office", "discipline", "leader"}
WRITE_ALL = {"admin", "office"}
UNIT_A = {"staff", "head"}


@pytest.fixture
def objects(users, unit_a, unit_b):
    return {
        "case_a": CaseFactory(lead_unit=unit_a),
        "case_b": CaseFactory(lead_unit=unit_b),
        "case_coop_a": CaseFactory(lead_unit=unit_b, cooperating_units=[unit_a]),
        "task_a": TaskFactory(lead_unit=unit_a),
        "task_b": TaskFactory(lead_unit=unit_b),
    }


def expected_read(role: str, obj_name: str) -> int:
    if role in READ_ALL:
        return 200
    owner_is_a = obj_name in {"case_a", "case_coop_a", "task_a"}
    if role in UNIT_A:
        return 200 if owner_is_a else 404
    if role == "staff_b":
        return 200 if obj_name in {"case_b", "case_coop_a", "task_b"} else 404
    return 404  # acceptance/review members see only what is assigned to them


def expected_edit(role: str, obj_name: str) -> int:
    read = expected_read(role, obj_name)
    if read == 404:
        return 404
    if role in WRITE_ALL or role in UNIT_A or role == "staff_b":
        return 200
    return 403  # discipline commission and leadership read only


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_every_url_and_role(role, users, objects, client):
    client.force_login(users[role])
    for name in ("home", "cases:list", "rectification:list", "notifications:list"):
        assert client.get(reverse(name)).status_code == 200, name
    for obj_name, obj in objects.items():
        app = "cases" if obj_name.startswith("case") else "rectification"
        detail = client.get(reverse(f"{app}:detail", args=[obj.pk]))
        assert detail.status_code == expected_read(role, obj_name), (obj_name, "detail")
        edit = client.get(reverse(f"{app}:edit", args=[obj.pk]))
        assert edit.status_code == expected_edit(role, obj_name), (obj_name, "edit")


@pytest.mark.django_db
def test_access_matrix_anonymous_is_sent_to_login(objects, client):
    for url in [reverse("home"), reverse("cases:list"), reverse("cases:detail", args=[objects["case_a"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_case_list_unit_staff_sees_only_own_units_cases(users, objects, client):
    client.force_login(users["staff"])
    listed = {c.pk for c in client.get(reverse("cases:list")).context["page"]}
    assert listed == {objects["case_a"].pk, objects["case_coop_a"].pk}


@pytest.mark.django_db
def test_case_guessed_id_of_other_unit_answers_404_without_content(users, objects, client):
    client.force_login(users["staff_b"])
    response = client.get(reverse("cases:detail", args=[objects["case_a"].pk]))
    assert response.status_code == 404
    assert objects["case_a"].receipt_no not in response.content.decode()


@pytest.mark.django_db
def test_transition_on_other_units_case_is_404_and_changes_nothing(users, objects, client):
    case = objects["case_a"]
    client.force_login(users["staff_b"])
    response = client.post(
        reverse("cases:transition", args=[case.pk]), {"to_state": "rectifying", "version": case.version}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "investigating"
