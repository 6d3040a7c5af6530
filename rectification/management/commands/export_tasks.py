"""``manage.py export_tasks OUT.xlsx [--inspection CODE]``: write the task list (整改清单) as .xlsx,
in the shape import_tasks reads back."""

from django.core.management.base import BaseCommand, CommandError

from org.models import Inspection
from qianshan.common.excel import write_xlsx
from rectification.exporters import task_list_sheet
from rectification.models import RectificationTask


class Command(BaseCommand):
    help = "导出整改清单为 .xlsx（每行一项措施）"

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.xlsx")
        parser.add_argument("--inspection", metavar="CODE")

    def handle(self, *args, **options):
        # A command-line export is an administrator's tool: every task, optionally of one inspection.
        tasks = RectificationTask.objects.all()
        if options["inspection"]:
            inspection = Inspection.objects.filter(code=options["inspection"]).first()
            if inspection is None:
                raise CommandError(f"找不到督察编号“{options['inspection']}”")
            tasks = tasks.filter(inspection=inspection)
        write_xlsx([task_list_sheet(tasks)], target=options["out"])
        self.stdout.write(f"已导出 {tasks.count()} 项任务到 {options['out']}")
