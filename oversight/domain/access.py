"""Who sees and who writes the oversight records (docs/rules.md §11.6).

- admin, office, 纪工委 and 领导 read every record;
- a unit user sees the records that concern their units (a meeting or inspection naming the unit,
  a follow-up item of the unit, an assignment of the unit) — another unit's record is 404;
- admin and office write meetings, assignments and 专项督查; 纪工委 also writes its on-site
  inspections, their follow-up items, 专项督查 and the outcome of a referred clue.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from org.enums import Role
from org.permissions import access_of, unit_filter
from supervision.domain.queries import referrals_visible_to

from ..models import DisciplineInspection, FollowUpItem, LeaderAssignment, Meeting, SpecialInspection


def can_write_office_records(user) -> bool:
    """会议、分管关系: the office (and admin)."""
    return access_of(user).writes_all


def can_write_discipline_records(user) -> bool:
    """纪工委现场督查、专项督查、跟进事项、线索处理结果: the office, admin and 纪工委."""
    access = access_of(user)
    return access.writes_all or access.has(Role.DISCIPLINE)


def _by_units(qs: QuerySet, user, unit_fields, extra: Q | None = None) -> QuerySet:
    access = access_of(user)
    if access.reads_all:
        return qs
    if not access.unit_ids:
        return qs.none()
    q = unit_filter(access.unit_ids, unit_fields, qs.model)
    if extra is not None:
        q |= extra
    return qs.filter(q)


def meetings_visible_to(user) -> QuerySet:
    return _by_units(Meeting.objects.all(), user, ("units",))


def assignments_visible_to(user) -> QuerySet:
    return _by_units(LeaderAssignment.objects.all(), user, ("unit",))


def _follow_up_of_units(user, parent_field: str) -> Q:
    ids = list(access_of(user).unit_ids)
    return Q(Exists(FollowUpItem.objects.filter(**{parent_field: OuterRef("pk")}, unit_id__in=ids)))


def discipline_inspections_visible_to(user) -> QuerySet:
    qs = DisciplineInspection.objects.all()
    if access_of(user).reads_all:
        return qs
    return _by_units(qs, user, ("units",), _follow_up_of_units(user, "discipline_inspection"))


def special_inspections_visible_to(user) -> QuerySet:
    qs = SpecialInspection.objects.all()
    if access_of(user).reads_all:
        return qs
    return _by_units(qs, user, ("units",), _follow_up_of_units(user, "special_inspection"))


def follow_ups_visible_to(user) -> QuerySet:
    return _by_units(FollowUpItem.objects.all(), user, ("unit",))


def clues_visible_to(user) -> QuerySet:
    """移送问题线索: the supervision app's scope (the item's units), unchanged."""
    return referrals_visible_to(user)
