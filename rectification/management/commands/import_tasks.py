"""``manage.py import_tasks FILE --inspection CODE [--json]``: import the task list (整改清单) from .xlsx.

All or nothing: on any problem prints one Chinese line per problem (row and column named) to
stderr, saves nothing and exits 2. Re-importing the same file changes nothing.
"""

import json

from django.core.management.base import BaseCommand

from org.models import Inspection
from rectification.domain.imports import ImportErrors, import_task_list

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "从 .xlsx 导入整改清单（每行一项措施，按任务编号归并）"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--inspection", required=True, metavar="CODE", help="督察编号，例如 C2")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        inspection = Inspection.objects.filter(code=options["inspection"]).first()
        if inspection is None:
            self._fail([f"找不到督察编号“{options['inspection']}”"], options["json"])
        try:
            with open(options["file"], "rb") as handle:
                result = import_task_list(handle, inspection=inspection)
        except FileNotFoundError:
            self._fail([f"找不到文件：{options['file']}"], options["json"])
        except ImportErrors as refused:
            self._fail(refused.errors, options["json"])
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **result.as_dict()}, ensure_ascii=False))
            return
        self.stdout.write(
            f"导入完成：新建任务 {result.tasks_created} 项，更新 {result.tasks_updated} 项，未变 {result.tasks_unchanged} 项；"
            f"新建措施 {result.measures_created} 项，更新 {result.measures_updated} 项；"
            f"新建时间节点 {result.milestones_created} 个，删除 {result.milestones_deleted} 个。"
        )

    def _fail(self, lines, as_json):
        if as_json:
            self.stderr.write(json.dumps({"ok": False, "errors": lines}, ensure_ascii=False))
        else:
            for line in lines:
                self.stderr.write(line)
        raise SystemExit(EXIT_BAD_INPUT)
