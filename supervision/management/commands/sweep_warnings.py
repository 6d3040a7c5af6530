from supervision.domain.jobs import run_sweep_warnings

from ._base import DatedCommand


class Command(DatedCommand):
    help = "预警扫描：按整改时限和序时进度生成蓝、黄、红色预警（可重复运行）。"

    def handle(self, *args, **options):
        self.stdout.write(run_sweep_warnings(self.day(options)))
