"""Long exports and imports off the request: start, run with progress, retry, expire.

A view calls ``start_job(kind, owner=…, params=…)`` and redirects to the job page at once; the
worker runs ``run_job(pk)``, which calls the kind's runner with a ``Progress`` to report rows
done. A runner is a plain function ``runner(job, progress, out_path)`` registered in
``JOB_TYPES`` by dotted path (so this module imports no other app): it reads ``job.params``,
checks the owner's scope itself, writes the result file to ``out_path`` (exports) and may return
a link (imports). A runner refuses with ``JobError("中文原因")``; any other exception is logged
and shown as an internal error — never a traceback.
"""

import hashlib
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ..enums import ACTIVE_JOB_STATES, BackgroundJobState, NotificationKind
from ..models import BackgroundJob
from .jobs import enqueue
from .services import notify

log = logging.getLogger(__name__)
RUN_TASK = "qianshan.notifications.run_background_job"


class JobError(Exception):
    """A refusal a runner explains to the user in Chinese (bad parameters, nothing to export)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobType:
    label: str
    runner: str  # "module:function"
    suffix: str = ""  # of the result file; "" when the job makes no file (imports)
    unit: str = "行"  # what progress counts: 已处理 N / 共 M 行（份、页）


@dataclass(frozen=True)
class JobOutcome:
    """What a runner may return besides a file: a link to the result and a Chinese summary."""

    link: str = ""
    summary: str = ""


JOB_TYPES: dict[str, JobType] = {
    "case_ledger": JobType("信访案件台账导出", "cases.jobs:export_ledger", ".xlsx"),
    "task_list": JobType("整改任务清单导出", "rectification.jobs:export_task_list", ".xlsx"),
    "case_import": JobType("交办单确认导入", "cases.jobs:confirm_transfer_sheet"),
    "task_import": JobType("整改清单导入", "rectification.jobs:import_task_list_job"),
    "scoring_ranking_xlsx": JobType("年度考核排名导出", "scoring.jobs:export_ranking_xlsx", ".xlsx"),
    "scoring_ranking_pdf": JobType("年度考核排名 PDF", "scoring.jobs:export_ranking_pdf", ".pdf"),
    "scoring_sheets_xlsx": JobType("年度评分表导出", "scoring.jobs:export_sheets_xlsx", ".xlsx", "份"),
    "scoring_sheets_json": JobType("年度评分表数据导出", "scoring.jobs:export_sheets_json", ".json", "份"),
    "report_xlsx": JobType("报告表格导出", "supervision.jobs:export_report_xlsx", ".xlsx"),
    "report_pdf": JobType("报告 PDF 生成", "supervision.jobs:export_report_pdf", ".pdf"),
    "signed_forms_zip": JobType("签字表单批量下载", "acceptance.jobs:bundle_signed_forms", ".zip", "份"),
    "ledger_131": JobType("“131”总台账导出", "supervision.ledger131:export_job", ".xlsx"),
}


def unit_of(kind: str) -> str:
    job_type = JOB_TYPES.get(kind)
    return job_type.unit if job_type else "行"


def jobs_visible_to(user):
    """The jobs a user may see: their own; the office sees everyone's (docs/rules.md §9)."""
    from org.permissions import access_of

    qs = BackgroundJob.objects.select_related("owner")
    return qs if access_of(user).writes_all else qs.filter(owner=user)


def _dedupe_key(kind: str, params: dict) -> str:
    return hashlib.sha256(f"{kind}|{json.dumps(params, sort_keys=True)}".encode()).hexdigest()


def start_job(kind: str, *, owner, params: dict, filename: str = "") -> tuple[BackgroundJob, bool]:
    """The owner's pending/running job of this kind and parameters, or a new one queued after commit.

    Returns (job, created). Pressing twice gives one job: the partial unique constraint on
    (owner, dedupe_key) refuses a second active row, and the loser reads the winner's.
    """
    job_type = JOB_TYPES[kind]
    key = _dedupe_key(kind, params)
    active = Q(owner=owner, dedupe_key=key, state__in=ACTIVE_JOB_STATES)
    existing = BackgroundJob.objects.filter(active).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                owner=owner,
                kind=kind,
                title=job_type.label,
                params=params,
                dedupe_key=key,
                filename=filename,
            )
            enqueue(RUN_TASK, job_id=job.pk)
    except IntegrityError:  # another request started the same job a moment ago
        return BackgroundJob.objects.get(active), False
    return job, True


def retry_job(job: BackgroundJob, *, actor) -> BackgroundJob:
    """Queue a failed (or expired) job again with the same parameters; a second press is a no-op."""
    try:
        with transaction.atomic():
            updated = BackgroundJob.objects.filter(
                pk=job.pk, state__in=[BackgroundJobState.FAILED, BackgroundJobState.EXPIRED]
            ).update(
                state=BackgroundJobState.PENDING,
                processed=0,
                total=None,
                message="",
                started_at=None,
                finished_at=None,
                expires_at=None,
            )
            if updated:
                enqueue(RUN_TASK, job_id=job.pk)
    except IntegrityError:  # the same export is already running again: show that one
        return BackgroundJob.objects.get(
            owner=job.owner, dedupe_key=job.dedupe_key, state__in=ACTIVE_JOB_STATES
        )
    job.refresh_from_db()
    return job


