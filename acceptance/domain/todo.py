"""待办事项 of the acceptance chain (settings.TODO_PROVIDERS): forms waiting for my signature, the
open steps I take part in that are due, and — for the office — steps whose signers are not yet
assigned. Each count is the total of the list its link opens (the index's ?todo= filter)."""

from datetime import date

from django.urls import reverse

from org.enums import Role
from org.permissions import access_of

from . import queries
from .deadlines import Deadlines

SIGN, DUE, ASSIGN = "sign", "due", "assign"


def due_steps(user, today: date) -> list:
    """The open steps the user signs a form of, due today/tomorrow or overdue (Deadline.due_soon /
    overdue, in the configured calendar), oldest first; the calendar is read once."""
    deadlines = Deadlines(today=today)
    steps = deadlines.annotate(
        queries.chain_overview(queries.steps_i_take_part_in(user)).order_by("starts_on", "pk")
    )
    return [s for s in steps if s.deadline.overdue or s.deadline.due_soon]


def todo_rows(user, key: str, today: date) -> list:
    """The rows behind one to-do entry (the index shows them under ?todo=key)."""
    if key == DUE:
        return due_steps(user, today)
    if key == ASSIGN:
        return Deadlines(today=today).annotate(queries.chain_overview(queries.steps_without_signers()))
    return []


def todo_items(user, today: date) -> list[dict]:
    access = access_of(user)
    index = reverse("acceptance:index")
    items = []
    if access.has(Role.ACCEPTANCE_MEMBER, Role.REVIEW_MEMBER):
        items.append(
            {
                "key": "acceptance-sign",
                "label": "待我签字的表单",
                "count": queries.waiting_for_signature(user).count(),
                "url": f"{index}?todo={SIGN}",
                "group": "验收复核",
            }
        )
        items.append(
            {
                "key": "acceptance-due",
                "label": "我参与的验收复核环节今明两日到期或已逾期",
                "count": len(due_steps(user, today)),
                "url": f"{index}?todo={DUE}",
                "group": "验收复核",
            }
        )
    if access.writes_all:
        items.append(
            {
                "key": "acceptance-assign",
                "label": "待指定签字人的验收复核申请",
                "count": queries.steps_without_signers().count(),
                "url": f"{index}?todo={ASSIGN}",
                "group": "验收复核",
            }
        )
    return items
