"""Finding a unit by the name people write (its full name, short name or a registered alias), and
the people of a set of units with given roles."""

from qianshan.common.sheets import normalise

from ..models import RoleAssignment, Unit


def unit_lookup() -> dict[str, Unit]:
    """Normalised name → active unit, in one query; the first unit (by sort order) wins a clash."""
    index: dict[str, Unit] = {}
    for unit in Unit.objects.filter(is_active=True).order_by("sort_order", "id"):
        for name in (unit.name, unit.short_name, *unit.alias_list()):
            if name:
                index.setdefault(normalise(name), unit)
    return index


def users_of_units(unit_ids, roles) -> dict[int, list]:
    """Active users holding one of ``roles`` in each unit: unit id → users, in one query."""
    by_unit: dict[int, dict] = {}
    rows = (
        RoleAssignment.objects.filter(
            unit_id__in=[u for u in unit_ids if u], role__in=list(roles), user__is_active=True
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    )
    for ra in rows:
        by_unit.setdefault(ra.unit_id, {})[ra.user_id] = ra.user
    return {unit_id: list(users.values()) for unit_id, users in by_unit.items()}


def unit_tags(codes) -> list:
    """The UnitTag rows of ``codes`` (org.enums.UnitTagCode), made with the enum's label where missing.

    The built-in kinds are seeded by a migration; a database emptied since (a flushed test database,
    a hand-cleaned table) gets them back here instead of silently tagging nothing.
    """
    from ..enums import UnitTagCode
    from ..models import UnitTag

    rows = []
    for order, code in enumerate(codes, start=1):
        tag, _ = UnitTag.objects.get_or_create(
            code=code, defaults={"name": UnitTagCode(code).label, "sort_order": 100 + order}
        )
        rows.append(tag)
    return rows
