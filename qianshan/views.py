from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cases.domain import queries as case_queries
from org.permissions import access_of
from rectification.domain import queries as task_queries


@login_required
def home(request):
    """The signed-in user's to-do: their units' items due within 7 days, and overdue ones."""
    today = timezone.localdate()
    days = settings.DUE_SOON_DAYS
    cases = case_queries.for_list(case_queries.cases_visible_to(request.user))
    tasks = task_queries.for_list(task_queries.tasks_visible_to(request.user))
    overdue_cases = cases.filter(case_queries.overdue_q(today)).order_by("deadline", "pk")
    soon_cases = cases.filter(case_queries.due_soon_q(days, today)).order_by("deadline", "pk")
    overdue_tasks = tasks.filter(task_queries.overdue_task_q(today)).order_by("deadline", "pk")
    soon_tasks = tasks.filter(task_queries.due_soon_task_q(days, today)).order_by("deadline", "pk")
    limit = 20
    return render(
        request,
        "home.html",
        {
            "today": today,
            "days": days,
            "access": access_of(request.user),
            "sections": [
                ("逾期案件", "red", overdue_cases.count(), overdue_cases[:limit], "case", "overdue=true"),
                (f"{days}日内到期案件", "blue", soon_cases.count(), soon_cases[:limit], "case", ""),
                ("逾期整改任务", "red", overdue_tasks.count(), overdue_tasks[:limit], "task", "overdue=true"),
                (f"{days}日内到期整改任务", "blue", soon_tasks.count(), soon_tasks[:limit], "task", ""),
            ],
        },
    )
