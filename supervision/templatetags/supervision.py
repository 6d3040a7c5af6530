"""{% escalation_card item %}: the escalation history of a task or case, for its detail page.

The cases and rectification detail templates include ``supervision/includes/escalation.html``
with ``item``; the read goes through supervision.domain.queries (4 queries).
"""

from django import template
from django.urls import reverse

from cases.models import PetitionCase
from supervision.domain.queries import escalation_history

register = template.Library()


@register.inclusion_tag("supervision/includes/escalation_card.html")
def escalation_card(item):
    if isinstance(item, PetitionCase):
        return {
            "events": escalation_history(case=item),
            "page": reverse("supervision:item", args=["case", item.pk]),
        }
    return {
        "events": escalation_history(task=item),
        "page": reverse("supervision:item", args=["task", item.pk]),
    }
