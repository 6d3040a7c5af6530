"""The home page's 待办事项: a registry of providers named in settings.TODO_PROVIDERS.

Each provider is a function ``todo_items(user, today) -> list[dict]`` in an app's domain/todo.py,
returning entries ``{"key", "label", "count", "url", "group"}``: ``url`` opens a list filtered to
exactly the rows ``count`` counts. A provider returns nothing for roles it has no work for. Adding
an app's entries is one line in settings; providers never import this module.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

KEYS = ("key", "label", "count", "url", "group")


@cache
def _provider(path: str):
    return import_string(path)


def todo_items(user, today) -> list[dict]:
    """Every provider's entries, in the settings' order (each checked for the shared keys)."""
    items = []
    for path in settings.TODO_PROVIDERS:
        for item in _provider(path)(user, today):
            missing = [k for k in KEYS if k not in item]
            if missing:
                raise ValueError(f"{path} 的待办条目缺少 {missing}")
            items.append(item)
    return items


def grouped(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """The entries by group, groups in the order they first appear."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["group"], []).append(item)
    return list(groups.items())
