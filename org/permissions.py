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

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from .enums import READ_ALL_ROLES, UNIT_BOUND_ROLES, WRITE_ALL_ROLES, Role

_CACHE_ATTR = "_qianshan_access"


class Access:
    """What one signed-in user may do, computed once per request (one query)."""

    def __init__(self, user):
        self.user = user
        # (link table, side) → the ids scope_indexed resolved for this user's units: the figures of
        # one page (home, dashboard, case list, to-do) read each list once.
        self.linked_ids: dict[tuple[str, str], list[int]] = {}
        if not user.is_authenticated:
            self.roles, self.unit_ids, self.own_unit_ids = frozenset(), frozenset(), frozenset()
            return
        pairs, children = self._roles_and_unit_tree(user)
        self.roles = frozenset(role for role, _ in pairs)
        if user.is_superuser:
            self.roles |= {Role.ADMIN}
        self.own_unit_ids = frozenset(u for r, u in pairs if r in UNIT_BOUND_ROLES and u)
        self.unit_ids = frozenset(self._with_descendants(children, self.own_unit_ids))

    @staticmethod
    def _roles_and_unit_tree(user) -> tuple[list[tuple[str, int | None]], dict[int | None, list[int]]]:
        """The user's (role, unit id) pairs and the unit tree ({parent id: child ids}), read together
        in one UNION ALL: every page of every user asks for both, and the tree is a few dozen rows.
        A unit row has no role (NULL), a role row no parent."""
        from .models import Unit

        roles = user.role_assignments.order_by().values_list(
            "role", "unit_id", Value(None, output_field=IntegerField())
        )
        units = Unit.objects.order_by().values_list(Value(None, output_field=CharField()), "pk", "parent_id")
        pairs, children = [], {}
        for role, unit_id, parent_id in roles.union(units, all=True):
            if role is None:
                children.setdefault(parent_id, []).append(unit_id)
            else:
                pairs.append((role, unit_id))
        return pairs, children

    @staticmethod
    def _with_descendants(children: dict[int | None, list[int]], roots: frozenset) -> set[int]:
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


def _units_q(unit_ids: Iterable[int], unit_fields: Iterable[str], model, m2m_q) -> Q:
    """Rows whose unit fields name one of unit_ids: ``field IN units`` for a foreign key, and
    ``m2m_q(link table, its column of the row, the link rows of the units)`` for a many-to-many."""
    unit_ids = list(unit_ids)
    q = Q(pk__in=[])
    for field_name in unit_fields:
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            through = field.remote_field.through
            src, dst = field.m2m_field_name(), field.m2m_reverse_field_name()
            q |= m2m_q(through, src, through.objects.filter(**{f"{dst}__in": unit_ids}))
        else:
            q |= Q(**{f"{field_name}__in": unit_ids})
    return q


def _scoped(qs: QuerySet, user, unit_q) -> QuerySet:
    """All rows for the read-all roles, else the rows of ``unit_q(the user's units)``, else none."""
    access = access_of(user)
    if access.reads_all:
        return qs
    if not access.unit_ids:
        return qs.none()
    return qs.filter(unit_q(access))


def unit_filter(unit_ids: Iterable[int], unit_fields: Iterable[str], model) -> Q:
    """A Q that matches rows whose unit fields (FK or M2M) name one of unit_ids.

    M2M fields become an EXISTS subquery, so the result needs no DISTINCT and the row count
    of a list stays right.
    """
    return _units_q(
        unit_ids,
        unit_fields,
        model,
        lambda through, src, links: Q(Exists(links.filter(**{src: OuterRef("pk")}))),
    )


def scope(qs: QuerySet, user, *, unit_fields: Iterable[str]) -> QuerySet:
    """Rows of qs the user may see: all for read-all roles, else their units' rows, else none."""
    return _scoped(qs, user, lambda access: unit_filter(access.unit_ids, unit_fields, qs.model))


