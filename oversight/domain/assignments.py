"""分管副主任包部门 (正文六（二）): which leader answers for which units on a day.

A leader assigned to a unit answers for it and every unit below it (as "本单位" in the access rule).
Used by the notifications of warnings and supervision letters (the leader of the item's unit is told)
and by the leader's to-do (oversight/domain/todo.py).
"""

from datetime import date

from django.db.models import Q

from org.models import Unit, User

from ..models import LeaderAssignment


def active_q(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def _tree() -> tuple[dict[int, int | None], dict[int | None, list[int]]]:
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    return parents, children


def units_of_leader(user, day: date) -> set[int]:
    """The units ``user`` answers for on ``day``: the assigned ones and the units below them (2 queries)."""
    roots = set(LeaderAssignment.objects.filter(active_q(day), leader=user).values_list("unit_id", flat=True))
    if not roots:
        return set()
    _, children = _tree()
    found, stack = set(), list(roots)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


def leaders_by_unit(unit_ids, day: date) -> dict[int, list[User]]:
    """unit id → the active leaders answering for it on ``day`` (assigned to it or a unit above it);
    2 queries whatever the number of units."""
    unit_ids = {u for u in unit_ids if u}
    if not unit_ids:
        return {}
    assignments = list(
        LeaderAssignment.objects.filter(active_q(day), leader__is_active=True).select_related("leader")
    )
    if not assignments:
        return {}
    by_root: dict[int, dict[int, User]] = {}
    for a in assignments:
        by_root.setdefault(a.unit_id, {})[a.leader_id] = a.leader
    parents, _ = _tree()
    result: dict[int, list[User]] = {}
    for unit_id in unit_ids:
        leaders: dict[int, User] = {}
        seen, pk = set(), unit_id
        while pk is not None and pk not in seen:
            seen.add(pk)
            leaders.update(by_root.get(pk, {}))
            pk = parents.get(pk)
        if leaders:
            result[unit_id] = list(leaders.values())
    return result
