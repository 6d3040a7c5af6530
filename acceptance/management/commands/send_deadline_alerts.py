from datetime import date

from django.core.management.base import BaseCommand, CommandError

from acceptance.domain.alerts import send_deadline_alerts


class Command(BaseCommand):
    help = "扫描验收复核环节时限，向签字人和协调组办公室发送到期/逾期提醒（同一天重复运行不重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期扫描，格式 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期格式错误：{options['date']}，应为 YYYY-MM-DD。") from None
        result = send_deadline_alerts(today=today)
        self.stdout.write(f"提醒环节 {result.steps_alerted} 个，新建通知 {result.notifications} 条。")
