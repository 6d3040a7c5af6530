from oversight.tasks import remind_discipline_inspection, remind_study
from supervision.management.commands._base import DatedCommand


class Command(DatedCommand):
    help = "履职提醒：党工委研究生态环境保护工作到期/逾期、本月尚无纪工委现场督查（可重复运行，不重复通知）。"

    def handle(self, *args, **options):
        day = self.day(options).isoformat()
        self.stdout.write(remind_study(day))
        self.stdout.write(remind_discipline_inspection(day))
