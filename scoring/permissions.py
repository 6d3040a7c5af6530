"""Who may do what in scoring (docs/rules.md §9 and §8).

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


def can_import_sheets(user) -> bool:
    """Import self-assessment sheets: the units' own users (their sheets only, the import checks) and the office."""
    access = access_of(user)
    return access.writes_all or access.is_unit_user


def reads_every_unit(user) -> bool:
    access = access_of(user)
    return access.reads_all or access.has(Role.REVIEW_MEMBER)


def can_edit_sheet(user, sheet) -> bool:
    """The user's role lets them fill in ``sheet``: the unit's users a self-assessment, reviewers a review.

    Whether the sheet is still open (a draft, the assessment not yet past the step) is the
    domain's to say (``services.edit_refusal``); this is who, not when.
    """
    from .enums import SheetVersion

    if sheet.version == SheetVersion.SELF:
        return can_self_assess(user, sheet.locality_id)
    return can_review(user)
