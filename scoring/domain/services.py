"""Every write of scoring: sheets (start, save, submit, review, return) and the unit assessment workflow.

Each function is one transaction; a refusal raises ``DomainError`` with a Chinese message. Two
people saving the same sheet are told apart by a conditional update on ``updated_at``.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.domain.errors import DomainError

from ..enums import AssessmentState, ScorePart, SheetStatus, SheetVersion
from ..items import changed_paths, flatten, spec_of
from ..models import AssessmentStep, ScoringSheet, UnitAssessment
from ..permissions import (
    can_approve,
    can_edit_sheet,
    can_publish,
    can_review,
    can_self_assess,
)
from ..rules import Result, score
from ..sheet_json import parse_sheets, sheet_to_json
from .prefill import MANUAL, prefill_sheet
from .queries import candidate_localities


class SheetInvalid(DomainError):
    """The sheet breaks the exchange format or lacks a reason; ``errors`` maps path → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            "评分表有 %d 处需要修改：" % len(errors)
            + "；".join(f"{spec_label(p)}：{m}" for p, m in errors.items())
        )
        self.errors = errors


def spec_label(path: str) -> str:
    try:
        return spec_of(path).label
    except KeyError:
        return path


def stamp_score(sheet: ScoringSheet, *, now=None) -> Result:
    """Set the sheet's stored exact score (total, parts, scored_at) from its ``data``; not saved.

    Every write of a sheet's content calls this before ``save()``, so the stored total always
    equals ``rules.score`` of the stored data. Raises ValueError for data that does not parse
    (the writes check the data first, so only a programming error gets here).
    """
    sheets, errors = parse_sheets(sheet.data)
    if errors:
        raise ValueError("；".join(errors))
    result = score(sheets[0])
    _store(sheet, result, now or timezone.now())
    return result


def _store(sheet: ScoringSheet, result: Result, now) -> None:
    sheet.total_num, sheet.total_den = result.total.numerator, result.total.denominator
    sheet.parts = {part.value: str(result.part(part)) for part in ScorePart}
    sheet.scored_at = now


def rescore_sheets(year: int, *, actor, batch_size: int = 5000) -> int:
    """Recompute and store the exact score of every sheet of ``year`` (after a change of the rules).

    One transaction; the sheets are read and written in batches of ``batch_size``. Only the
    derived score columns change, so no history row is written: the content each history row
    records is unchanged. Returns the number of sheets scored.
    """
    if not can_review(actor):
        raise DomainError("只有协调组办公室和复核组成员可以重新计分。")
    now, count, batch = timezone.now(), 0, []
    with transaction.atomic():
        rows = ScoringSheet.objects.filter(year=year).only("pk", "data").order_by("pk")
        for sheet in rows.iterator(chunk_size=batch_size):
            stamp_score(sheet, now=now)
            batch.append(sheet)
            if len(batch) == batch_size:
                count += _write_scores(batch)
                batch = []
        count += _write_scores(batch)
    return count


