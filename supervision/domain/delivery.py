"""报送记录: the weekly or monthly report as sent to 市委、市政府、市督改办 (正文 五5).

The office records each delivery: to whom, on which day, how, by whom, and the exact PDF that went
out — the report's PDF made at that moment, or the signed and stamped copy the office uploads
instead. The file is kept under its SHA-256, and the hash is shown on the report so a copy held by
the recipient can be checked against it.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from org.permissions import access_of
from qianshan.common.errors import DomainError
from qianshan.common.pdf import render_pdf
from qianshan.common.uploads import PDF, check_file, read_upload

from ..enums import ReportKind
from ..models import Report, ReportDelivery

# The readers the plan names for the monthly report (五5: 每月向市委、市政府和市督改办报告整改情况).
STANDARD_RECIPIENTS = ("市委", "市政府", "市督改办")
GENERATED, UPLOADED = "generated", "uploaded"


def report_pdf_bytes(report: Report) -> bytes:
    """The report's PDF exactly as the 下载 PDF button gives it."""
    return render_pdf("pdf/supervision_report.html", {"report": report, "data": report.data})


def record_delivery(
    report: Report,
    *,
    actor,
    recipients: list[str],
    delivered_on: date,
    method: str = "",
    note: str = "",
    upload=None,
    today: date | None = None,
) -> ReportDelivery:
    """Record one delivery of ``report`` with the PDF sent (generated now, or ``upload``)."""
    today = today or timezone.localdate()
    if not access_of(actor).writes_all:
        raise DomainError("只有协调组办公室可以登记报送。")
    if report.kind == ReportKind.DAILY:
        raise DomainError("按日调度不需报送；报送记录用于周报和月报。")
    names = []
    for name in recipients:
        name = (name or "").strip()
        if name and name not in names:
            names.append(name)
    if not names:
        raise DomainError("请选择或填写报送对象。", field="recipients")
    joined = "、".join(names)
    if len(joined) > 300:
        raise DomainError("报送对象过长（最多 300 字）。", field="recipients")
    if delivered_on is None:
        raise DomainError("请填写报送日期。", field="delivered_on")
    if delivered_on > today:
        raise DomainError("报送日期不能晚于今天。", field="delivered_on")
    if delivered_on < report.period_end:
        raise DomainError(
            f"报送日期不能早于报告期末（{report.period_end.isoformat()}）。", field="delivered_on"
        )
    if upload:
        checked = check_file(*read_upload(upload, field="file"), allowed={PDF}, field="file")
        data, original, source = checked.data, checked.name, UPLOADED
    else:
        data = report_pdf_bytes(report)
        original, source = f"{report.get_kind_display()}_{report.period_start.isoformat()}.pdf", GENERATED
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        delivery = ReportDelivery(
            report=report,
            recipients=joined,
            delivered_on=delivered_on,
            method=(method or "").strip()[:50],
            note=(note or "").strip(),
            file_source=source,
            original_name=original[:200],
            size=len(data),
            sha256=digest,
            delivered_by=actor,
        )
        delivery.file.save(f"{digest}.pdf", ContentFile(data), save=False)
        delivery._history_user = actor
        delivery.save()
    return delivery
