"""Template helpers of the rectification app: the 三单预警 badge of a task."""

from django import template
from django.utils import timezone

from rectification.domain.queries import schedule_of_task, warning_of

register = template.Library()


@register.inclusion_tag("rectification/_warning.html")
def task_warning(task):
    """The schedule-status badge of a task whose measures, milestones and targets are prefetched."""
    today = timezone.localdate()
    label, colour = warning_of(schedule_of_task(task, today), task.deadline, today)
    return {"label": label, "colour": colour}
