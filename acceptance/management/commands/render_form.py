from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acceptance.domain.rendering import render_form_pdf
from cases.domain.errors import DomainError


class Command(BaseCommand):
    help = "把一份表单渲染为 PDF：acceptance=验收意见，review=复核责任书，summary=验收复核情况事项单（未签全时带草稿水印）。"

    def add_arguments(self, parser):
        parser.add_argument("which", choices=["acceptance", "review", "summary"])
        parser.add_argument("receipt_no", help="受理编号")
        parser.add_argument("out", help="输出 PDF 文件路径")

    def handle(self, *args, which, receipt_no, out, **options):
        try:
            data = render_form_pdf(which, receipt_no)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(out).write_bytes(data)
        self.stdout.write(f"已生成 {out}（{len(data)} 字节）。")
