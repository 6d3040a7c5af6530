"""python manage.py draw_rechecks --month 2021-08 [--seed S]  (or --date 2021-08-01: that day's month)"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from cases.domain.rechecks import draw_rechecks


class Command(BaseCommand):
    help = "抽取当月复查回访案件（10%，向上取整）；同一月份再次抽取返回已记录的结果。"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--month", help="月份，如 2021-08")
        # --date, as every scheduled job's command takes: the month of that day (the beat draws on the 1st).
        which.add_argument("--date", help="日期，如 2021-08-01（抽取该日所在月份）")
        parser.add_argument("--seed", type=int, default=None, help="随机种子（不填则随机生成并记录）")

    def handle(self, *args, **opts):
        if opts["date"]:
            try:
                month = datetime.strptime(opts["date"], "%Y-%m-%d").date().replace(day=1)
            except ValueError as exc:
                raise CommandError(f"日期“{opts['date']}”格式不对，应为 YYYY-MM-DD。") from exc
        else:
            try:
                month = datetime.strptime(opts["month"], "%Y-%m").date()
            except ValueError as exc:
                raise CommandError(f"月份“{opts['month']}”格式不对，应为 YYYY-MM。") from exc
        draw = draw_rechecks(month, seed=opts["seed"])
        if opts["seed"] is not None and draw.seed != opts["seed"]:
            self.stdout.write(
                f"注意：{draw} 已于 {draw.drawn_at:%Y-%m-%d} 抽取，种子为 {draw.seed}，返回已记录的结果。"
            )
        self.stdout.write(
            f"{draw} 复查回访抽样：可抽 {draw.population_size} 件，抽取 {draw.sample_size} 件，种子 {draw.seed}"
        )
        for visit in draw.visits.select_related("case__inspection"):
            self.stdout.write(
                f"{visit.order}. {visit.case.receipt_no}（{visit.case.inspection.name}，第 {visit.cycle} 轮）"
            )
