"""Helpers for the case tests: transfer sheets as the inspection teams send them, and cases in a state."""

import io
from datetime import date

from openpyxl import Workbook
from PIL import Image

from cases.domain.evidence import Upload, add_attachments
from cases.enums import AttachmentKind, CaseState, Finding

TITLE = "第二轮中央生态环境保护督察转办群众信访举报件（第3批）"
HEADERS = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "是否重点件",
    "交办日期",
    "牵头责任单位",
    "备注",
]


def sheet_bytes(rows, headers=HEADERS, title_rows=(TITLE,)) -> bytes:
    wb = Workbook()
    ws = wb.active
    for title in title_rows:
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def png_bytes(color=(200, 30, 30), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def make_completable(case, actor, *, finding=Finding.TRUE):
    """Fill what completion needs (finding, texts, five conditions, evidence, one photo)."""
    case.finding = finding
    case.investigation = "经现场核查，情况属实。"
    case.plan = "限期整改"
    case.handling = "已整改到位"
    for name in (
        "points_investigated",
        "points_resolved",
        "violations_penalised",
        "accountability_done",
        "complainant_accepted",
    ):
        setattr(case, name, True)
    case.completion_evidence = "现场照片、群众签字"
    case.save()
    add_attachments(case, [Upload("现场.png", png_bytes(), AttachmentKind.PHOTO)], actor=actor)
    return case


def in_state(case, state: str):
    case.state = state
    if state in (CaseState.PUBLICIZED,):
        case.publicity_started_on = date(2021, 9, 1)
    case.save()
    return case
