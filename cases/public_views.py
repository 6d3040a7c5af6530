"""The public disclosure table (公示): no sign-in; only publicized, closed and filed cases, only the
published columns, personal data masked from free text."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from org.models import Inspection
from qianshan.common.excel import xlsx_response

from .exporters import PUBLIC_HEADERS, PUBLIC_STATES, PUBLIC_WIDTHS, public_queryset, public_rows
from .models import PetitionCase


def public_index(request):
    batches = (
        PetitionCase.objects.filter(state__in=PUBLIC_STATES)
        .values("inspection__code", "inspection__name", "batch")
        .annotate(n=Count("pk"))
        .order_by("inspection__start_date", "inspection__code", "batch")
    )
    return render(request, "cases/public_index.html", {"batches": batches})


def _batch(request) -> int | None:
    value = request.GET.get("batch", "")
    return int(value) if value.isdigit() else None


def public_table(request, code):
    inspection = get_object_or_404(Inspection, code=code)
    batch = _batch(request)
    rows = list(public_rows(public_queryset(inspection, batch)))
    return render(
        request,
        "cases/public_table.html",
        {"inspection": inspection, "batch": batch, "headers": PUBLIC_HEADERS, "rows": rows},
    )


def public_export(request, code):
    inspection = get_object_or_404(Inspection, code=code)
    batch = _batch(request)
    title = f"{inspection.name}信访举报件办理情况公示" + (f"（第{batch}批）" if batch else "")
    sheet = ("公示", PUBLIC_HEADERS, public_rows(public_queryset(inspection, batch)), PUBLIC_WIDTHS)
    return xlsx_response(f"{title}.xlsx", [sheet])
