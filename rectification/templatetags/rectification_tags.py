"""Template helpers of the rectification app: the 三单预警 badge of a task."""

from django import template
from django.utils import timezone

from rectification.domain.queries import warning_of

register = template.Library()


@register.inclusion_tag("rectification/_warning.html")
def task_warning(task):
    """The schedule-status badge of a task fetched with annotate_schedule_status (e.g. for_list)."""
    today = timezone.localdate()
    label, colour = warning_of(task.schedule_status, task.deadline, today)
    return {"label": label, "colour": colour}
