#!/usr/bin/env python3
"""Regenerate the manual's screenshots (docs/images/*.png): `make docs-screenshots`.

Builds the demo in a throw-away folder (its own SQLite file, media and broker — the developer's
var/ is never touched), starts the web server on a free local port, signs in as each demo user in
headless Debian Chromium through Playwright, opens the pages the role guides describe and saves a
1366×800 PNG of each (the "phone-" shots at 390×844, as on a phone). The ids in the paths (a case in
rectification, a chain awaiting a signature …) are looked up in the seeded database, so the shots
follow the data `seed_demo` builds.

Usage: .venv/bin/python scripts/docs_screenshots.py [--only NAME_PREFIX] [--keep]
"""

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PY = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Lianhua-Peak-2026"
VIEWPORT = {"width": 1366, "height": 800}
# Pages whose lower part the guides describe step by step: the whole page, not the first screen.
FULL_PAGE = {"staff-case", "staff-task", "acceptor-form"}
# Shots taken on a phone-sized screen (field staff work on their phones): names starting "phone-".
PHONE = {"width": 390, "height": 844}

# The ids the shots need, read from the seeded database by the project's own queries.
LOOKUP = r"""
import json
from acceptance.models import OpinionForm, Step
from cases.enums import CaseState
from cases.models import PetitionCase
from org.models import Unit, User
from rectification.models import RectificationTask
from scoring.models import ScoringSheet, UnitAssessment
from supervision.models import SupervisionLetter

staff = User.objects.get(username="staff")
unit_ids = list(staff.role_assignments.values_list("unit_id", flat=True))
mine = PetitionCase.objects.filter(lead_unit_id__in=unit_ids).order_by("pk")
own_open = mine.filter(state=CaseState.RECTIFYING).first() or mine.exclude(state__in=["closed", "filed"]).first()
tasks = RectificationTask.objects.filter(lead_unit_id__in=unit_ids).order_by("pk")
task = tasks.filter(status__in=["in_progress", "reopened"]).first() or tasks.first()
# The demo chain waiting for its leader's signature (acceptance/demo.py).
chain = Step.objects.filter(case__receipt_no="D2LN202107160012").order_by("pk").first()
form = OpinionForm.objects.filter(step=chain).first()
sheet = ScoringSheet.objects.order_by("pk").first()
draft = ScoringSheet.objects.filter(version="self", status="draft").order_by("pk").first()
draft_user = (
    User.objects.filter(role_assignments__unit_id=draft.locality_id, role_assignments__role="unit_staff")
    .order_by("pk").first() if draft else None
)
assessments = UnitAssessment.objects.order_by("pk")
assessment = assessments.filter(state="reviewed").first() or assessments.first()
letter = SupervisionLetter.objects.order_by("pk").first()
letter_user = (
    User.objects.filter(role_assignments__unit_id=letter.unit_id, role_assignments__role="unit_head")
    .order_by("pk").first() if letter else None
)
print(json.dumps({
    "case": own_open.pk if own_open else None,
    "task": task.pk if task else None,
    "chain_case": chain.case_id if chain else None,
    "form": form.pk if form else None,
    "sheet": sheet.pk if sheet else None,
    "draft": draft.pk if draft and draft_user else None,
    "draft_user": draft_user.username if draft_user else None,
    "assessment": f"{assessment.unit_id}/{assessment.year}" if assessment else None,
    "letter": letter.pk if letter else None,
    "letter_user": letter_user.username if letter_user else "office",
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, capture=False):
    cmd = [PY, str(ROOT / "manage.py"), *args]
    if capture:
        return subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return ""


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"服务未能启动：{url}")


def shots(ids: dict) -> list[tuple[str, str, str]]:
    """(file name, demo user, path) of every screenshot the guides show."""
    case, task, chain_case, form, sheet = (ids[k] for k in ("case", "task", "chain_case", "form", "sheet"))
    items = [
        ("login", "", "/login/"),
        # 经办人
        ("staff-home", "staff", "/"),
        ("staff-cases", "staff", "/cases/"),
        ("staff-case", "staff", f"/cases/{case}/"),
        ("staff-case-handling", "staff", f"/cases/{case}/handling/"),
        ("staff-tasks", "staff", "/tasks/"),
        ("staff-task", "staff", f"/tasks/{task}/"),
        ("staff-task-progress", "staff", f"/tasks/{task}/progress/"),
        ("staff-notifications", "staff", "/notifications/"),
        # 经办人在手机上
        ("phone-staff-home", "staff", "/"),
        ("phone-staff-case", "staff", f"/cases/{case}/"),
        ("phone-staff-cases", "staff", "/cases/"),
        ("phone-staff-tasks", "staff", "/tasks/"),
        # 负责人
        ("head-home", "head", "/"),
        ("head-warnings", "head", "/supervision/warnings/"),
        ("head-scoring", "head", "/scoring/"),
        # 协调组办公室
        ("office-home", "office", "/"),
        ("office-import", "office", "/cases/import/"),
        ("office-cases", "office", "/cases/"),
        ("office-tasks-import", "office", "/tasks/import/"),
        ("office-acceptance", "office", "/acceptance/"),
        ("office-chain", "office", f"/acceptance/cases/{chain_case}/"),
        ("office-rechecks", "office", "/cases/rechecks/"),
        ("office-rebounds", "office", "/cases/rebounds/"),
        ("office-supervision", "office", "/supervision/"),
        ("office-warnings", "office", "/supervision/warnings/"),
        ("office-reports", "office", "/supervision/reports/"),
        ("office-scoring", "office", "/scoring/"),
        ("office-grades", "office", "/tasks/grades/"),
        ("office-look-back", "office", "/tasks/look-back/"),
        ("office-plan", "office", "/tasks/plan/"),
        # 验收组 / 复核组
        ("acceptor-home", "acceptor", "/"),
        ("acceptor-acceptance", "acceptor", "/acceptance/"),
        ("acceptor-form", "acceptor", f"/acceptance/forms/{form}/"),
        ("reviewer-home", "reviewer", "/"),
        ("reviewer-scoring", "reviewer", "/scoring/"),
        # 纪工委 / 领导
        ("leader-home", "leader", "/"),
        ("leader-supervision", "leader", "/supervision/"),
        ("discipline-home", "discipline", "/"),
        ("discipline-warnings", "discipline", "/supervision/warnings/"),
        # 管理员
        ("admin-home", "admin", "/"),
        ("admin-site", "admin", "/admin/"),
        ("admin-users", "admin", "/admin/org/user/"),
        ("admin-holidays", "admin", "/admin/acceptance/holiday/"),
        # 公开页面
        ("public-cases", "", "/public/cases/"),
        ("public-tasks", "", "/public/tasks/"),
    ]
    if sheet:
        items.append(("office-sheet", "office", f"/scoring/sheets/{sheet}/"))
    if ids["draft"]:
        items.append(("unit-sheet-edit", ids["draft_user"], f"/scoring/sheets/{ids['draft']}/edit/"))
    if ids["assessment"]:
        items.append(("office-assessment", "office", f"/scoring/units/{ids['assessment']}/"))
        items.append(("leader-assessment", "leader", f"/scoring/units/{ids['assessment']}/"))
    if ids["letter"]:
        items.append(("head-letter", ids["letter_user"], f"/supervision/letters/{ids['letter']}/"))
    return items


def save_small(png: bytes, out: Path) -> None:
    """Save the PNG with a 256-colour palette: a page of text and flat colours loses nothing
    visible and the file shrinks to about a third, so the manual stays a few MB."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(out, "PNG", optimize=True)


