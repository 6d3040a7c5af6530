import time

from django.core.management.base import BaseCommand, CommandError

from org.load_data import RealDataPresent, generate


class Command(BaseCommand):
    help = (
        "生成压力测试数据：N 件信访案件（状态、时限、进展、证据、评分表等分布接近真实）和 M 项整改任务。"
        "库中已有真实数据（非示例、非生成）时拒绝执行，除非加 --force。再次运行会在同一批生成督察下追加。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="生成的信访案件数")
        parser.add_argument(
            "--tasks", type=int, default=None, help="生成的整改任务数（默认为案件数的 1/50，至少 10）"
        )
        parser.add_argument("--seed", type=int, default=20260101, help="随机种子（同一种子生成相同数据）")
        parser.add_argument("--force", action="store_true", help="库中已有真实数据时仍然生成")

    def handle(self, *args, cases, tasks, seed, force, **options):
        if cases < 0 or cases > 2_000_000:
            raise CommandError("--cases 应在 0 到 2000000 之间")
        if tasks is None:
            tasks = max(10, cases // 50)
        if tasks < 0 or tasks > 200_000:
            raise CommandError("--tasks 应在 0 到 200000 之间")
        started = time.perf_counter()
        try:
            created = generate(cases=cases, tasks=tasks, seed=seed, force=force)
        except RealDataPresent as exc:
            raise CommandError(str(exc)) from exc
        summary = "，".join(f"{label} {n}" for label, n in created.items())
        self.stdout.write(f"已生成：{summary}（用时 {time.perf_counter() - started:.1f} 秒）")
