"""{% task_list_approvals inspection %}: the meetings that approved rectification task lists, shown on
the task list (正文三（二）1: the list is approved at a 党工委/管委会 meeting)."""

from django import template

from org.permissions import access_of

from ..models import Meeting

register = template.Library()


@register.inclusion_tag("oversight/_task_list_approvals.html", takes_context=True)
def task_list_approvals(context, inspection=None):
    """One query whatever the list shows: the approvals of ``inspection``, or of every inspection
    when the list is not narrowed to one."""
    if getattr(inspection, "pk", None) is None:
        inspection = None  # the list is not narrowed to one inspection (or its filter was invalid)
    links = Meeting.approved_inspections.through.objects.select_related("meeting", "inspection")
    if inspection is not None:
        links = links.filter(inspection=inspection)
    rows = [
        (link.inspection, link.meeting)
        for link in links.order_by("meeting__held_on", "meeting_id", "inspection_id")
    ]
    user = context.get("user")
    return {"rows": rows, "can_open": user is not None and access_of(user).reads_all}
