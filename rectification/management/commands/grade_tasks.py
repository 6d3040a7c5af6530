"""``manage.py grade_tasks --year 2021 [--json]``: the four-level annual grade of every task in the database."""

import json

from django.core.management.base import BaseCommand

from rectification.domain.queries import graded_tasks
from rectification.grading import Grade
from rectification.models import RectificationTask


class Command(BaseCommand):
    help = "按评分标准一计算数据库中全部整改任务的年度考核等次"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        year = options["year"]
        rows = []
        for task in graded_tasks(RectificationTask.objects.order_by("inspection_id", "seq", "number"), year):
            if isinstance(task.grade, Grade):
                rows.append({"task": task.number, "grade": task.grade.label, "reason": task.grade.reason})
            else:
                rows.append({"task": task.number, "grade": None, "reason": task.grade})
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['task']}\t{row['grade'] or '未评定'}\t{row['reason']}")
