"""Evidence, progress and handling writes: attachments checked by content, the progress log,
complaint points, and the repeat links of a case.

An upload is trusted for nothing it claims: qianshan.common.uploads decides its type from its
bytes (images decoded and re-encoded, PDFs and Office files checked whole). A photo must be an
image. Files are stored under their SHA-256, never under a user-chosen name.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from org.permissions import access_of, can_change_units
from qianshan.common import uploads
from qianshan.common.uploads import CheckedFile

from ..enums import IMAGE_KINDS, AttachmentKind, PhotoStage
from ..models import Attachment, InvestigationPoint, PetitionCase, ProgressEntry
from .errors import DomainError

MAX_PROGRESS_FILES = 20  # photos (or documents) in one progress entry


@dataclass(frozen=True)
class Upload:
    """One file a user sent, with what they said it is."""

    name: str
    data: bytes
    kind: str = AttachmentKind.PHOTO
    photo_stage: str = PhotoStage.NONE
    pair_label: str = ""
    title: str = ""


def require_change(case: PetitionCase, actor) -> None:
    if actor is not None and not can_change_units(actor, case.unit_ids):
        raise DomainError("您无权修改此案件。")


def check_file(upload: Upload) -> CheckedFile:
    """The file as it will be stored, or DomainError naming the file and what is wrong.

    The content checks are qianshan.common.uploads'; a photo kind takes images only.
    """
    if upload.kind not in AttachmentKind.values:
        raise DomainError(f"材料类型“{upload.kind}”无效。", field="kind")
    if upload.photo_stage != PhotoStage.NONE and upload.kind != AttachmentKind.PHOTO:
        raise DomainError("只有现场照片可以标注整改前后。", field="photo_stage")
    allowed = {uploads.IMAGE} if upload.kind in IMAGE_KINDS else uploads.ALL_KINDS
    return uploads.check_file(upload.name, upload.data, allowed=allowed, field="file")


def _store(case: PetitionCase, upload: Upload, *, actor, progress=None, visit=None) -> Attachment:
    checked = check_file(upload)
    attachment = Attachment(
        case=case,
        progress=progress,
        visit=visit,
        unit_id=_actor_unit_id(case, actor),
        kind=upload.kind,
        photo_stage=upload.photo_stage or PhotoStage.NONE,
        pair_label=upload.pair_label.strip(),
        title=upload.title.strip()[:200],
        original_name=checked.name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        taken_at=checked.photo.taken_at,
        latitude=checked.photo.latitude,
        longitude=checked.photo.longitude,
    )
    attachment.file.save("upload" + checked.extension, ContentFile(checked.data), save=False)
    attachment._history_user = actor
    attachment.save()
    return attachment


def _actor_unit_id(case: PetitionCase, actor) -> int | None:
    """The case unit the uploader works for (scoring counts each handling unit's materials)."""
    if actor is not None:
        own = access_of(actor).unit_ids
        for unit_id in case.unit_ids:
            if unit_id in own:
                return unit_id
    return case.lead_unit_id


def add_attachments(case: PetitionCase, uploads: list[Upload], *, actor) -> list[Attachment]:
    """Check and store evidence files of a case; all or nothing."""
    require_change(case, actor)
    for upload in uploads:
        check_file(upload)  # refuse before anything is written
    with transaction.atomic():
        return [_store(case, upload, actor=actor) for upload in uploads]


def add_progress(
    case: PetitionCase,
    *,
    actor,
    happened_on,
    text: str,
    uploads: list[Upload] = (),
    today: date | None = None,
    is_temporary: bool = False,
) -> ProgressEntry:
    """Append a "latest progress" entry with its photos/documents; all or nothing.

    Progress is what has happened: a date after today is refused (as rectification's report_progress).
    """
    require_change(case, actor)
    if not text.strip():
        raise DomainError("请填写进展情况。", field="text")
    if happened_on is None:
        raise DomainError("请填写进展日期。", field="happened_on")
    if happened_on > (today or timezone.localdate()):
        raise DomainError("进展日期不能晚于今天。", field="happened_on")
    if len(uploads) > MAX_PROGRESS_FILES:
        raise DomainError(f"每条进展最多上传 {MAX_PROGRESS_FILES} 个文件。", field="files")
    for upload in uploads:
        check_file(upload)
    with transaction.atomic():
        entry = ProgressEntry(
            case=case, happened_on=happened_on, text=text.strip(), actor=actor, is_temporary=is_temporary
        )
        entry._history_user = actor
        entry.save()
        for upload in uploads:
            _store(case, upload, actor=actor, progress=entry)
    return entry


POINT_FIELDS = ("content", "is_true", "is_resolved", "note")
MAX_POINTS = 50


def points_token(points) -> str:
    """A fingerprint of a case's points as a form showed them; a save refuses if it changed since."""
    rows = [
        (p.pk, p.seq, *(getattr(p, f) for f in POINT_FIELDS)) for p in sorted(points, key=lambda p: p.seq)
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def set_points(
    case: PetitionCase,
    points: list[dict],
    *,
    actor,
    expected_token: str | None = None,
    reason: str = "填报举报问题要点",
) -> list[InvestigationPoint]:
    """Set the complaint points (举报问题要点) of a case, in order: [{id?, content, is_true, is_resolved, note}].

    A dict with ``id`` edits that existing point of this case, one without adds a point; existing
    points not listed are deleted. Every created, changed or deleted point gets a history row with
    the actor and ``reason``; an unchanged point is left alone. Points are renumbered 1..n in the
    given order. With ``expected_token`` (``points_token`` of what the form showed) the save is
    refused when someone else changed the points in between. All or nothing.
    """
    require_change(case, actor)
    if len(points) > MAX_POINTS:
        raise DomainError(f"问题要点最多 {MAX_POINTS} 个。", field="points")
    for index, point in enumerate(points, start=1):
        if not str(point.get("content") or "").strip():
            raise DomainError(f"第 {index} 个问题要点没有内容。", field="points")
    ids = [point["id"] for point in points if point.get("id")]
    if len(ids) != len(set(ids)):
        raise DomainError("同一个问题要点出现了两次，请刷新页面后重新填写。", field="points")
    with transaction.atomic():
        current = {p.pk: p for p in InvestigationPoint.objects.filter(case=case)}
        if expected_token is not None and points_token(current.values()) != expected_token:
            raise DomainError("问题要点已被他人修改，请刷新页面查看最新内容后再保存。", field="points")
        unknown = [i for i in ids if i not in current]
        if unknown:
            # Another case's point by guessed id, or one deleted meanwhile: touch nothing.
            raise DomainError("问题要点不存在或已被删除，请刷新页面后重新填写。", field="points")
        for stale_id in set(current) - set(ids):
            stale = current.pop(stale_id)
            stale._history_user = actor
            stale._change_reason = reason
            stale.delete()
        # Kept points whose number changes step aside first, so (case, seq) stays unique throughout.
        wanted = {point["id"]: seq for seq, point in enumerate(points, start=1) if point.get("id")}
        moved = [pk for pk, seq in wanted.items() if current[pk].seq != seq]
        if moved:
            InvestigationPoint.objects.filter(pk__in=moved).update(seq=F("seq") + 10_000)
        kept = []
        for seq, values in enumerate(points, start=1):
            point = current.get(values.get("id")) or InvestigationPoint(case=case, seq=seq)
            new = {
                "content": str(values["content"]).strip(),
                "is_true": bool(values.get("is_true", True)),
                "is_resolved": bool(values.get("is_resolved", False)),
                "note": str(values.get("note") or "").strip(),
            }
            if point.pk is None or point.seq != seq or any(getattr(point, f) != v for f, v in new.items()):
                point.seq = seq
                for name, value in new.items():
                    setattr(point, name, value)
                point._history_user = actor
                point._change_reason = reason
                point.save()
            kept.append(point)
    return kept


def link_repeat_cases(case: PetitionCase, related: list[PetitionCase], *, actor, merge_no: str = "") -> None:
    """Mark a case as a repeat (重复件) of the given cases, symmetrically, with a merge number."""
    require_change(case, actor)
    if any(other.pk == case.pk for other in related):
        raise DomainError("重复关联件不能是案件本身。", field="related_cases")
    with transaction.atomic():
        case.related_cases.set(related)
        case.is_repeat = bool(related) or case.is_repeat
        case.merge_no = merge_no.strip() or case.merge_no
        case._history_user = actor
        case._change_reason = "关联重复件"
        case.save(update_fields=["is_repeat", "merge_no", "updated_at"])
        link_repeat_originals([case, *related], actor=actor)


def received_on(case: PetitionCase):
    """The day a case came in: its transfer date, else the day it was recorded."""
    from django.utils import timezone

    return case.transferred_on or timezone.localtime(case.created_at).date()


def link_repeat_originals(group: list[PetitionCase], *, actor=None, reasons: dict | None = None) -> None:
    """Point every later case of a group of repeat-linked cases at the earliest one (``repeat_of``).

    The earliest case (by received day, then id) is the one complained about again; the
    repeat-complaint deduction goes to it (docs/rules.md §8.3). A link already set is kept.
    ``reasons`` (case id → change reason) lets an import record its own reason in the history.
    """
    cases = {c.pk: c for c in group if c.pk is not None}
    if len(cases) < 2:
        return
    ordered = sorted(cases.values(), key=lambda c: (received_on(c), c.pk))
    original = ordered[0]
    for later in ordered[1:]:
        if later.repeat_of_id is None:
            later.repeat_of = original
            later._history_user = actor
            later._change_reason = (reasons or {}).get(later.pk) or f"重复投诉，原案件 {original.receipt_no}"
            later.save(update_fields=["repeat_of", "updated_at"])
