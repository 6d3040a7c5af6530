"""待办事项 of rectification tasks (settings.TODO_PROVIDERS): tasks to move and progress reports
due for the units, overdue tasks for leaders and the discipline commission. Counts use the status
definitions of rectification.domain.queries; each links to the task list filtered the same way."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from org.enums import Role
from org.permissions import access_of

from .queries import open_task_q, overdue_task_q, tasks_visible_to, tasks_without_progress_since


def todo_items(user, today: date) -> list[dict]:
    access = access_of(user)
    unit_user = access.is_unit_user
    watcher = access.has(Role.LEADERSHIP, Role.DISCIPLINE)
    if not (unit_user or watcher):
        return []
    tasks = tasks_visible_to(user)
    counts = tasks.order_by().aggregate(
        open=Count("pk", filter=open_task_q()), overdue=Count("pk", filter=overdue_task_q(today))
    )
    url = reverse("rectification:list")
    items = []
    if unit_user:
        since = today - timedelta(days=settings.NO_PROGRESS_DAYS)
        items += [
            {
                "key": "tasks-open",
                "label": "待推进的整改任务（未完成）",
                "count": counts["open"],
                "url": f"{url}?finished=false",
                "group": "整改任务",
            },
            {
                "key": "tasks-progress-due",
                "label": f"待报进展（{settings.NO_PROGRESS_DAYS}日内未报进展）的整改任务",
                "count": tasks_without_progress_since(tasks, since).order_by().count(),
                "url": f"{url}?stale=1",
                "group": "整改任务",
            },
        ]
    if watcher:
        items.append(
            {
                "key": "tasks-overdue",
                "label": "逾期未完成的整改任务",
                "count": counts["overdue"],
                "url": f"{url}?overdue=true",
                "group": "整改任务",
            }
        )
    return items
