from supervision.domain.jobs import run_dispatch_daily

from ._base import DatedCommand


class Command(DatedCommand):
    help = "生成并发送按日调度（同一天重复运行不会重复生成）。"

    def handle(self, *args, **options):
        self.stdout.write(run_dispatch_daily(self.day(options)))
