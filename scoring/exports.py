"""Exports of the year (ranking and sheets as .xlsx, PDF and the exchange JSON) and the JSON import.

Every export starts from the user's scope: a unit user gets their units' rows only.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.domain.errors import DomainError
from notifications.domain.background import start_job
from qianshan.common.excel import xlsx_response
from qianshan.common.pdf import pdf_response
from rectification.enums import TaskGrade

from .domain import services
from .domain.queries import sheet_result, sheets_visible_to, year_results
from .enums import ScorePart, SheetVersion
from .forms import ImportForm
from .imports import FileRefused, describe, load_json, read_xlsx
from .params import year_param
from .rules import fmt2


def _num(value) -> Decimal | str:
    """An exact score as a number cell, rounded half up to 2 places."""
    return "" if value is None else Decimal(fmt2(value))


def ranking_rows(results):
    for r in results:
        a = r.assessment
        yield [
            r.rank if r.rank is not None else "",
            r.unit.name,
            _num(r.average),
            r.count,
            r.reviewed,
            r.pending,
            *[r.grades.get(g.value, 0) for g in TaskGrade],
            r.verdict,
            "、".join(f"{e.occurred_on:%Y-%m-%d} {e.get_kind_display()}" for e in r.events),
            r.explanation,
            a.get_state_display() if a else "自评中",
        ]


RANKING_HEADER = [
    "名次",
    "单位",
    "平均得分",
    "案件数",
    "已复核",
    "未提交",
    *[f"任务{g.label}" for g in TaskGrade],
    "考核结果",
    "一票否决事件",
    "结果依据",
    "流程状态",
]


def ranking_workbook(user, year: int, progress=None) -> list:
    """The ranking workbook's sheets (排名, 案件得分) of the units the user may see."""
    results = year_results(user, year, with_cases=True)
    if progress is not None:
        progress.set_total(len(results) + sum(len(r.cases) for r in results))
    cases = (
        [
            r.unit.name,
            c.receipt_no,
            _num(c.self_total),
            _num(c.review_total),
            _num(c.total),
            "复核" if c.is_reviewed else ("自评" if c.counted else "未提交（不计入）"),
        ]
        for r in results
        for c in r.cases
    )
    units = ranking_rows(results)
    if progress is not None:
        units, cases = progress.counted(units), progress.counted(cases)
    return [
        ("排名", RANKING_HEADER, units, [6, 30, 10, 8, 8, 8, 8, 8, 8, 10, 10, 20, 30, 14]),
        ("案件得分", ["单位", "受理编号", "自评得分", "复核得分", "计入得分", "计入版本"], cases),
    ]


def ranking_pdf_context(user, year: int) -> dict:
    """What the ranking PDF shows, from the units the user may see."""
    results = year_results(user, year, with_cases=True)
    units = []
    for r in results:
        units.append(
            {
                "result": r,
                "average": fmt2(r.average) if r.average is not None else "—",
                "grades": [(g.label, r.grades.get(g.value, 0)) for g in TaskGrade],
                "cases": [
                    (
                        c.receipt_no,
                        fmt2(c.self_total),
                        fmt2(c.review_total) if c.review_total is not None else "—",
                        fmt2(c.total) if c.counted else "未提交",
                    )
                    for c in r.cases
                ],
            }
        )
    return {
        "year": year,
        "units": units,
        "grade_labels": [g.label for g in TaskGrade],
        "printed": timezone.localdate(),
    }


def year_row_count(user, year: int) -> int:
    """How many case rows the ranking exports hold for the user: one per scored case of the year."""
    return sheets_visible_to(user).filter(year=year).values("case_id", "locality_id").distinct().count()


def ranking_name(year: int, suffix: str) -> str:
    return f"{year}年度信访案件办理考核排名.{suffix}"


def _direct_or_job(request, kind: str, year: int, filename: str, rows: int, *, pdf: bool = False, **extra):
    """None when the export is small enough to answer in the request; else the job page's redirect.

    A POST (the 后台导出 button) always makes a job; pressing twice gives the same job.
    """
    limit = settings.JOB_DIRECT_MAX_PDF_ROWS if pdf else settings.JOB_DIRECT_MAX_ROWS
    if request.method != "POST" and rows < limit:
        return None
    job, _created = start_job(kind, owner=request.user, params={"year": year, **extra}, filename=filename)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def ranking_xlsx(request, year):
    year = year_param(year)
    name = ranking_name(year, "xlsx")
    job = _direct_or_job(request, "scoring_ranking_xlsx", year, name, year_row_count(request.user, year))
    return job or xlsx_response(name, ranking_workbook(request.user, year))


