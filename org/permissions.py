"""The one access rule of the system (docs/rules.md §9), used by every list, detail, form and export.

- admin and the coordination office see and change everything;
- the discipline commission and leadership read everything;
- unit staff and unit heads see and change only their units' items (lead or cooperating),
  where "their units" is each unit named in a unit-bound role plus the units below it.

Other apps call ``scope(qs, user, unit_fields=...)`` on a queryset to get the rows the user may
see, and ``can_read(user, units)`` / ``can_change(user, units)`` on one object's units.
"""

import contextlib
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from .enums import READ_ALL_ROLES, UNIT_BOUND_ROLES, WRITE_ALL_ROLES, Role

_CACHE_ATTR = "_qianshan_access"


class Access:
    """What one signed-in user may do, computed once per request (two queries)."""

    def __init__(self, user):
        from .models import Unit

        self.user = user
        if not user.is_authenticated:
            self.roles, self.unit_ids, self.own_unit_ids = frozenset(), frozenset(), frozenset()
            return
        pairs = list(user.role_assignments.values_list("role", "unit_id"))
        self.roles = frozenset(role for role, _ in pairs)
        if user.is_superuser:
            self.roles |= {Role.ADMIN}
        self.own_unit_ids = frozenset(u for r, u in pairs if r in UNIT_BOUND_ROLES and u)
        self.unit_ids = frozenset(self._with_descendants(Unit, self.own_unit_ids))

    @staticmethod
    def _with_descendants(unit_model, roots: frozenset) -> set[int]:
        if not roots:
            return set()
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in unit_model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), list(roots)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, ()))
        return found

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    @property
    def writes_all(self) -> bool:
        return bool(self.roles & WRITE_ALL_ROLES)

    @property
    def is_unit_user(self) -> bool:
        return bool(self.roles & UNIT_BOUND_ROLES)


def access_of(user) -> Access:
    """The user's Access, cached on the user object for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = Access(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser: nothing worth caching
            setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_access(user) -> None:
    """Drop the cached Access (after roles change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def unit_filter(unit_ids: Iterable[int], unit_fields: Iterable[str], model) -> Q:
    """A Q that matches rows whose unit fields (FK or M2M) name one of unit_ids.

    M2M fields become an EXISTS subquery, so the result needs no DISTINCT and the row count
    of a list stays right.
    """
    unit_ids = list(unit_ids)
    q = Q(pk__in=[])
    for field_name in unit_fields:
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            through = field.remote_field.through
            src = field.m2m_field_name()
            dst = field.m2m_reverse_field_name()
            sub = through.objects.filter(**{src: OuterRef("pk"), f"{dst}__in": unit_ids})
            q |= Q(Exists(sub))
        else:
            q |= Q(**{f"{field_name}__in": unit_ids})
    return q


def scope(qs: QuerySet, user, *, unit_fields: Iterable[str]) -> QuerySet:
    """Rows of qs the user may see: all for read-all roles, else their units' rows, else none."""
    access = access_of(user)
    if access.reads_all:
        return qs
    if not access.unit_ids:
        return qs.none()
    return qs.filter(unit_filter(access.unit_ids, unit_fields, qs.model))


def can_read_units(user, unit_ids: Iterable[int | None]) -> bool:
    access = access_of(user)
    return access.reads_all or bool(access.unit_ids.intersection(u for u in unit_ids if u))


def can_change_units(user, unit_ids: Iterable[int | None]) -> bool:
    """Change rights: admin/office everywhere; unit staff/heads in their units; others read only."""
    access = access_of(user)
    return access.writes_all or bool(access.unit_ids.intersection(u for u in unit_ids if u))
