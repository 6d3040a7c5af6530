"""To-do entries of the assessment's consequences, for the home page's registry (TODO_PROVIDERS).

``todo_items(user, today)`` returns plain dicts; each ``count`` equals the rows of the list its
``url`` opens (the same query).
"""

from datetime import date

from django.urls import reverse

from ..enums import ReferralOutcome
from .queries import referrals_visible_to, unit_talks_in_state, unit_talks_visible_to
from .records import can_record_outcome


def todo_items(user, today: date) -> list[dict]:
    items = []
    talks = unit_talks_visible_to(user)
    overdue = unit_talks_in_state(talks, "overdue", today).count()
    open_ = unit_talks_in_state(talks, "open", today).count()
    base = reverse("scoring:talks")
    if open_:
        items.append(
            {
                "key": "scoring.unit_talks_open",
                "label": "约谈后限期整改（未完成）",
                "count": open_,
                "url": f"{base}?state=open",
                "group": "考核",
            }
        )
    if overdue:
        items.append(
            {
                "key": "scoring.unit_talks_overdue",
                "label": "约谈限期整改已逾期",
                "count": overdue,
                "url": f"{base}?state=overdue",
                "group": "考核",
            }
        )
    if can_record_outcome(user):
        pending = referrals_visible_to(user).filter(outcome=ReferralOutcome.PENDING).count()
        if pending:
            items.append(
                {
                    "key": "scoring.referrals_pending",
                    "label": "问责移送待反馈结果",
                    "count": pending,
                    "url": reverse("scoring:referrals") + "?outcome=pending",
                    "group": "考核",
                }
            )
    return items
