"""Phone cards of the case and task lists: the short "下一步" line each card ends with.

The line names what the item's current 环节 waits for (docs/rules.md §4 and §5); the item's own page
says who does it and offers the button. Unknown states give an empty string (the cell then hides).
"""

from django import template

register = template.Library()

CASE_NEXT = {
    "received": "调查核实",
    "investigating": "填写调查与办理情况",
    "rectifying": "报送整改进展，整改完成后办结",
    "reopened": "重新整改",
    "completed": "申请验收",
    "accepted": "验收复核",
    "reviewed": "公示",
    "publicized": "公示期满后销号",
    "closed": "备案",
    "filed": "复查回访",
}
TASK_NEXT = {
    "in_progress": "报送整改进展，完成措施",
    "reopened": "重新整改",
    "complete": "验收",
    "accepted": "公示",
    "publicized": "公示期满后销号",
    "closed": "备案",
    "filed": "巩固成效、防止反弹",
}


@register.filter
def case_next(state) -> str:
    return CASE_NEXT.get(str(state), "")


@register.filter
def task_next(status) -> str:
    return TASK_NEXT.get(str(status), "")


@register.filter
def at(values, index):
    """``headers|at:forloop.counter0``: the list item at ``index`` ("" past the end) — a card's field label."""
    try:
        return values[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""
