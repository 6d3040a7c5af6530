"""Background-job runners of the rectification app (see notifications.domain.background)."""

from django.http import QueryDict

from notifications.domain.background import JobError
from qianshan.common.excel import write_xlsx

from .domain.queries import tasks_visible_to
from .exporters import EXPORT_COLUMNS, EXPORT_WIDTHS, SHEET_TITLE, task_list_rows
from .filters import TaskFilter

CHUNK = 500  # tasks per round of the prefetching export query


def task_export_queryset(user, query: QueryDict):
    """The tasks of the list as the user filtered it, from the user's own scope."""
    task_filter = TaskFilter(query, queryset=tasks_visible_to(user))
    if not task_filter.is_valid():
        raise JobError("筛选条件有误，请返回整改任务列表修改后重新导出。")
    return task_filter.qs


def export_task_list(job, progress, out_path) -> None:
    """The 整改清单 workbook of the owner's filtered tasks, a chunk of tasks at a time."""
    qs = task_export_queryset(job.owner, QueryDict(job.params.get("query", "")))
    ids = list(qs.order_by("inspection_id", "seq", "number", "pk").values_list("pk", flat=True))
    progress.set_total(len(ids))

    def rows():
        for start in range(0, len(ids), CHUNK):
            chunk = qs.model.objects.filter(pk__in=ids[start : start + CHUNK])
            last = None
            for row in task_list_rows(chunk):
                if row[0] != last and last is not None:
                    progress.advance()
                last = row[0]
                yield row
            if last is not None:
                progress.advance()

    write_xlsx([(SHEET_TITLE, EXPORT_COLUMNS, rows(), EXPORT_WIDTHS)], target=out_path)
