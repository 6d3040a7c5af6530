"""Background-job runners of the cases app (see notifications.domain.background)."""

from django.http import QueryDict

from notifications.domain.background import JobError
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
