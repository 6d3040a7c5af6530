"""待办事项 of warnings and supervision letters (settings.TODO_PROVIDERS): letters to answer for
the units, warnings to escalate for the office, red warnings and unanswered letters for leaders and
the discipline commission. Counts use supervision.domain.queries; links open the filtered lists."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from cases.domain.queries import case_ids_for_figures
from org.enums import Role
from org.permissions import access_of

from ..enums import LetterState, WarningLevel, WarningState
from .queries import letters_visible_to, open_warning_q, warnings_visible_to


def todo_items(user, today: date) -> list[dict]:
    access = access_of(user)
    unit_user = access.is_unit_user
    office = access.writes_all
    watcher = access.has(Role.LEADERSHIP, Role.DISCIPLINE)
    items = []
    if unit_user or watcher:
        items.append(
            {
                "key": "letters-issued",
                "label": "待回复的督办函",
                # the user's case ids read from indexes alone, not EXISTS over every case
                "count": letters_visible_to(user, case_ids=case_ids_for_figures(user))
                .filter(state=LetterState.ISSUED)
                .count(),
                "url": reverse("supervision:letters") + f"?state={LetterState.ISSUED}",
                "group": "预警督办",
            }
        )
    if office or watcher:
        counts = (
            warnings_visible_to(user)
            .order_by()
            .aggregate(
                open=Count("pk", filter=Q(state=WarningState.OPEN)),
                red=Count("pk", filter=open_warning_q() & Q(level=WarningLevel.RED)),
            )
        )
        url = reverse("supervision:warnings")
        if office:
            items.append(
                {
                    "key": "warnings-open",
                    "label": "待处理的预警（可下发督办函）",
                    "count": counts["open"],
                    "url": f"{url}?state={WarningState.OPEN}",
                    "group": "预警督办",
                }
            )
        if watcher:
            items.append(
                {
                    "key": "warnings-red",
                    "label": "未解除的红色预警",
                    "count": counts["red"],
                    "url": f"{url}?level={WarningLevel.RED}&state=unresolved",
                    "group": "预警督办",
                }
            )
    return items