def capture(base: str, ids: dict, only: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        contexts = {}
        for name, user, path in shots(ids):
            if only and not name.startswith(tuple(only.split(","))):
                continue
            phone = name.startswith("phone-")
            key = (user, phone)
            if key not in contexts:
                context = browser.new_context(
                    viewport=PHONE if phone else VIEWPORT, locale="zh-CN", is_mobile=phone, has_touch=phone
                )
                if user:
                    login = context.new_page()
                    login.goto(base + "/login/")
                    login.fill("#id_username", user)
                    login.fill("#id_password", PASSWORD)
                    login.click("button[type=submit]")
                    login.wait_for_url(lambda url: "/login/" not in url)
                    login.close()
                contexts[key] = context
            page = contexts[key].new_page()
            response = page.goto(base + path)
            status = response.status if response else 0
            if status != 200:
                print(f"  ! {name}: {path} 返回 {status}", file=sys.stderr)
            out = IMAGES / f"{name}.png"
            save_small(page.screenshot(full_page=name in FULL_PAGE), out)
            page.close()
            saved.append(out)
            print(f"  {out.relative_to(ROOT)}  ({user or '未登录'} {path})")
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description="重新生成 docs/images/ 下的操作手册截图")
    parser.add_argument("--only", default="", help="只生成文件名以此开头的截图，多个前缀用逗号分隔")
    parser.add_argument("--keep", action="store_true", help="保留临时数据目录（排查用）")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qianshan-docs-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT"}
    }
    env.update(
        QIANSHAN_VAR_DIR=str(work),
        DJANGO_SETTINGS_MODULE="qianshan.settings",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    server = None
    try:
        print(f"示例数据目录：{work}")
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        ids = json.loads(manage(env, "shell", "-c", LOOKUP, capture=True).strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [PY, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(base + "/login/")
        saved = capture(base, ids, args.only)
        total = sum(p.stat().st_size for p in IMAGES.glob("*.png"))
        print(f"已生成 {len(saved)} 张截图，docs/images/ 共 {total / 1024 / 1024:.1f} MB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
