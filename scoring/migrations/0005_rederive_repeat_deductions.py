"""Draft sheets: the prefilled 重复访 deduction re-derived by the corrected rule (docs/rules.md §8.3).

Only drafts whose repeat-complaint item still holds the prefilled value are changed (the assessor
has not judged it yet); submitted sheets and values an assessor set by hand are left as they are —
a reviewer corrects those in the review. The stored exact score is recomputed for the changed
sheets, and the item's source (provenance) says why it changed.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

PATH = "deductions.repeat_complaint"


def rederive(apps, schema_editor):
    from scoring.enums import ScorePart
    from scoring.rules import score
    from scoring.sheet_json import parse_sheets

    Sheet = apps.get_model("scoring", "ScoringSheet")
    Case = apps.get_model("cases", "PetitionCase")
    Transition = apps.get_model("cases", "CaseTransition")
    now = timezone.now()
    drafts = Sheet.objects.filter(status="draft").only("pk", "case_id", "data", "prefilled", "provenance")
    for sheet in drafts.iterator(chunk_size=2000):
        if PATH not in sheet.prefilled:
            continue
        current = bool(sheet.data.get("deductions", {}).get("repeat_complaint", False))
        if current != bool(sheet.prefilled[PATH]):
            continue  # the assessor changed it: their judgment stands
        case = Case.objects.only("pk", "deadline").get(pk=sheet.case_id)
        done = [
            timezone.localtime(at).date()
            for at in Transition.objects.filter(case_id=case.pk, to_state="completed").values_list("at", flat=True)
        ]
        thresholds = [min(done)] if done else []
        if case.deadline:
            thresholds.append(case.deadline + timedelta(days=1))
        repeats = Case.objects.filter(repeat_of_id=case.pk).only("transferred_on", "created_at", "receipt_no")
        counted = [
            r.receipt_no
            for r in repeats
            if thresholds and (r.transferred_on or timezone.localtime(r.created_at).date()) >= min(thresholds)
        ]
        new = bool(counted)
        if new == current:
            continue
        sheet.data.setdefault("deductions", {})["repeat_complaint"] = new
        sheet.prefilled[PATH] = new
        sheet.provenance[PATH] = (
            f"案件记录：本案被再次投诉：{'、'.join(counted)}"
            if new
            else "案件记录：本案未在办结或时限届满后被再次投诉（重复访扣分计入被重复投诉的原案件）"
        )
        parsed, errors = parse_sheets(sheet.data)
        if errors:
            continue
        result = score(parsed[0])
        Sheet.objects.filter(pk=sheet.pk).update(
            data=sheet.data,
            prefilled=sheet.prefilled,
            provenance=sheet.provenance,
            total_num=result.total.numerator,
            total_den=result.total.denominator,
            parts={part.value: str(result.part(part)) for part in ScorePart},
            scored_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0004_assessment_events_calendar_referrals"),
        ("scoring", "0004_assessment_events_calendar_referrals"),
        ("cases", "0014_repeat_of"),
    ]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
