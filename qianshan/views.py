from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from cases.domain import queries as case_queries
from org.permissions import access_of
from rectification.domain import queries as task_queries

from .todo import grouped, todo_items

ROWS_SHOWN = 20


@login_required
def home(request):
    """The signed-in user's to-do: their units' items due within DUE_SOON_DAYS, and overdue ones.

    The four figures come from two aggregate queries with the status definitions of the cases
    and rectification apps; each card links to the list filtered with the same definition, so
    the list's total is the card's number. Each section shows its first ROWS_SHOWN rows.
    """
    today = timezone.localdate()
    days = settings.DUE_SOON_DAYS
    # Filtered on indexed columns (a unit user's scope as IN lists, not OR EXISTS): the counts read
    # the partial index of open cases, the rows its first entries by deadline.
    cases = case_queries.cases_for_figures(request.user)
    tasks = task_queries.tasks_visible_to(request.user)
    # overdue_q and due_soon_q are both open cases: count only those (COUNT of an indexed column).
    case_counts = (
        cases.filter(case_queries.open_case_q())
        .order_by()
        .aggregate(
            overdue=Count("state", filter=case_queries.overdue_q(today)),
            soon=Count("state", filter=case_queries.due_soon_q(days, today)),
        )
    )
    task_counts = tasks.order_by().aggregate(
        overdue=Count("pk", filter=task_queries.overdue_task_q(today)),
        soon=Count("pk", filter=task_queries.due_soon_task_q(days, today)),
    )
    case_rows = cases.select_related("lead_unit").order_by("deadline", "pk")
    task_rows = task_queries.annotate_schedule_status(tasks.select_related("lead_unit"), today).order_by(
        "deadline", "pk"
    )
    case_list, task_list = reverse("cases:list"), reverse("rectification:list")
    sections = [
        # (title, colour, figure, rows, kind, list link)
        (
            "逾期案件",
            "red",
            case_counts["overdue"],
            case_rows.filter(case_queries.overdue_q(today))[:ROWS_SHOWN],
            "case",
            f"{case_list}?overdue=true",
        ),
        (
            f"{days}日内到期案件",
            "blue",
            case_counts["soon"],
            case_rows.filter(case_queries.due_soon_q(days, today))[:ROWS_SHOWN],
            "case",
            f"{case_list}?due_soon=true",
        ),
        (
            "逾期整改任务",
            "red",
            task_counts["overdue"],
            task_rows.filter(task_queries.overdue_task_q(today))[:ROWS_SHOWN],
            "task",
            f"{task_list}?overdue=true",
        ),
        (
            f"{days}日内到期整改任务",
            "blue",
            task_counts["soon"],
            task_rows.filter(task_queries.due_soon_task_q(days, today))[:ROWS_SHOWN],
            "task",
            f"{task_list}?due_soon=true",
        ),
    ]
    return render(
        request,
        "home.html",
        {
            "today": today,
            "days": days,
            "access": access_of(request.user),
            "sections": sections,
            "todo_groups": grouped(todo_items(request.user, today)),
        },
    )


def favicon(request):
    """/favicon.ico, asked for by browsers on pages without an icon link (the admin, a PDF): the static file.

    Resolved per request, not at import, so the URLconf loads before ``collectstatic`` has run."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
