"""To-do entries of the oversight duties (the shared contract: ``todo_items(user, today)`` → dicts).

- a leader with assigned units (分管副主任包部门): the overdue tasks and cases, the unresolved red
  warnings and the unanswered supervision letters of those units;
- the 纪工委: referred clues whose outcome is not recorded yet.
Each ``count`` is the number of rows of the list its ``url`` opens (oversight:leader_items /
oversight:clues use the same querysets, ``leader_item_rows``).
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from cases.domain.queries import cases_visible_to, overdue_q
from org.enums import Role
from org.permissions import access_of
from rectification.domain.queries import overdue_task_q, tasks_visible_to
from supervision.domain.queries import letters_visible_to, open_warning_q, warnings_visible_to
from supervision.enums import LetterState, WarningLevel

from .access import clues_visible_to
from .assignments import units_of_leader

GROUP = "分管部门"

# key → (label, kind of row)
LEADER_LISTS = {
    "overdue_tasks": ("分管部门逾期整改任务", "task"),
    "overdue_cases": ("分管部门逾期信访案件", "case"),
    "red_warnings": ("分管部门未解除的红色预警", "warning"),
    "open_letters": ("分管部门未回复的督办函", "letter"),
}


def leader_item_rows(user, key: str, today: date, unit_ids=None) -> QuerySet:
    """The rows of one leader list: the user's scope ∩ the leader's units (lead unit of the item)."""
    units = list(units_of_leader(user, today) if unit_ids is None else unit_ids)
    if key == "overdue_tasks":
        return tasks_visible_to(user).filter(overdue_task_q(today), lead_unit_id__in=units)
    if key == "overdue_cases":
        return cases_visible_to(user).filter(overdue_q(today), lead_unit_id__in=units)
    if key == "red_warnings":
        return warnings_visible_to(user).filter(open_warning_q(), level=WarningLevel.RED, unit_id__in=units)
    if key == "open_letters":
        return letters_visible_to(user).filter(state=LetterState.ISSUED, unit_id__in=units)
    raise KeyError(key)


def pending_clues(user) -> QuerySet:
    return clues_visible_to(user).filter(outcome="")


def todo_items(user, today: date) -> list[dict]:
    access = access_of(user)
    items = []
    if access.has(Role.LEADERSHIP):
        units = units_of_leader(user, today)
        if units:
            for key, (label, _) in LEADER_LISTS.items():
                count = leader_item_rows(user, key, today, units).count()
                if count:
                    items.append(
                        {
                            "key": f"oversight:{key}",
                            "label": label,
                            "count": count,
                            "url": reverse("oversight:leader_items") + "?" + urlencode({"show": key}),
                            "group": GROUP,
                        }
                    )
    if access.has(Role.DISCIPLINE):
        count = pending_clues(user).count()
        if count:
            items.append(
                {
                    "key": "oversight:pending_clues",
                    "label": "移送问题线索待反馈处理结果",
                    "count": count,
                    "url": reverse("oversight:clues") + "?pending=1",
                    "group": "纪律监督",
                }
            )
    return items
