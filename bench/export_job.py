"""Benchmark: the ledger export as a background job vs a bare openpyxl write-only script.

    DATABASE_URL=postgres://…/qianshan_bench .venv/bin/python bench/export_job.py

On the configured database (generate_load_data's cases and gen_office user), two fresh child
processes: (1) the job exactly as the worker runs it (notifications.domain.background.run_job:
count, stream with iterator(), write_only workbook, progress written every 0.5 s); (2) bare
openpyxl write_only writing the same number of rows of ledger-like cells, no Django. Prints rows,
seconds, peak RSS (ru_maxrss) of each and the ratio; the goal (peak RSS ≤ 2× bare) is printed,
never asserted. The job's file is deleted afterwards.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_job_child() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")
    import django

    django.setup()
    from django.core.files.storage import default_storage

    from notifications.domain.background import run_job, start_job
    from notifications.models import BackgroundJob
    from org.models import User

    office = User.objects.get(username="gen_office")
    BackgroundJob.objects.filter(owner=office, kind="case_ledger", params={"query": "bench=1"}).delete()
    # "bench=1" is ignored by the filter: the full ledger, but never the office's own pending job
    job, _ = start_job("case_ledger", owner=office, params={"query": "bench=1"}, filename="bench.xlsx")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    state = run_job(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    size = default_storage.size(job.file.name) if job.file else 0
    if job.file:
        default_storage.delete(job.file.name)
    job.delete()
    return {
        "state": str(state),
        "rows": job.processed,
        "total": job.total,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        "file_mb": round(size / 2**20, 1),
    }


def bare_child(n: int) -> dict:
    from openpyxl import Workbook

    row = [
        1,
        "D2LN2021071600001",
        "第二轮中央生态环境保护督察",
        3,
        "2021-07-16",
        "来电",
        "某企业夜间生产噪声扰民，粉尘污染严重，废水直排河道，群众反映强烈。" * 2,
        "某区",
        "噪声、大气",
        "否",
        "某市生态环境局",
        "某区人民政府",
        "张三",
        "李四",
        "2021-12-31",
        "经现场核查，举报反映的问题基本属实。" * 3,
        "属实",
        "已责令企业停产整改，安装降噪设施。" * 3,
        "",
        "已办结",
        "已销号",
        "否",
        "",
        "",
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        "备注",
    ]
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("信访案件台账")
    for i in range(n):
        row[0] = i + 1
        sheet.append(row)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        book.save(out.name)
    return {
        "rows": n,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")
    import django

    django.setup()
    from org.models import User

    if not User.objects.filter(username="gen_office").exists():
        print("export_job: 跳过——先运行 manage.py generate_load_data --cases N")
        return
    job = _child("--job")
    bare = _child("--bare", str(job["rows"]))
    print(
        f"export job: state={job['state']} rows={job['rows']}/{job['total']} seconds={job['seconds']} "
        f"peak_rss_MB={job['peak_rss_mb']} (Django up: {job['rss_before_mb']}) file_MB={job['file_mb']}"
    )
    print(
        f"bare openpyxl write_only: rows={bare['rows']} seconds={bare['seconds']} peak_rss_MB={bare['peak_rss_mb']}"
    )
    print(
        f"ratio: time {job['seconds'] / max(bare['seconds'], 0.1):.2f}×, peak RSS "
        f"{job['peak_rss_mb'] / bare['peak_rss_mb']:.2f}× (goal ≤ 2×; the export's own growth above Django "
        f"start-up: {job['peak_rss_mb'] - job['rss_before_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--job"]:
        print(json.dumps(run_job_child()))
    elif sys.argv[1:2] == ["--bare"]:
        print(json.dumps(bare_child(int(sys.argv[2]))))
    else:
        main()
