import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from org import demo

# Each app contributes its part of the demo in <app>/demo.py: seed(ctx); order matters.
DEMO_APPS = ["cases", "rectification", "acceptance", "scoring", "supervision"]


class Command(BaseCommand):
    help = "建立千山示例数据（可重复运行：第二次运行不改变任何数据）。"

    def handle(self, *args, **options):
        ctx = demo.DemoContext()
        with transaction.atomic():
            demo.seed(ctx)
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(ctx)
        if ctx.created:
            summary = "，".join(f"{k} {v}" for k, v in ctx.created.items())
            self.stdout.write(f"已新建：{summary}")
        else:
            self.stdout.write("示例数据已存在，未做任何改动。")
        self.stdout.write(f"示例用户（密码均为 {demo.DEMO_PASSWORD}）：")
        for username, full_name, role, unit_name in demo.USERS:
            unit = f"，{unit_name}" if unit_name else ""
            self.stdout.write(f"  {username:<11} {full_name}（{role.label}{unit}）")