def indexed_unit_filter(
    unit_ids: Iterable[int], unit_fields: Iterable[str], model, *, cache: dict | None = None
) -> Q:
    """unit_filter's rows as plain ``IN`` lists: each M2M field is first resolved to the ids of the
    rows it links to the units (one query per M2M field). PostgreSQL answers ``a IN (…) OR pk IN
    (…)`` with one bitmap scan per index, where unit_filter's ``OR EXISTS`` makes it read every row
    of the table; for the figures of a large table (dashboard, home page, to-do).
    ``cache``: where the resolved lists are kept for the rest of the request (Access.linked_ids)."""

    def listed(through, src, links) -> Q:
        key = (through._meta.label_lower, src)
        linked = cache.get(key) if cache is not None else None
        if linked is None:
            linked = sorted(set(links.values_list(f"{src}_id", flat=True)))
            if cache is not None:
                cache[key] = linked
        return Q(pk__in=linked)

    return _units_q(unit_ids, unit_fields, model, listed)


class InIdArray(Func):
    """``field IN (subquery)``; on PostgreSQL ``field = ANY(ARRAY(subquery))``: the subquery runs
    once (an InitPlan) and its array is an index condition, so under an OR the branch joins a
    BitmapOr (``IN (subquery)`` there is a hashed SubPlan, a filter on every row)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, subquery: QuerySet):
        super().__init__(F(field), Subquery(subquery))

    def as_sql(self, compiler, connection, **extra_context):
        field, subquery = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        sub_sql, sub_params = compiler.compile(subquery)  # "(SELECT …)"
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (field_sql, sub_sql), [*field_params, *sub_params]


def inline_unit_filter(unit_ids: Iterable[int], unit_fields: Iterable[str], model) -> Q:
    """indexed_unit_filter's rows without its extra query: each M2M field is ``pk = ANY(ARRAY(the
    link table's rows of the units))`` (InIdArray), which PostgreSQL also ORs with the other
    branches' bitmap index scans; a list's query count then does not grow with the keyword."""
    return _units_q(
        unit_ids,
        unit_fields,
        model,
        lambda through, src, links: Q(InIdArray("pk", links.values(f"{src}_id"))),
    )


def scope_indexed(qs: QuerySet, user, *, unit_fields: Iterable[str]) -> QuerySet:
    """The rows of scope(qs, user, unit_fields=…), filtered with indexed_unit_filter (a unit user
    costs one query per M2M unit field more, whatever the number of rows)."""
    return _scoped(
        qs,
        user,
        lambda access: indexed_unit_filter(access.unit_ids, unit_fields, qs.model, cache=access.linked_ids),
    )


def scope_inline(qs: QuerySet, user, *, unit_fields: Iterable[str]) -> QuerySet:
    """The rows of scope(qs, user, unit_fields=…), filtered with inline_unit_filter: indexed like
    scope_indexed, without its extra query (for list pages, whose query count is fixed)."""
    return _scoped(qs, user, lambda access: inline_unit_filter(access.unit_ids, unit_fields, qs.model))


def scope_ids(qs: QuerySet, user, *, unit_fields: Iterable[str]) -> QuerySet | None:
    """The pks of scope(qs, user, unit_fields=…) as a subquery for ``…__in=``: one ``UNION ALL``
    of the indexed lookups of each unit field (FK: ``field IN units``, M2M: the link table), which
    PostgreSQL reads from indexes alone — never a scan of every row. None for a read-all user
    (no filter: every row)."""
    access = access_of(user)
    if access.reads_all:
        return None
    model, unit_ids, parts = qs.model, list(access.unit_ids), []
    if not unit_ids:
        return model._default_manager.none().values("pk")
    for field_name in unit_fields:
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            through = field.remote_field.through
            src, dst = field.m2m_field_name(), field.m2m_reverse_field_name()
            parts.append(through.objects.filter(**{f"{dst}__in": unit_ids}).values(f"{src}_id"))
        else:
            parts.append(model._default_manager.filter(**{f"{field_name}__in": unit_ids}).values("pk"))
    return parts[0].order_by().union(*(part.order_by() for part in parts[1:]), all=True)


def can_read_units(user, unit_ids: Iterable[int | None]) -> bool:
    access = access_of(user)
    return access.reads_all or bool(access.unit_ids.intersection(u for u in unit_ids if u))


def can_change_units(user, unit_ids: Iterable[int | None]) -> bool:
    """Change rights: admin/office everywhere; unit staff/heads in their units; others read only."""
    access = access_of(user)
    return access.writes_all or bool(access.unit_ids.intersection(u for u in unit_ids if u))
