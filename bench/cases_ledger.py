"""Benchmark: the ledger (台账) export of N cases — rows, seconds, peak RSS, query count.

    .venv/bin/python bench/cases_ledger.py [N]          # N defaults to 100 000

A small parent process (no Django) runs two child processes against a throw-away SQLite database
in a temporary directory: the first migrates it and writes N cases with bulk_create (each with
two pollution types, one cooperating unit and a repeat link); the second, a fresh process, streams
the whole ledger to an .xlsx file exactly as `export_ledger` does, so its peak RSS
(resource.getrusage ru_maxrss, which Linux carries over fork/exec from the parent) measures
Django start-up plus the export only. Prints figures; asserts nothing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def _django(db_path: str) -> None:
    """Point the default database at the throw-away SQLite file, then start Django."""
    import atexit

    from django.conf import settings

    # tests.settings makes a per-process folder under var/test-runs/; leave nothing behind.
    atexit.register(shutil.rmtree, settings.RUN_DIR, ignore_errors=True)

    settings.DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}
    settings.DEBUG = False  # no query log kept in memory while 100 000 rows are written
    import django

    django.setup()


def build(db_path: str, n: int) -> dict:
    _django(db_path)
    from django.core.management import call_command

    from org.models import Inspection, Unit
    from tests.cases.helpers import bulk_cases

    call_command("migrate", verbosity=0)
    inspection = Inspection.objects.create(code="BENCH", name="基准督察", level="central")
    lead = Unit.objects.create(name="基准牵头单位", kind="department")
    partner = Unit.objects.create(name="基准配合单位", kind="department")
    started = time.perf_counter()
    bulk_cases(
        n,
        inspection=inspection,
        lead_unit=lead,
        cooperating=partner,
        prefix="B",
        investigation="经现场核查，举报反映的问题基本属实。" * 6,
        handling="已责令企业停产整改，安装降噪设施，废水经处理后达标排放。" * 6,
        remarks="+86 待复查",
    )
    return {"seconds": round(time.perf_counter() - started, 1)}


def export(db_path: str, out: str) -> dict:
    """Runs in the child process: the export alone, measured."""
    import resource

    _django(db_path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.exporters import ledger_sheet
    from cases.models import PetitionCase
    from qianshan.common.excel import write_xlsx

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = 0

    def counted(sheet):
        nonlocal rows
        title, header, body, widths = sheet

        def each():
            nonlocal rows
            for row in body:
                rows += 1
                yield row

        return (title, header, each(), widths)

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        write_xlsx([counted(ledger_sheet(PetitionCase.objects.all()))], target=out)
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_export_mb": round(rss_before / 1024, 1),
        "queries": len(queries),
        "file_mb": round(Path(out).stat().st_size / 2**20, 1),
    }


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="qianshan-bench-") as tmp:
        db_path = str(Path(tmp) / "bench.sqlite3")
        built = _child("--build", db_path, str(n))
        figures = _child("--export", db_path, str(Path(tmp) / "ledger.xlsx"))
    print(f"set-up: {n} cases bulk-created in {built['seconds']} s")
    print(
        f"export: rows={figures['rows']} seconds={figures['seconds']} "
        f"peak_rss_MB={figures['peak_rss_mb']} (after Django start-up {figures['rss_before_export_mb']}) "
        f"queries={figures['queries']} file_MB={figures['file_mb']}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        print(json.dumps(build(sys.argv[2], int(sys.argv[3]))))
    elif len(sys.argv) == 4 and sys.argv[1] == "--export":
        print(json.dumps(export(sys.argv[2], sys.argv[3])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
