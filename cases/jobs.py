"""Background-job runners of the cases app (see notifications.domain.background)."""

from django.http import QueryDict
from django.urls import reverse

from notifications.domain.background import JobError, JobOutcome
from qianshan.common.excel import write_xlsx

from .domain.queries import cases_visible_to
from .exporters import ledger_sheet
from .filters import CaseFilter
from .sorting import case_sorting


def ledger_queryset(user, query: QueryDict):
    """The cases of the list as the user filtered and sorted it, from the user's own scope."""
    case_filter = CaseFilter(query, queryset=cases_visible_to(user))
    if not case_filter.is_valid():
        errors = "；".join(
            f"{case_filter.form.fields[f].label}：{' '.join(e)}" for f, e in case_filter.errors.items()
        )
        raise JobError(f"筛选条件有误（{errors}），请返回列表修改后重新导出。")
    return case_filter.qs, case_sorting(query).order_by


def export_ledger(job, progress, out_path) -> None:
    """The ledger workbook of the owner's filtered list, streamed row by row into ``out_path``."""
    qs, order = ledger_queryset(job.owner, QueryDict(job.params.get("query", "")))
    progress.set_total(qs.count())
    title, header, rows, widths = ledger_sheet(qs, order=order)
    write_xlsx([(title, header, progress.counted(rows), widths)], target=out_path)


def import_rows(record) -> int:
    """How many cases confirming ``record`` would write (new and changed rows), from its preview."""
    summary = record.summary or {}
    return int(summary.get("created", 0)) + int(summary.get("updated", 0))


def confirm_transfer_sheet(job, progress, out_path) -> JobOutcome:
    """确认导入 of a previewed transfer sheet: every row in one transaction, or nothing."""
    from org.permissions import access_of

    from .domain.errors import DomainError
    from .domain.importing import confirm_import
    from .models import TransferSheetImport

    if not access_of(job.owner).writes_all:
        raise JobError("只有协调组办公室可以确认导入交办单。")
    record = TransferSheetImport.objects.select_related("inspection").filter(pk=job.params["import"]).first()
    if record is None:
        raise JobError("该交办单导入记录已不存在，请重新上传。")
    try:
        report = confirm_import(record, actor=job.owner, progress=progress)
    except DomainError as exc:
        raise JobError(exc.message) from exc
    summary = report.as_dict()
    return JobOutcome(
        link=f"{reverse('cases:list')}?inspection={record.inspection_id}",
        summary=(
            f"导入完成（{record.original_name}）：新建 {summary['created']} 件，"
            f"更新 {summary['updated']} 件，未变 {summary['unchanged']} 件。"
        ),
    )
