"""待办事项 of petition cases (settings.TODO_PROVIDERS). Counts use the status definitions of
cases.domain.queries and link to the case list filtered by the same definition."""

from datetime import date

from django.db.models import Count
from django.urls import reverse

from org.enums import Role
from org.permissions import access_of

from ..models import TransferSheetImport
from .queries import cases_for_figures, open_case_q, overdue_q, pending_import_q


def todo_items(user, today: date) -> list[dict]:
    access = access_of(user)
    unit_user = access.is_unit_user
    watcher = access.has(Role.LEADERSHIP, Role.DISCIPLINE)
    items = []
    if access.writes_all:
        items.append(
            {
                "key": "imports-confirm",
                "label": "待确认的交办单导入",
                "count": TransferSheetImport.objects.filter(pending_import_q()).count(),
                "url": reverse("cases:import") + "?todo=confirm",
                "group": "信访案件",
            }
        )
    if not (unit_user or watcher):
        return items
    # The open cases only (their partial index), the scope as indexed IN lists (cases_for_figures).
    counts = (
        cases_for_figures(user)
        .filter(open_case_q())
        .order_by()
        .aggregate(open=Count("state"), overdue=Count("state", filter=overdue_q(today)))
    )
    url = reverse("cases:list")
    if unit_user:
        items.append(
            {
                "key": "cases-open",
                "label": "待推进的信访案件（未办结）",
                "count": counts["open"],
                "url": f"{url}?finished=false",
                "group": "信访案件",
            }
        )
    if watcher:
        items.append(
            {
                "key": "cases-overdue",
                "label": "逾期未办结的信访案件",
                "count": counts["overdue"],
                "url": f"{url}?overdue=true",
                "group": "信访案件",
            }
        )
    return items
