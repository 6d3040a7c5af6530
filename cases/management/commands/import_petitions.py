"""python manage.py import_petitions FILE --inspection CODE [--batch N] [--dry-run] [--json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.domain.errors import DomainError
from cases.domain.importing import import_cases
from org.models import Inspection


class Command(BaseCommand):
    help = "导入督察组转办的信访举报件交办单（.xlsx）；有任何错误行则不保存任何内容。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--inspection", required=True, help="督察编号，如 C2")
        parser.add_argument("--batch", type=int, default=None, help="交办批次（表中无批次列时使用）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        inspection = Inspection.objects.filter(code=opts["inspection"]).first()
        if inspection is None:
            raise CommandError(f"没有编号为“{opts['inspection']}”的督察。")
        try:
            report = import_cases(
                path.read_bytes(), inspection, actor=None, batch=opts["batch"], dry_run=opts["dry_run"]
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        result = report.as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for e in result["errors"]:
                where = f"第 {e['row']} 行「{e['column']}」" if e["row"] else "文件"
                self.stdout.write(f"{where}：{e['message']}（值：{e['value']}）")
            verb = "检查" if opts["dry_run"] or result["errors"] else "导入"
            self.stdout.write(
                f"{verb}完成：新建 {result['created']}，更新 {result['updated']}，"
                f"未变 {result['unchanged']}，错误 {len(result['errors'])}"
                + ("（有错误，未保存任何内容）" if result["errors"] else "")
            )
        if result["errors"]:
            raise SystemExit(2)
