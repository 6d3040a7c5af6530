from supervision.domain.jobs import run_report
from supervision.enums import ReportKind

from ._base import DatedCommand


class Command(DatedCommand):
    help = "生成周报（上一周）或月报（上一月）；同一周期重复运行不会重复生成。"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=[ReportKind.WEEKLY.value, ReportKind.MONTHLY.value], help="weekly 或 monthly"
        )
        super().add_arguments(parser)

    def handle(self, *args, **options):
        self.stdout.write(run_report(options["kind"], self.day(options)))
