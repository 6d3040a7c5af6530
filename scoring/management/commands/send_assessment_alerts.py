from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "发送考核日程提醒（与每天 08:10 的定时作业相同；重复运行不重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        from scoring.domain.calendar import send_calendar_alerts, send_talk_overdue_alerts

        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        self.stdout.write(
            f"考核日程提醒 {send_calendar_alerts(day)} 条，约谈整改逾期预警 {send_talk_overdue_alerts(day)} 条"
        )
