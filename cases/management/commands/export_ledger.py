"""python manage.py export_ledger OUT.xlsx [--inspection CODE] [--state S]"""

from django.core.management.base import BaseCommand, CommandError

from cases.enums import CaseState
from cases.exporters import ledger_sheet
from cases.models import PetitionCase
from org.models import Inspection
from qianshan.common.excel import write_xlsx


class Command(BaseCommand):
    help = "导出信访案件台账（.xlsx）。命令行导出为系统管理用途，包含全部案件。"

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--inspection", help="督察编号")
        parser.add_argument("--state", choices=CaseState.values, help="当前环节")

    def handle(self, *args, **opts):
        # The command line is the operator's tool (no signed-in user): every case, like the office sees.
        qs = PetitionCase.objects.all()
        if opts["inspection"]:
            inspection = Inspection.objects.filter(code=opts["inspection"]).first()
            if inspection is None:
                raise CommandError(f"没有编号为“{opts['inspection']}”的督察。")
            qs = qs.filter(inspection=inspection)
        if opts["state"]:
            qs = qs.filter(state=opts["state"])
        count = qs.count()
        write_xlsx([ledger_sheet(qs)], target=opts["out"])
        self.stdout.write(f"已导出 {count} 件案件到 {opts['out']}")
