"""Background-job runners of the scoring exports (see notifications.domain.background).

Each reads the owner's scope itself (``job.owner``), as the download views do.
"""

from qianshan.common.excel import write_xlsx
from qianshan.common.pdf import render_pdf

from .exports import (
    ranking_pdf_context,
    ranking_workbook,
    sheets_json_chunks,
    sheets_workbook,
    version_param,
    year_sheets,
)
from .params import year_param


def _year(job) -> int:
    return year_param(job.params["year"])


def export_ranking_xlsx(job, progress, out_path) -> None:
    write_xlsx(ranking_workbook(job.owner, _year(job), progress), target=out_path)


def export_ranking_pdf(job, progress, out_path) -> None:
    """The rows are counted when the render (the long part, one weasyprint call) is done."""
    context = ranking_pdf_context(job.owner, _year(job))
    rows = sum(1 + len(unit["cases"]) for unit in context["units"])
    progress.set_total(rows)
    pdf = render_pdf("pdf/scoring_ranking.html", context)
    progress.advance(rows)
    out_path.write_bytes(pdf)


def _sheets(job):
    return year_sheets(job.owner, _year(job), version_param(job.params.get("version")))


def export_sheets_xlsx(job, progress, out_path) -> None:
    qs = _sheets(job)
    progress.set_total(qs.count())
    write_xlsx(sheets_workbook(qs, progress), target=out_path)


def export_sheets_json(job, progress, out_path) -> None:
    qs = _sheets(job)
    progress.set_total(qs.count())
    with open(out_path, "w", encoding="utf-8") as out:
        for chunk in sheets_json_chunks(qs, progress):
            out.write(chunk)