@login_required
def ranking_pdf(request, year):
    year = year_param(year)
    name = ranking_name(year, "pdf")
    rows = year_row_count(request.user, year)
    job = _direct_or_job(request, "scoring_ranking_pdf", year, name, rows, pdf=True)
    return job or pdf_response(name, "pdf/scoring_ranking.html", ranking_pdf_context(request.user, year))


def version_param(value) -> str:
    return value if value in SheetVersion.values else SheetVersion.SELF


def year_sheets(user, year: int, version: str):
    return (
        sheets_visible_to(user)
        .filter(year=year, version=version)
        .select_related("case", "locality")
        .order_by("locality__sort_order", "locality_id", "case__receipt_no", "pk")
    )


def sheets_json_chunks(qs, progress=None):
    """The exchange JSON (a list of sheets' data), written a sheet at a time."""
    yield "["
    first = True
    for sheet in qs.select_related(None).only("data").iterator(chunk_size=500):
        yield ("\n" if first else ",\n") + json.dumps(sheet.data, ensure_ascii=False, indent=2)
        first = False
        if progress is not None:
            progress.advance()
    yield "\n]" if not first else "]"


@login_required
def sheets_json(request, year):
    year = year_param(year)
    version = version_param(request.POST.get("version") or request.GET.get("version"))
    qs = year_sheets(request.user, year, version)
    name = f"scoring-sheets-{year}.json"
    job = _direct_or_job(request, "scoring_sheets_json", year, name, qs.count(), version=version)
    if job:
        return job
    response = HttpResponse("".join(sheets_json_chunks(qs)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def sheets_workbook(qs, progress=None) -> list:
    """The 评分表 and 评分明细 sheets of ``qs``, streamed from the database (two passes, no list)."""
    parts = list(ScorePart)
    summary = (
        [
            s.case.receipt_no,
            s.locality.name,
            s.year,
            s.get_version_display(),
            s.get_status_display(),
            *[_num(r.part(p)) for p in parts],
            _num(r.total),
            r.fake,
        ]
        for s in qs.iterator(chunk_size=500)
        for r in [sheet_result(s.data)]
    )

    def detail():
        for s in qs.iterator(chunk_size=500):
            for i in sheet_result(s.data).breakdown:
                yield [
                    s.case.receipt_no,
                    s.locality.name,
                    s.get_version_display(),
                    i.part.label,
                    i.label,
                    i.key,
                    i.rule,
                    i.basis,
                    _num(i.contribution),
                    _num(i.max_points),
                ]
            if progress is not None:  # a sheet is done when its details are written
                progress.advance()

    return [
        (
            "评分表",
            ["受理编号", "被考核单位", "年度", "版本", "状态", *[p.label for p in parts], "总分", "表面整改"],
            summary,
        ),
        (
            "评分明细",
            [
                "受理编号",
                "被考核单位",
                "版本",
                "部分",
                "条目",
                "条目代码",
                "评分标准",
                "依据",
                "得分",
                "满分",
            ],
            detail(),
            [18, 20, 6, 10, 28, 28, 40, 14, 8, 8],
        ),
    ]


@login_required
def sheets_xlsx(request, year):
    year = year_param(year)
    version = version_param(request.POST.get("version") or request.GET.get("version"))
    qs = year_sheets(request.user, year, version)
    name = f"{year}年度评分表.xlsx"
    job = _direct_or_job(request, "scoring_sheets_xlsx", year, name, qs.count(), version=version)
    return job or xlsx_response(name, sheets_workbook(qs))


@login_required
def import_sheets(request):
    """Import self-assessment sheets from the exchange JSON or the sheets .xlsx (the export's shape):
    all or nothing, problems in Chinese by sheet and item, or by worksheet, row and column."""
    from django.core.exceptions import PermissionDenied

    from .permissions import can_import_sheets

    if not can_import_sheets(request.user):
        raise PermissionDenied  # read-only roles have nothing to import
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        where = None
        try:
            if raw.startswith(b"PK\x03\x04"):  # an .xlsx workbook is a zip
                workbook = read_xlsx(raw)
                data, where = workbook.sheets, workbook.where
            else:
                data = load_json(raw)
            count = services.import_sheets(data, actor=request.user)
        except FileRefused as exc:
            errors = exc.lines
        except services.ImportRefused as exc:
            errors = [exc.message, *(describe(line, where) for line in exc.lines)]
        except DomainError as exc:
            errors = [exc.message]
        else:
            total = len(data) if isinstance(data, list) else 1
            unchanged = f"，{total - count} 份与系统中一致，未改动" if total > count else ""
            messages.success(request, f"已导入 {count} 份自评评分表{unchanged}。")
            return redirect("scoring:index")
    return render(request, "scoring/import.html", {"form": form, "errors": errors})
