from django import template

from scoring.rules import fmt2

register = template.Library()


@register.filter
def scoring_fmt2(value) -> str:
    """An exact score shown with two decimals, half up."""
    return "—" if value is None else fmt2(value)
