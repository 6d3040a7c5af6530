"""Read/write scopes per resource of an integration client (接口权限范围).

A scope is "<resource>:read" or "<resource>:write"; write implies read. A person signed in through
the browser (the Swagger UI) holds every scope: what they may do is then exactly what their pages
allow, because every API read and write goes through the same scoped queries and domain verbs.
"""

from django.db import models


class Resource(models.TextChoices):
    INSPECTIONS = "inspections", "督察轮次"
    CASES = "cases", "信访举报案件"
    TASKS = "tasks", "整改任务"
    ACCEPTANCE = "acceptance", "验收复核"
    SUPERVISION = "supervision", "预警与督办"
    REPORTS = "reports", "调度报告"
    SCORING = "scoring", "考核结果"
    EVENTS = "events", "变更事件"


# Resources that have writes at all (the others are read-only whatever the scope says).
WRITABLE = frozenset({Resource.CASES, Resource.TASKS})

SCOPE_CHOICES = [
    (f"{r.value}:{mode}", f"{r.label}：{'读取' if mode == 'read' else '写入'}")
    for r in Resource
    for mode in ("read", "write")
    if mode == "read" or r in WRITABLE
]
ALL_SCOPES = frozenset(value for value, _ in SCOPE_CHOICES)


def allows(scopes, resource: str, *, write: bool) -> bool:
    """Whether a client's scope list allows reading (or writing) ``resource``."""
    held = set(scopes or ())
    if f"{resource}:write" in held:
        return True
    return not write and f"{resource}:read" in held