class Progress:
    """Counts rows done; writes to the job row at most every ``interval`` seconds.

    An import writes its rows in one transaction (nothing half-saved), and a progress written in
    that transaction would stay invisible to the job page until the end. So while the job's own
    connection is inside a transaction, progress goes through a second, autocommit connection to
    the same database (PostgreSQL; SQLite locks the file, so there it waits for the commit).
    """

    def __init__(self, job: BackgroundJob, interval: float = 0.5):
        self.job = job
        self.interval = interval
        self.done = 0
        self._last = 0.0
        self._side = None
        # Only a transaction the runner opens needs the side connection (not one around the job,
        # as a test's); its writes are visible to that surrounding transaction anyway.
        self._outer_atomic = connection.in_atomic_block

    def _write(self, **values) -> None:
        inner = connection.in_atomic_block and not self._outer_atomic
        if inner and connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            columns = ", ".join(f"{name} = %s" for name in values)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {BackgroundJob._meta.db_table} SET {columns} WHERE id = %s",
                    [*values.values(), self.job.pk],
                )
            return
        BackgroundJob.objects.filter(pk=self.job.pk).update(**values)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def set_total(self, total: int) -> None:
        self.job.total = total
        self.done = 0
        self._write(total=total, processed=0)

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._write(processed=self.done)

    def counted(self, rows):
        """Wrap a row iterator so every row read advances the progress."""
        for row in rows:
            yield row
            self.advance()


def _runner(kind: str):
    module, _, name = JOB_TYPES[kind].runner.partition(":")
    return getattr(import_module(module), name)


def run_job(job_id: int) -> str:
    """Run one pending job; returns the final state. A job another worker holds is left alone."""
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, state=BackgroundJobState.PENDING).update(
        state=BackgroundJobState.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    job = BackgroundJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not claimed:
        return job.state if job else "missing"
    job_type = JOB_TYPES.get(job.kind)
    name = f"jobs/{job.pk}/{secrets.token_hex(8)}{job_type.suffix if job_type else ''}"
    out_path = Path(default_storage.path(name))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    progress = Progress(job)
    try:
        if job_type is None:
            raise JobError(f"未知的任务类型“{job.kind}”。")
        outcome = _runner(job.kind)(job, progress, out_path) or ""
    except JobError as exc:
        progress.close()
        _fail(job, exc.message, out_path)
        return BackgroundJobState.FAILED
    except Exception as exc:  # logged with its traceback for us; the user reads a Chinese reason
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        _fail(
            job,
            f"处理时发生内部错误（{type(exc).__name__}），请稍后重试；如仍失败请联系系统管理员。",
            out_path,
        )
        return BackgroundJobState.FAILED
    finally:
        progress.close()
    if isinstance(outcome, str):
        outcome = JobOutcome(link=outcome)
    _finish(job, progress, name if job_type.suffix else "", outcome)
    return BackgroundJobState.DONE


def _finish(job: BackgroundJob, progress: Progress, file_name: str, outcome: JobOutcome) -> None:
    now = timezone.now()
    hours = settings.JOB_FILE_TTL_HOURS
    link = outcome.link
    unit = unit_of(job.kind)
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=BackgroundJobState.DONE,
            processed=progress.done,
            total=progress.done if job.total is None else job.total,
            file=file_name,
            result_link=link,
            message=outcome.summary,
            finished_at=now,
            expires_at=now + timedelta(hours=hours) if file_name else None,
        )
        # an import's notification opens the job page, which shows what was created and the link
        target = reverse("jobs:download", args=[job.pk]) if file_name else job_url(job)
        notify(
            [job.owner],
            kind=NotificationKind.JOB_DONE,
            title=f"{job.title}已完成",
            body=(outcome.summary or f"共 {progress.done} {unit}。")
            + (f"文件保留 {hours} 小时，请及时下载。" if file_name else ""),
            link=target,
            reason="您发起的后台任务",
            email=False,
        )


def _fail(job: BackgroundJob, message: str, out_path: Path) -> None:
    out_path.unlink(missing_ok=True)  # never leave half a file behind
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=BackgroundJobState.FAILED, message=message, finished_at=timezone.now()
        )
        notify(
            [job.owner],
            kind=NotificationKind.JOB_FAILED,
            title=f"{job.title}失败",
            body=message,
            link=job_url(job),
            reason="您发起的后台任务",
            email=False,
        )


def job_url(job: BackgroundJob) -> str:
    return reverse("jobs:detail", args=[job.pk])


def purge_expired(now=None) -> int:
    """Delete the files of jobs past their expiry, and fail jobs a dead worker left running.

    Returns how many files were deleted. Each row is claimed by a conditional update, so two
    runs never delete twice.
    """
    now = now or timezone.now()
    stale = now - timedelta(hours=settings.JOB_STALE_HOURS)
    BackgroundJob.objects.filter(state=BackgroundJobState.RUNNING, started_at__lt=stale).update(
        state=BackgroundJobState.FAILED,
        message="任务运行中断（后台服务曾重启），请点击“重试”。",
        finished_at=now,
    )
    deleted = 0
    expired = BackgroundJob.objects.filter(state=BackgroundJobState.DONE, expires_at__lt=now)
    for pk, name in expired.values_list("pk", "file"):
        claimed = BackgroundJob.objects.filter(pk=pk, state=BackgroundJobState.DONE).update(
            state=BackgroundJobState.EXPIRED, file=""
        )
        if claimed and name:  # another run got there first when nothing was claimed
            default_storage.delete(name)
            deleted += 1
    # An import's uploaded workbook is kept for a retry of a failed job, for the same time as a file.
    old_failures = BackgroundJob.objects.filter(
        state=BackgroundJobState.FAILED,
        finished_at__lt=now - timedelta(hours=settings.JOB_FILE_TTL_HOURS),
        params__has_key="upload",
    )
    for job in old_failures.only("pk", "params"):
        upload = job.params.get("upload")
        if not upload:
            continue
        if default_storage.exists(upload):
            default_storage.delete(upload)
            deleted += 1
        BackgroundJob.objects.filter(pk=job.pk).update(params={**job.params, "upload": ""})
    return deleted
