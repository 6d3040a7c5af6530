"""{% task_list_approvals inspection %}: the meetings that approved rectification task lists, shown on
the task list and task pages (正文三（二）1: the list is approved at a 党工委/管委会 meeting)."""

from django import template

from org.permissions import access_of

from ..models import Meeting

register = template.Library()


@register.inclusion_tag("oversight/_task_list_approvals.html", takes_context=True)
def task_list_approvals(context, inspection=None):
    """One query (+1 prefetch) whatever the list shows: approvals of ``inspection``, or of every
    inspection when the list is not narrowed to one."""
    if getattr(inspection, "pk", None) is None:
        inspection = None  # the list is not narrowed to one inspection (or its filter was invalid)
    meetings = Meeting.objects.filter(approved_inspections__isnull=False)
    if inspection is not None:
        meetings = meetings.filter(approved_inspections=inspection)
    meetings = meetings.distinct().order_by("held_on", "id").prefetch_related("approved_inspections")
    rows = []
    for meeting in meetings:
        for approved in meeting.approved_inspections.all():
            if inspection is None or approved.pk == inspection.pk:
                rows.append((approved, meeting))
    user = context.get("user")
    return {"rows": rows, "can_open": user is not None and access_of(user).reads_all}
