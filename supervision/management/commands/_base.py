from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class DatedCommand(BaseCommand):
    """A scheduled job run by hand: ``--date YYYY-MM-DD`` (default today, Asia/Shanghai)."""

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="按哪一天运行，格式 YYYY-MM-DD，默认今天")

    def day(self, options) -> date:
        if not options.get("day"):
            return timezone.localdate()
        try:
            return date.fromisoformat(options["day"])
        except ValueError as exc:
            raise CommandError(f"日期格式不正确：{options['day']}（应为 YYYY-MM-DD）") from exc
