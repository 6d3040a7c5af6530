"""千山督察整改案件管理系统 — the Django project package."""

from .celery import app as celery_app

__all__ = ("celery_app",)
