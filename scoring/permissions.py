"""Who may do what in scoring (domain.md §8, §6 process).

Unit users score their units' cases (自评); the office and the review group review (复核); the
leadership group approves; the read-all roles read everything.
"""

from org.enums import Role
from org.permissions import access_of, can_change_units


def can_self_assess(user, unit_id: int) -> bool:
    """Fill in and submit the self-assessment of ``unit_id``'s sheets."""
    return can_change_units(user, [unit_id])


def can_review(user) -> bool:
    access = access_of(user)
    return access.writes_all or access.has(Role.REVIEW_MEMBER)


def can_approve(user) -> bool:
    access = access_of(user)
    return access.has(Role.LEADERSHIP, Role.ADMIN)


def can_publish(user) -> bool:
    return access_of(user).writes_all


def can_override(user) -> bool:
    access = access_of(user)
    return access.writes_all or access.has(Role.LEADERSHIP)


def reads_every_unit(user) -> bool:
    access = access_of(user)
    return access.reads_all or access.has(Role.REVIEW_MEMBER)
