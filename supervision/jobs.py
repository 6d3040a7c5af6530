"""Background-job runners of the report downloads (see notifications.domain.background).

A stored report is bounded (each detail list keeps at most DETAIL_LIMIT rows), but its PDF is a
weasyprint render that takes seconds: a report of JOB_DIRECT_MAX_PDF_ROWS table rows or more is
rendered by a worker; a smaller one (and every workbook under JOB_DIRECT_MAX_ROWS rows) is
answered in the request (docs/operations-scale.md).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from notifications.domain.background import JobError
from org.permissions import access_of
from qianshan.common.excel import write_xlsx
from qianshan.common.pdf import render_pdf

from .domain.queries import reports_visible_to
from .domain.reports import dispatch_for_units
from .enums import ReportKind
from .exporters import report_sheets
from .models import Report


def report_for(user, pk) -> Report:
    """The report as ``user`` may read it (a unit user's dispatch: their own units only); else 404."""
    report = get_object_or_404(reports_visible_to(user), pk=pk)
    access = access_of(user)
    if report.kind != ReportKind.DAILY and not access.reads_all:
        raise Http404  # a unit user reads a weekly or monthly report through their own section only
    if report.kind == ReportKind.DAILY and not access.reads_all:
        # A unit user sees only their own units' sections and totals of the dispatch.
        report.data = dispatch_for_units(report.data, access.unit_ids)
    return report


def report_row_count(data) -> int:
    """The table rows a report's stored data holds: every item of every list, nested lists too."""
    if isinstance(data, dict):
        return sum(report_row_count(v) for v in data.values())
    if isinstance(data, list):
        return len(data) + sum(report_row_count(v) for v in data if isinstance(v, dict | list))
    return 0


def report_filename(report: Report, suffix: str) -> str:
    return f"{report.get_kind_display()}_{report.period_start.isoformat()}.{suffix}"


def _report(job) -> Report:
    report = Report.objects.filter(pk=job.params.get("report")).first()
    if report is None:
        raise JobError("该报告已不存在，请返回报告列表重新选择。")
    try:
        return report_for(job.owner, report.pk)
    except Exception as exc:  # Http404: the owner may no longer read it
        raise JobError("您已无权查看该报告。") from exc


def export_report_xlsx(job, progress, out_path) -> None:
    report = _report(job)
    progress.set_total(report_row_count(report.data))
    sheets = [
        (title, header, progress.counted(rows), *rest) for title, header, rows, *rest in report_sheets(report)
    ]
    write_xlsx(sheets, target=out_path)


def export_report_pdf(job, progress, out_path) -> None:
    report = _report(job)
    rows = report_row_count(report.data)
    progress.set_total(rows)
    pdf = render_pdf("pdf/supervision_report.html", {"report": report, "data": report.data})
    progress.advance(rows)
    out_path.write_bytes(pdf)
