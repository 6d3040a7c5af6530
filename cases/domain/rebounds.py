"""反弹分类 (分类处置): the categories of the case and task rebound ledgers."""

from ..enums import REBOUND_CATEGORIES, REBOUND_DEFAULT
from ..models import ReboundCategory


def rebound_category(code: str = REBOUND_DEFAULT) -> ReboundCategory:
    """The built-in category ``code``, made from REBOUND_CATEGORIES if a flushed database lacks it."""
    name, description = REBOUND_CATEGORIES[code]
    order = list(REBOUND_CATEGORIES).index(code) + 1
    category, _ = ReboundCategory.objects.get_or_create(
        code=code,
        defaults={"name": name, "description": description, "sort_order": order, "is_builtin": True},
    )
    return category


def active_categories():
    """The categories a person may choose: the built-in ones (made if missing) and the active others."""
    for code in REBOUND_CATEGORIES:
        rebound_category(code)
    return ReboundCategory.objects.filter(is_active=True)
