"""Issue a token for an integration client from the command line (the admin page does the same)."""

from django.core.management.base import BaseCommand, CommandError

from api.domain.tokens import DEFAULT_DAYS, issue_token
from api.models import ApiClient
from qianshan.common.errors import DomainError


class Command(BaseCommand):
    help = "为接口客户端签发新令牌；令牌只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("client", help="接口客户端名称")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="有效期（天）")

    def handle(self, *args, client, days, **options):
        found = ApiClient.objects.filter(name=client).first()
        if found is None:
            raise CommandError(f"接口客户端“{client}”不存在。")
        try:
            token, raw = issue_token(found, actor=None, days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"令牌（只显示这一次）：{raw}")
        self.stdout.write(f"有效期至：{token.expires_at:%Y-%m-%d %H:%M}")
