"""A unit user's scope is their units and every unit below them (org.permissions.Access reads the
roles and the unit tree in one query): a grandchild's case is theirs, a sibling's is a 404."""

import pytest

from cases.domain.queries import cases_visible_to
from org.enums import Role
from org.permissions import access_of
from tests.factories import CaseFactory, UnitFactory, user_with_role


@pytest.fixture
def tree(db):
    county = UnitFactory(name="县局")
    bureau = UnitFactory(name="县局执法大队", parent=county)
    squad = UnitFactory(name="县局执法大队一中队", parent=bureau)
    sibling = UnitFactory(name="邻县局")
    return {"county": county, "bureau": bureau, "squad": squad, "sibling": sibling}


@pytest.mark.django_db
def test_scope_is_the_units_and_every_unit_below(tree, django_assert_num_queries):
    staff = user_with_role(Role.UNIT_STAFF, tree["bureau"], username="bureau_staff")
    with django_assert_num_queries(1):
        access = access_of(staff)
    assert access.own_unit_ids == {tree["bureau"].pk}
    assert access.unit_ids == {tree["bureau"].pk, tree["squad"].pk}
    assert access.roles == {Role.UNIT_STAFF}
    top = user_with_role(Role.UNIT_HEAD, tree["county"], username="county_head")
    assert access_of(top).unit_ids == {tree["county"].pk, tree["bureau"].pk, tree["squad"].pk}
    office = user_with_role(Role.OFFICE, username="office_only")
    assert access_of(office).unit_ids == frozenset() and access_of(office).writes_all


@pytest.mark.django_db
def test_a_grandchild_units_case_is_seen_and_a_siblings_is_404(tree, client):
    mine = CaseFactory(lead_unit=tree["squad"], receipt_no="TREE-1")
    theirs = CaseFactory(lead_unit=tree["sibling"], receipt_no="TREE-2")
    cooperating = CaseFactory(
        lead_unit=tree["sibling"], cooperating_units=[tree["squad"]], receipt_no="TREE-3"
    )
    top = user_with_role(Role.UNIT_STAFF, tree["county"], username="county_staff")
    assert set(cases_visible_to(top).values_list("receipt_no", flat=True)) == {"TREE-1", "TREE-3"}
    client.force_login(top)
    listing = client.get("/cases/").content.decode()
    assert "TREE-1" in listing and "TREE-3" in listing and "TREE-2" not in listing
    assert client.get(f"/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/cases/{cooperating.pk}/").status_code == 200
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
