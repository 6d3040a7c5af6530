"""Background-job runners of the rectification app (see notifications.domain.background)."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse

from notifications.domain.background import JobError, JobOutcome
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


def store_upload(data: bytes, *, owner) -> str:
    """Keep an uploaded workbook for the import job (the same file twice is stored once)."""
    name = f"jobs/uploads/{owner.pk}-{hashlib.sha256(data).hexdigest()}.xlsx"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name


def import_summary(result) -> str:
    return (
        f"导入完成：新建任务 {result.tasks_created} 项，更新 {result.tasks_updated} 项，"
        f"未变 {result.tasks_unchanged} 项；新建措施 {result.measures_created} 项，"
        f"更新 {result.measures_updated} 项。"
    )


def import_task_list_job(job, progress, out_path) -> JobOutcome:
    """The 整改清单 upload: every task in one transaction, or nothing with every problem listed."""
    from org.models import Inspection
    from org.permissions import access_of

    from .domain.imports import ImportErrors, import_task_list

    if not access_of(job.owner).writes_all:
        raise JobError("只有协调组办公室可以导入整改清单。")
    inspection = Inspection.objects.filter(pk=job.params["inspection"]).first()
    if inspection is None:
        raise JobError("所选督察已不存在，请重新上传。")
    upload = job.params.get("upload", "")
    if not upload or not default_storage.exists(upload):
        raise JobError("上传的文件已过期删除，请重新上传。")
    with default_storage.open(upload, "rb") as f:
        data = f.read()
    try:
        result = import_task_list(data, inspection=inspection, actor=job.owner, progress=progress)
    except ImportErrors as refused:
        raise JobError("导入失败，未保存任何数据：\n" + "\n".join(refused.errors)) from refused
    default_storage.delete(upload)  # kept only while a retry may need it
    return JobOutcome(
        link=f"{reverse('rectification:list')}?inspection={inspection.pk}",
        summary=f"{import_summary(result)}（{job.params.get('original_name', '')}）",
    )
