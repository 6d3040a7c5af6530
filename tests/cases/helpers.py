"""Helpers for the case tests: transfer sheets as the inspection teams send them, and cases in a state."""

import io
from datetime import date

from openpyxl import Workbook
from PIL import Image

from cases.domain.evidence import Upload, add_attachments
from cases.enums import AttachmentKind, CaseState, Finding
from cases.models import PetitionCase, PollutionType

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


def bulk_cases(
    n, *, inspection, lead_unit, cooperating, state=CaseState.INVESTIGATING, prefix="Q", chunk=5000, **fields
):
    """n cases written with bulk_create (no history, no signals), for query-count tests and the bench.

    Every case has the pollution types 水 and 大气 and one cooperating unit; cases 2k and 2k+1 are
    repeat cases of each other (a symmetrical link, both rows of the join table). Written in
    chunks so 100 000 cases never sit in memory at once; ``fields`` are set on every case.
    Returns the number of cases written.
    """
    types = list(PollutionType.objects.filter(code__in=["water", "air"]).values_list("pk", flat=True))
    by_types = PetitionCase.pollution_types.through
    by_units = PetitionCase.cooperating_units.through
    by_related = PetitionCase.related_cases.through
    extra = {"publicity_started_on": date(2021, 9, 1)} if state == CaseState.PUBLICIZED else {}
    extra.update(fields)
    for start in range(0, n, chunk):
        cases = PetitionCase.objects.bulk_create(
            PetitionCase(
                inspection=inspection,
                receipt_no=f"{prefix}{i:07d}",
                batch=1,
                transferred_on=date(2021, 7, 16),
                complaint=f"批量举报内容{i}：某企业夜间噪声扰民，废水直排河道。",
                lead_unit=lead_unit,
                handler="批量负责人",
                standard="问题查清并解决",
                deadline=date(2030, 1, 1),
                state=state,
                is_repeat=i + 1 < n or i % 2 == 1,
                **extra,
            )
            for i in range(start, min(n, start + chunk))
        )
        by_types.objects.bulk_create(
            by_types(petitioncase_id=c.pk, pollutiontype_id=t) for c in cases for t in types
        )
        by_units.objects.bulk_create(by_units(petitioncase_id=c.pk, unit_id=cooperating.pk) for c in cases)
        pairs = list(zip(cases[0::2], cases[1::2], strict=False))
        by_related.objects.bulk_create(
            by_related(from_petitioncase_id=a.pk, to_petitioncase_id=b.pk)
            for x, y in pairs
            for a, b in ((x, y), (y, x))
        )
    return n
