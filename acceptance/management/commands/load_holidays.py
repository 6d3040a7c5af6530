from django.core.management.base import BaseCommand

from acceptance.calendar import covered_years
from acceptance.domain.holidays import prefill_official_holidays


class Command(BaseCommand):
    help = "从 chinesecalendar 预填法定节假日和调休工作日（只新增，不改动管理员已录入的日期）。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份（默认：该包覆盖的全部年份）")

    def handle(self, *args, **options):
        years = options["years"] or list(covered_years())
        created = prefill_official_holidays(years)
        self.stdout.write(f"新增节假日/调休 {created} 条（{min(years)}–{max(years)}）。")
