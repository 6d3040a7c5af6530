"""System checks of the production set-up (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def filesystem_broker_in_production(app_configs, **kwargs):
    """The embedded filesystem broker is for a one-machine demo: it loses a message a killed worker held."""
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://"):
        return [
            Warning(
                "后台作业使用的是内置的文件系统消息队列（未设置 REDIS_URL）。它只适用于本机演示：工作进程"
                "在执行中被终止时，已取走的作业会丢失。正式环境请设置 REDIS_URL。",
                id="qianshan.W001",
            )
        ]
    return []