def _write_scores(sheets: list[ScoringSheet]) -> int:
    """Store the stamped scores of ``sheets`` with one prepared UPDATE run for each row.

    ``bulk_update`` builds a CASE over the whole batch for every column, which costs ~1 ms a row
    on SQLite; one prepared statement through ``executemany`` costs ~40 µs.
    """
    if not sheets:
        return 0
    meta, quote = ScoringSheet._meta, connection.ops.quote_name
    names = ("total_num", "total_den", "parts", "scored_at")
    fields = [meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [*(f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields), s.pk] for s in sheets
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(sheets)


def assessment_of(unit, year: int) -> UnitAssessment:
    """The unit's assessment for ``year``, created open on first use."""
    try:
        with transaction.atomic():
            assessment, _ = UnitAssessment.objects.get_or_create(unit=unit, year=year)
    except IntegrityError:  # another request created it first
        assessment = UnitAssessment.objects.get(unit=unit, year=year)
    return assessment


def start_sheet(case, *, locality, actor, today=None) -> ScoringSheet:
    """Open the self-assessment of ``case`` in ``locality``, prefilled from the case record.

    The year is the year of the case's deadline. Returns the existing sheet if there is one.
    """
    if not can_self_assess(actor, locality.pk):
        raise DomainError("您不能为该单位自评。")
    if locality.pk not in {u.pk for u in candidate_localities(case)}:
        raise DomainError(f"{locality}不是案件 {case.receipt_no} 的责任单位或属地。")
    if case.deadline is None:
        raise DomainError(f"案件 {case.receipt_no} 没有整改时限，无法确定考核年度。")
    year = case.deadline.year
    existing = ScoringSheet.objects.filter(
        case=case, locality=locality, year=year, version=SheetVersion.SELF
    ).first()
    if existing:
        return existing
    _require_state(assessment_of(locality, year), {AssessmentState.OPEN}, "自评")
    data, provenance = prefill_sheet(case, locality, today=today, actor=actor)
    try:
        with transaction.atomic():
            sheet = ScoringSheet(
                case=case,
                locality=locality,
                year=year,
                version=SheetVersion.SELF,
                data=data,
                # Only what the record proves is "prefilled"; a MANUAL item is the assessor's to set.
                prefilled={
                    p: v
                    for p, v in flatten(data).items()
                    if p in provenance and not provenance[p].startswith(MANUAL)
                },
                provenance=provenance,
                created_by=actor,
            )
            stamp_score(sheet)
            sheet._change_reason = "从案件记录预填"
            sheet.save()
    except IntegrityError:  # the same button pressed twice
        sheet = ScoringSheet.objects.get(case=case, locality=locality, year=year, version=SheetVersion.SELF)
    return sheet


def save_sheet(
    sheet: ScoringSheet, *, actor, data: dict, reasons: dict[str, str], submit: bool = False
) -> ScoringSheet:
    """Store the sheet's new content (and submit it when ``submit``).

    Checks the exchange format and that every changed prefilled item has a reason; the sheet's
    case and locality cannot change. Raises SheetInvalid with the problems by path.
    """
    _require_can_edit(sheet, actor)
    data = {**data, "case": sheet.case.receipt_no, "locality": sheet.locality.name}
    parsed, errors = parse_sheets(data)
    problems = {}
    for line in errors:
        _, _, rest = line.partition(": ")
        path, _, message = rest.partition(": ")
        problems[path] = message or rest
    if problems:
        raise SheetInvalid(problems)
    data = sheet_to_json(parsed[0])
    flat = flatten(data)
    changed = changed_paths(sheet.prefilled, flat)
    kept = {p: r.strip() for p, r in reasons.items() if p in changed and r and r.strip()}
    missing = {p: "已修改预填值，请填写修改理由" for p in sorted(changed) if p not in kept}
    if missing:
        raise SheetInvalid(missing)
    now = timezone.now()
    with transaction.atomic():
        # Another tab or person saved or submitted since this one was read: refuse, do not overwrite.
        if not ScoringSheet.objects.filter(
            pk=sheet.pk, status=SheetStatus.DRAFT, updated_at=sheet.updated_at
        ).update(updated_at=now):
            raise DomainError("评分表已被他人修改或已提交，请刷新页面后重试。")
        sheet.data, sheet.reasons = data, kept
        _store(sheet, score(parsed[0]), now)
        if submit:
            sheet.status, sheet.submitted_by, sheet.submitted_at = SheetStatus.SUBMITTED, actor, now
        sheet._change_reason = "提交" if submit else "保存"
        sheet.save()
    return sheet


def start_review(self_sheet: ScoringSheet, *, actor) -> ScoringSheet:
    """Open the reviewed version (复核) of a submitted self-assessment, starting from its values."""
    if not can_review(actor):
        raise DomainError("只有协调组办公室和复核组成员可以复核。")
    if self_sheet.version != SheetVersion.SELF or self_sheet.status != SheetStatus.SUBMITTED:
        raise DomainError("单位提交自评后才能复核。")
    _require_state(
        assessment_of(self_sheet.locality, self_sheet.year),
        {AssessmentState.OPEN, AssessmentState.SUBMITTED},
        "复核",
    )
    key = {"case": self_sheet.case, "locality": self_sheet.locality, "year": self_sheet.year}
    existing = ScoringSheet.objects.filter(**key, version=SheetVersion.REVIEW).first()
    if existing:
        return existing
    flat = flatten(self_sheet.data)
    try:
        with transaction.atomic():
            review = ScoringSheet(
                **key,
                version=SheetVersion.REVIEW,
                data=self_sheet.data,
                prefilled=flat,
                provenance={path: "单位自评" for path in flat},
                created_by=actor,
            )
            stamp_score(review)
            review._change_reason = "从单位自评开始复核"
            review.save()
    except IntegrityError:
        review = ScoringSheet.objects.get(**key, version=SheetVersion.REVIEW)
    return review


def return_sheet(sheet: ScoringSheet, *, actor, reason: str) -> ScoringSheet:
    """退回: a reviewer sends a submitted self-assessment back to the unit, with a reason."""
    if not can_review(actor):
        raise DomainError("只有协调组办公室和复核组成员可以退回自评。")
    if not reason.strip():
        raise DomainError("退回须填写理由。", field="reason")
    if sheet.version != SheetVersion.SELF:
        raise DomainError("只能退回单位自评。")
    _require_state(
        assessment_of(sheet.locality, sheet.year), {AssessmentState.OPEN, AssessmentState.SUBMITTED}, "退回"
    )
    with transaction.atomic():
        if ScoringSheet.objects.filter(
            case=sheet.case_id, locality=sheet.locality_id, year=sheet.year, version=SheetVersion.REVIEW
        ).exists():
            raise DomainError("已开始复核的自评不能退回。")
        if not ScoringSheet.objects.filter(pk=sheet.pk, status=SheetStatus.SUBMITTED).update(
            status=SheetStatus.DRAFT
        ):
            raise DomainError("该自评尚未提交或已被退回。")
        sheet.refresh_from_db()
        sheet.submitted_by, sheet.submitted_at = None, None
        sheet._change_reason = f"退回：{reason.strip()}"
        sheet.save()
    return sheet


def edit_refusal(sheet: ScoringSheet, actor) -> str | None:
    """Why ``actor`` cannot change ``sheet`` now (a Chinese sentence), or None when they can.

    The edit page asks this before it offers the form, and every save asks it again.
    """
    if not can_edit_sheet(actor, sheet):
        if sheet.version == SheetVersion.SELF:
            return "您不能修改该单位的自评。"
        return "只有协调组办公室和复核组成员可以复核。"
    if sheet.status != SheetStatus.DRAFT:
        return "评分表已提交，不能再修改。"
    assessment = assessment_of(sheet.locality, sheet.year)
    if sheet.version == SheetVersion.SELF:
        allowed, what = {AssessmentState.OPEN}, "修改自评"
    else:
        allowed, what = {AssessmentState.OPEN, AssessmentState.SUBMITTED}, "修改复核"
    if assessment.state not in allowed:
        return _state_refusal(assessment, what)
    return None


def _require_can_edit(sheet: ScoringSheet, actor) -> None:
    refusal = edit_refusal(sheet, actor)
    if refusal:
        raise DomainError(refusal)


def _require_state(assessment: UnitAssessment, allowed: set, what: str) -> None:
    if assessment.state not in allowed:
        raise DomainError(_state_refusal(assessment, what))


def _state_refusal(assessment: UnitAssessment, what: str) -> str:
    return f"{assessment.unit}{assessment.year}年度考核{assessment.get_state_display()}，不能{what}。"


# ---------------------------------------------------------------- the unit assessment workflow

# to_state: (from states, who may, what the step is called)
STEPS = {
    AssessmentState.SUBMITTED: ({AssessmentState.OPEN}, "提交自评"),
    AssessmentState.REVIEWED: ({AssessmentState.SUBMITTED}, "完成复核"),
    AssessmentState.APPROVED: ({AssessmentState.REVIEWED}, "领导小组审定"),
    AssessmentState.PUBLISHED: ({AssessmentState.APPROVED}, "公布结果"),
    AssessmentState.OPEN: ({AssessmentState.SUBMITTED}, "退回自评"),
}


def allowed_steps(assessment: UnitAssessment, user) -> list[AssessmentState]:
    return [
        to for to, (sources, _) in STEPS.items() if assessment.state in sources and _may(user, assessment, to)
    ]


def _may(user, assessment, to_state) -> bool:
    if to_state == AssessmentState.SUBMITTED:
        return can_self_assess(user, assessment.unit_id)
    if to_state in (AssessmentState.REVIEWED, AssessmentState.OPEN):
        return can_review(user)
    if to_state == AssessmentState.APPROVED:
        return can_approve(user)
    return can_publish(user)


def advance_assessment(
    assessment: UnitAssessment, *, to_state: str, actor, reason: str = ""
) -> UnitAssessment:
    """Move the assessment one step (docs/rules.md §8 process) and record who did it and when."""
    to_state = AssessmentState(to_state)
    sources, name = STEPS[to_state]
    if assessment.state not in sources:
        raise DomainError(f"当前为“{assessment.get_state_display()}”，不能{name}。")
    if not _may(actor, assessment, to_state):
        raise DomainError(f"您无权{name}。")
    if to_state == AssessmentState.OPEN and not reason.strip():
        raise DomainError("退回须填写理由。", field="reason")
    _check_ready(assessment, to_state)
    with transaction.atomic():
        if not UnitAssessment.objects.filter(pk=assessment.pk, state=assessment.state).update(state=to_state):
            raise DomainError("考核状态已被他人更改，请刷新页面。")
        from_state = assessment.state
        assessment.refresh_from_db()
        if to_state == AssessmentState.PUBLISHED:
            _snapshot(assessment)
        assessment._change_reason = name
        assessment.save()
        AssessmentStep.objects.create(
            assessment=assessment,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            reason=reason.strip(),
        )
    return assessment


def _check_ready(assessment: UnitAssessment, to_state) -> None:
    sheets = ScoringSheet.objects.filter(locality=assessment.unit, year=assessment.year)
    if to_state == AssessmentState.SUBMITTED:
        drafts = list(
            sheets.filter(version=SheetVersion.SELF, status=SheetStatus.DRAFT).values_list(
                "case__receipt_no", flat=True
            )
        )
        if drafts:
            raise DomainError(f"还有 {len(drafts)} 份自评未提交：{'、'.join(drafts[:10])}。")
        if not sheets.exists():
            raise DomainError("该单位本年度还没有评分表。")
    if to_state == AssessmentState.REVIEWED:
        selves = set(sheets.filter(version=SheetVersion.SELF).values_list("case_id", flat=True))
        reviewed = set(
            sheets.filter(version=SheetVersion.REVIEW, status=SheetStatus.SUBMITTED).values_list(
                "case_id", flat=True
            )
        )
        if selves - reviewed:
            raise DomainError(f"还有 {len(selves - reviewed)} 份评分表未完成复核。")


def _snapshot(assessment: UnitAssessment) -> None:
    """Freeze the published score and rank, so later edits elsewhere cannot change a published result."""
    from ..rules import fmt2
    from .queries import year_results

    for result in year_results(None, assessment.year, all_units=True):
        if result.unit.pk == assessment.unit_id:
            assessment.published_score = "" if result.average is None else fmt2(result.average)
            assessment.published_rank = result.rank
            return


class ImportRefused(DomainError):
    """An import with problems; ``lines`` names each sheet and JSON path. Nothing was saved."""

    def __init__(self, lines: list[str]):
        super().__init__(f"导入文件有 {len(lines)} 处问题，未导入任何评分表。")
        self.lines = lines


def import_sheets(data, *, actor) -> int:
    """Create or replace self-assessment drafts from exchange-format sheets; all or nothing.

    Each sheet's case is found by its receipt number among the cases the actor may see, its
    locality by unit name; the year is the year of the case's deadline. A sheet whose content
    equals the stored one is left alone (an export imported back changes nothing, submitted
    sheets included). Returns the number of sheets created or changed.
    """
    from cases.domain.queries import cases_visible_to
    from org.models import Unit

    sheets, errors = parse_sheets(data)
    if errors:
        raise ImportRefused(errors)
    receipts = {s.case for s in sheets}
    cases: dict[str, list] = {}
    for case in (
        cases_visible_to(actor)
        .filter(receipt_no__in=receipts)
        .prefetch_related("cooperating_units")
        .select_related("lead_unit", "locality")
    ):
        cases.setdefault(case.receipt_no, []).append(case)
    units = {u.name: u for u in Unit.objects.filter(name__in={s.locality for s in sheets})}
    lines, plan = [], []
    for position, sheet in enumerate(sheets, start=1):
        found = cases.get(sheet.case, [])
        unit = units.get(sheet.locality)
        if len(found) != 1:
            lines.append(
                f"sheet {position}: case: {'未找到案件' if not found else '受理编号对应多个案件'} {sheet.case}"
            )
            continue
        case = found[0]
        if unit is None or unit.pk not in {u.pk for u in candidate_localities(case)}:
            lines.append(f"sheet {position}: locality: {sheet.locality} 不是该案件的属地或责任单位")
            continue
        if not can_self_assess(actor, unit.pk):
            lines.append(f"sheet {position}: locality: 您不能为{unit}自评")
            continue
        if case.deadline is None:
            lines.append(f"sheet {position}: case: 案件 {case.receipt_no} 没有整改时限")
            continue
        plan.append((position, case, unit, sheet_to_json(sheet)))
    if lines:
        raise ImportRefused(lines)
    with transaction.atomic():
        return sum(
            _import_one(position, case, unit, sheet_data, actor) for position, case, unit, sheet_data in plan
        )


def _import_one(position, case, unit, data, actor) -> bool:
    year = case.deadline.year
    key = {"case": case, "locality": unit, "year": year, "version": SheetVersion.SELF}
    sheet = ScoringSheet.objects.filter(**key).first()
    flat = flatten(data)
    if sheet is not None and flatten(sheet.data) == flat:
        return False  # nothing to change
    _require_state(assessment_of(unit, year), {AssessmentState.OPEN}, "导入自评")
    if sheet is None:
        sheet = ScoringSheet(**key, created_by=actor, provenance={p: "导入文件" for p in flat})
    elif sheet.status != SheetStatus.DRAFT:
        raise ImportRefused([f"sheet {position}: case: {case.receipt_no} 的自评已提交，不能再导入"])
    sheet.data = data
    # A changed prefilled item keeps the reason given for it, else the import is the reason.
    sheet.reasons = {
        p: sheet.reasons.get(p) or "由导入文件更新" for p in changed_paths(sheet.prefilled, flat)
    }
    stamp_score(sheet)
    sheet._change_reason = "导入"
    sheet.save()
    return True
