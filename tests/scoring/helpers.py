"""Builders for scoring tests: cases with a deadline in a year, sheets with chosen content."""

import copy
from datetime import date

from django.utils import timezone

from scoring.domain.services import stamp_score
from scoring.enums import SheetStatus, SheetVersion
from scoring.items import flatten
from scoring.models import ScoringSheet
from tests.factories import CaseFactory

# The worked example of docs/rules.md §8.7 (92.25).
EXAMPLE = {
    "case": "X",
    "locality": "X",
    "territorial": [{"case_leader": "principal", "lead_unit_head": "deputy", "handler": True}],
    "functional": [{"case_leader": "none", "handler": True}],
    "plan": {"department": True, "measures": True, "milestones": True, "funding": False},
    "plan_reviewed": True,
    "plan_implemented": True,
    "archive": {
        "catalogue": True,
        "assignment_note": True,
        "unit_materials": {"complete": 1, "units": 2},
        "site_records": {"complete": 2, "units": 2},
    },
    "problems": {"solved": 3, "total": 4},
    "satisfaction_signed": True,
    "bonus": {
        "praise": "city_chief",
        "follow_up_visit": True,
        "source_governance": False,
        "inference": False,
        "media": ["city", "provincial"],
    },
    "deductions": {"penalty_missing": False, "deadline_missed": True, "repeat_complaint": False},
    "fake": False,
}


def sheet_data(case, unit, **changes) -> dict:
    """The example sheet for ``case`` in ``unit``; ``changes`` replace top-level keys."""
    data = copy.deepcopy(EXAMPLE)
    data.update(case=case.receipt_no, locality=unit.name, **changes)
    return data


def case_in(unit, year: int, **kwargs):
    """A case led by ``unit`` whose deadline falls in ``year``."""
    kwargs.setdefault("deadline", date(year, 6, 30))
    return CaseFactory(lead_unit=unit, **kwargs)


def make_sheet(case, unit, *, version=SheetVersion.SELF, status=SheetStatus.SUBMITTED, year=None, **changes):
    """A sheet stored as the domain writes store it: with its exact score stamped."""
    data = sheet_data(case, unit, **changes)
    sheet = ScoringSheet(
        case=case,
        locality=unit,
        year=year or case.deadline.year,
        version=version,
        status=status,
        data=data,
        prefilled={},
        submitted_at=timezone.now() if status == SheetStatus.SUBMITTED else None,
    )
    stamp_score(sheet)
    sheet.save()
    return sheet


def post_of(data: dict, reasons: dict | None = None) -> dict:
    """The browser form's fields for a sheet dict (what sheet_edit.html posts)."""
    post = {}
    for path, value in flatten(data).items():
        if path == "bonus.media":
            for level in ("national", "provincial", "city"):
                post[f"bonus.media.{level}"] = str(value.count(level))
        elif isinstance(value, bool):
            post[path] = "1" if value else "0"
        else:
            post[path] = str(value)
    for path, reason in (reasons or {}).items():
        post[f"reason:{path}"] = reason
    return post
