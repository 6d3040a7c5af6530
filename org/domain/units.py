"""Finding a unit by the name people write: its full name, short name or a registered alias."""

from qianshan.common.sheets import normalise

from ..models import Unit


def unit_lookup() -> dict[str, Unit]:
    """Normalised name → active unit, in one query; the first unit (by sort order) wins a clash."""
    index: dict[str, Unit] = {}
    for unit in Unit.objects.filter(is_active=True).order_by("sort_order", "id"):
        for name in (unit.name, unit.short_name, *unit.alias_list()):
            if name:
                index.setdefault(normalise(name), unit)
    return index
