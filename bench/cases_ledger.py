"""Benchmark: ledger export time, peak memory and query count for N cases.

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python bench/cases_ledger.py 20000
Uses a throw-away SQLite file under var/; prints figures, asserts nothing.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main(n: int) -> None:
    from django.conf import settings
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from cases.exporters import ledger_sheet
        from cases.models import PetitionCase
        from org.models import Inspection, Unit
        from qianshan.common.excel import write_xlsx

        inspection = Inspection.objects.create(code="B", name="基准督察", level="central")
        unit = Unit.objects.create(name="基准单位", kind="department")
        PetitionCase.objects.bulk_create(
            PetitionCase(
                inspection=inspection, receipt_no=f"B{i:07d}", complaint="举报内容" * 20, lead_unit=unit
            )
            for i in range(n)
        )
        out = Path(settings.VAR_DIR) / "bench-ledger.xlsx"
        tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            write_xlsx([ledger_sheet(PetitionCase.objects.all())], target=str(out))
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        print(
            f"cases={n} seconds={elapsed:.2f} peak_python_MB={peak / 2**20:.1f} queries={len(queries)} "
            f"file_MB={out.stat().st_size / 2**20:.1f}"
        )
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
