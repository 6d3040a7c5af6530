"""Benchmark: time to render one acceptance form to PDF (target < 1 s on this machine's CPU).

Run: .venv/bin/python bench/acceptance_render_pdf.py  (needs the demo data: manage.py seed_demo)
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")

import django

django.setup()

from acceptance.domain.rendering import render_form_pdf  # noqa: E402

RUNS = 5
CASES = [("acceptance", "D2LN202107160012"), ("review", "X21000020170801001"), ("summary", "LN-HTK-20180001")]

t0 = time.perf_counter()
render_form_pdf(*CASES[0])  # first call pays weasyprint's import and font loading
print(f"first render (incl. weasyprint import, fonts): {time.perf_counter() - t0:.3f} s")
for which, receipt_no in CASES:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        data = render_form_pdf(which, receipt_no)
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"{which:<10} {receipt_no:<20} median {times[RUNS // 2]:.3f} s  max {times[-1]:.3f} s  ({len(data)} bytes)"
    )
