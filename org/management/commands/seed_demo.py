import importlib
import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from org import demo
from org.models import User

# Each app contributes its part of the demo in <app>/demo.py: seed(ctx); order matters.
DEMO_APPS = ["cases", "rectification", "acceptance", "scoring", "supervision", "oversight"]


class Command(BaseCommand):
    help = "建立千山示例数据（可重复运行：第二次运行不改变任何数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="数据库中已有非示例数据时仍然建立示例数据（会新建示例账号）。",
        )

    def handle(self, *args, **options):
        others = foreign_users()
        if others and not options["force"]:
            shown = "、".join(others[:5]) + ("等" if len(others) > 5 else "")
            raise CommandError(
                f"数据库中已有非示例用户（{shown}），看来不是演示库；为免在正式库中建立 admin 等示例账号"
                f"和公开的示例密码，未做任何改动。确需在此库建立示例数据，请加 --force。",
                returncode=2,
            )
        ctx = demo.DemoContext()
        # Demo reports and alerts are stored as notifications, not mailed to invented addresses.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
            quiet_logs(),
        ):
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
        users = User.objects.filter(role_assignments__isnull=False).distinct().order_by("id")
        for user in users.prefetch_related("role_assignments__unit"):
            roles = "、".join(
                f"{a.get_role_display()}，{a.unit}" if a.unit_id else a.get_role_display()
                for a in user.role_assignments.all()
            )
            self.stdout.write(f"  {user.username:<11} {user.display_name}（{roles}）")


class quiet_logs:
    """The jobs the demo runs log progress lines for operators (in English); the command prints its own
    Chinese summary instead, so INFO lines are held back while it seeds."""

    def __enter__(self):
        logging.disable(logging.INFO)

    def __exit__(self, *exc):
        logging.disable(logging.NOTSET)


def foreign_users() -> list[str]:
    """User names that the demo did not create (every demo user has an @qianshan.example address)."""
    others = User.objects.exclude(email__endswith="@qianshan.example").order_by("id")
    return list(others.values_list("username", flat=True)[:6])
